#pragma once
/// @file yaml_reader.hpp
/// YAML with its provenance: every node knows its file, its line and its key path, so every
/// error says where it is: `edge.yaml:14: spec.variants.strategies[1].name: must be a string`.
/// yaml-cpp stays inside sim/input; the rest of rollsim sees plain structs.

#include <cstdint>
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

namespace rollsim::input {

/// How a document's plain scalars and repeated keys are read.
enum class Dialect : std::uint8_t {
    /// rollsim's own files: a repeated key is an error; true/false are the only booleans.
    Rollsim,
    /// Kubernetes manifests, read as kubectl reads them (sigs.k8s.io/yaml over go-yaml v2):
    /// a repeated key takes the last value; plain scalars are typed by YAML 1.1 rules
    /// (`yes`/`on` are booleans, `0755` is octal 493), see resolve_yaml11.
    Kubernetes,
};

/// How go-yaml v2 (resolve.go, used by sigs.k8s.io/yaml's YAMLToJSON) types a plain scalar.
struct Yaml11Scalar {
    enum class Type : std::uint8_t { Null, Bool, Int, Float, String };
    Type type = Type::String;
    bool boolean = false;
    std::int64_t integer = 0;
    double real = 0;
    /// "null", "bool", "number" or "string": the JSON type the API server's decoder sees.
    const char* json_type() const;
    /// The integer the API server receives: an Int, or a whole Float (sigs.k8s.io/yaml writes
    /// floats with %g, so `08`, read as 8.0, reaches the API as the JSON 8).
    std::optional<std::int64_t> whole() const;
};
Yaml11Scalar resolve_yaml11(std::string_view plain);

class YamlNode {
public:
    struct Doc {
        std::string file;
        Dialect dialect = Dialect::Rollsim;
    };
    YamlNode(YAML::Node node, std::shared_ptr<const Doc> doc, std::string path);

    /// Parses YAML text (the first document); errors name the file and line.
    static YamlNode parse(const std::string& text, const std::string& file);
    /// Every document of a stream, empty documents skipped.
    static std::vector<YamlNode> parse_all(const std::string& text, const std::string& file,
                                           Dialect dialect = Dialect::Rollsim);
    /// The same node, read from here down as a Kubernetes manifest (an inline manifest).
    YamlNode as_kubernetes() const;

    const std::string& path() const { return path_; }
    const std::string& file() const { return doc_->file; }
    Dialect dialect() const { return doc_->dialect; }
    int line() const;  ///< 1-based
    const YAML::Node& raw() const { return node_; }

    bool is_null() const { return !node_ || node_.IsNull(); }
    bool is_map() const { return node_.IsMap(); }
    bool is_seq() const { return node_.IsSequence(); }
    bool is_scalar() const { return node_.IsScalar(); }
    /// The scalar was quoted ('…' or "…"), so it is a string whatever it looks like.
    bool quoted() const { return is_scalar() && node_.Tag() == "!"; }

    [[noreturn]] void fail(const std::string& message) const;

    /// The child `key` of a mapping, if present (an explicit null counts as present). A
    /// repeated key is the first one (Rollsim: entries() rejects it) or the last (Kubernetes).
    std::optional<YamlNode> get(std::string_view key) const;
    /// The child `key`, or an error saying it is required.
    YamlNode require(std::string_view key) const;
    /// The line of the key `key` itself (a mapping's value starts on the line after it); 0 when
    /// it is absent.
    int key_line(std::string_view key) const;
    /// A mapping's entries in file order. Fails on a non-mapping, and on a repeated key in the
    /// Rollsim dialect; in the Kubernetes dialect the last value of a repeated key wins.
    std::vector<std::pair<std::string, YamlNode>> entries() const;
    /// A sequence's items. Fails on a non-sequence.
    std::vector<YamlNode> items() const;
    /// Fails on the first key not in `allowed`, suggesting the nearest allowed key.
    void allow_keys(std::initializer_list<std::string_view> allowed) const;

    std::string str() const;         ///< a scalar, as written
    /// A scalar for a field the Kubernetes API types as a string: in the Kubernetes dialect a
    /// plain `8080`, `yes` or `1.5` fails as the API server fails it (the JSON it receives
    /// holds a number or a boolean there).
    std::string k8s_string() const;
    bool boolean() const;            ///< true | false (and YAML 1.1's yes/on/… in the Kubernetes dialect)
    std::int64_t integer() const;    ///< a plain integer (YAML 1.1 forms such as 0755 in the Kubernetes dialect)
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
    std::shared_ptr<const Doc> doc_;
    std::string path_;
};

/// The allowed key nearest to `key` (edit distance at most 3), or "".
std::string did_you_mean(std::string_view key, const std::vector<std::string_view>& allowed);

}  // namespace rollsim::input
