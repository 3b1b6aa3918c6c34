#pragma once
/// @file yaml_reader.hpp
/// YAML with its provenance: every node knows its file, its line and its key path, so every
/// error says where it is: `edge.yaml:14: spec.variants.strategies[1].name: must be a string`.
/// yaml-cpp stays inside sim/io; the rest of rollsim sees plain structs.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "rollsim/daemonset.hpp"
#include "rollsim/distribution.hpp"
#include "rollsim/error.hpp"
#include "rollsim/sim_time.hpp"

namespace rollsim::io {

class YamlNode {
public:
    YamlNode(YAML::Node node, std::shared_ptr<const std::string> file, std::string path);

    /// Parses YAML text (the first document); errors name the file and line.
    static YamlNode parse(const std::string& text, const std::string& file);
    /// Every document of a stream, empty documents skipped.
    static std::vector<YamlNode> parse_all(const std::string& text, const std::string& file);

    const std::string& path() const { return path_; }
    const std::string& file() const { return *file_; }
    int line() const;  ///< 1-based
    const YAML::Node& raw() const { return node_; }

    bool is_null() const { return !node_ || node_.IsNull(); }
    bool is_map() const { return node_.IsMap(); }
    bool is_seq() const { return node_.IsSequence(); }
    bool is_scalar() const { return node_.IsScalar(); }
    /// The scalar was quoted ('…' or "…"), so it is a string whatever it looks like.
    bool quoted() const { return is_scalar() && node_.Tag() == "!"; }

    [[noreturn]] void fail(const std::string& message) const;

    /// The child `key` of a mapping, if present (an explicit null counts as present).
    std::optional<YamlNode> get(std::string_view key) const;
    /// The child `key`, or an error saying it is required.
    YamlNode require(std::string_view key) const;
    /// A mapping's entries in file order. Fails on a non-mapping and on duplicate keys.
    std::vector<std::pair<std::string, YamlNode>> entries() const;
    /// A sequence's items. Fails on a non-sequence.
    std::vector<YamlNode> items() const;
    /// Fails on the first key not in `allowed`, suggesting the nearest allowed key.
    void allow_keys(std::initializer_list<std::string_view> allowed) const;

    std::string str() const;         ///< a scalar, as written
    bool boolean() const;            ///< true | false
    std::int64_t integer() const;    ///< a plain integer
    std::int32_t int32() const;
    double number() const;           ///< a decimal number
    double probability() const;      ///< a number in [0, 1]
    SimTime duration() const;        ///< `90s`, `500ms`, `2m`, … or a plain number of seconds
    /// A non-negative Kubernetes quantity rounded up to 10^-scale units (scale 3: millicores).
    std::int64_t quantity(std::int32_t scale) const;
    /// An IntOrString as the API reads it: a plain integer is an int, anything else a string.
    IntOrString int_or_string() const;
    /// A distribution of durations (in seconds): `{distribution: uniform, min: 90s, max: 180s}`
    /// or a single duration for a constant.
    DistributionSpec distribution() const;

private:
    YAML::Node node_;
    std::shared_ptr<const std::string> file_;
    std::string path_;
};

/// The allowed key nearest to `key` (edit distance at most 3), or "".
std::string did_you_mean(std::string_view key, const std::vector<std::string_view>& allowed);

}  // namespace rollsim::io
