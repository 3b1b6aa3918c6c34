#pragma once
/// @file yaml_writer.hpp
/// Writing Kubernetes objects as block YAML that reads back as the same JSON under both YAML
/// 1.1 (kubectl's go-yaml v2) and YAML 1.2: every string that a plain scalar would turn into
/// a boolean, number or null is quoted, and null values are left out (an unset optional field
/// is absent, never `null`).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace rollsim::output {

/// True when `s` may be written as a plain scalar and still read back as this string.
bool plain_safe(std::string_view s);

/// The object as block YAML in kubectl's layout (two spaces, list items at their key's
/// indentation), keys in their stored order, ending with a newline.
std::string to_yaml(const nlohmann::ordered_json& object);

}  // namespace rollsim::output
