#include "input/yaml_reader.hpp"

#include <cctype>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include "input/units.hpp"

namespace rollsim::input {

YamlNode::YamlNode(YAML::Node node, std::shared_ptr<const Doc> doc, std::string path)
    : node_(std::move(node)), doc_(std::move(doc)), path_(std::move(path)) {}

const char* Yaml11Scalar::json_type() const {
    switch (type) {
        case Type::Null: return "null";
        case Type::Bool: return "bool";
        case Type::Int:
        case Type::Float: return "number";
        case Type::String: break;
    }
    return "string";
}

std::optional<std::int64_t> Yaml11Scalar::whole() const {
    if (type == Type::Int) return integer;
    if (type == Type::Float && real == std::floor(real) && std::abs(real) < 9.0e15) return static_cast<std::int64_t>(real);
    return std::nullopt;
}

// go-yaml v2's resolve(): null and boolean words, then (digits and signs first) an integer by
// Go's ParseInt with base prefixes (0x, 0o, 0b, and a leading 0 for octal) once underscores are
// removed, then a float matching ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$.
// Timestamps stay strings when decoded into interface{}, as kubectl decodes.
Yaml11Scalar resolve_yaml11(std::string_view in) {
    using Type = Yaml11Scalar::Type;
    Yaml11Scalar out;
    static const std::set<std::string_view> kNull = {"", "~", "null", "Null", "NULL"};
    static const std::set<std::string_view> kTrue = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
    static const std::set<std::string_view> kFalse = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
    if (kNull.count(in) != 0) {
        out.type = Type::Null;
        return out;
    }
    if (kTrue.count(in) != 0 || kFalse.count(in) != 0) {
        out.type = Type::Bool;
        out.boolean = kTrue.count(in) != 0;
        return out;
    }
    const char first = in.front();
    if (!(std::isdigit(static_cast<unsigned char>(first)) || first == '+' || first == '-' || first == '.')) return out;
    std::string plain;
    for (char c : in) {
        if (c != '_') plain += c;
    }
    std::string_view body = plain;
    bool negative = false;
    if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
        negative = body.front() == '-';
        body.remove_prefix(1);
    }
    int base = 10;
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) base = 16;
    else if (body.size() > 2 && body[0] == '0' && (body[1] == 'o' || body[1] == 'O')) base = 8;
    else if (body.size() > 2 && body[0] == '0' && (body[1] == 'b' || body[1] == 'B')) base = 2;
    std::string_view digits = base == 10 ? body : body.substr(2);
    if (base == 10 && digits.size() > 1 && digits[0] == '0') base = 8;
    std::uint64_t u = 0;
    if (!digits.empty()) {
        const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
        const std::uint64_t limit = negative ? (std::uint64_t{1} << 63) : (std::uint64_t{1} << 63) - 1;
        if (ec == std::errc{} && ptr == digits.data() + digits.size() && u <= limit) {
            out.type = Type::Int;
            out.integer = negative ? static_cast<std::int64_t>(0 - u) : static_cast<std::int64_t>(u);
            return out;
        }
    }
    // yamlStyleFloat
    std::size_t i = (plain[0] == '+' || plain[0] == '-') ? 1 : 0;
    const auto digit_run = [&] {
        const std::size_t start = i;
        while (i < plain.size() && std::isdigit(static_cast<unsigned char>(plain[i]))) ++i;
        return i - start;
    };
    bool ok = false;
    if (i < plain.size() && plain[i] == '.') {
        ++i;
        ok = digit_run() > 0;
    } else if (digit_run() > 0) {
        ok = true;
        if (i < plain.size() && plain[i] == '.') {
            ++i;
            digit_run();
        }
    }
    if (ok && i < plain.size() && (plain[i] == 'e' || plain[i] == 'E')) {
        ++i;
        if (i < plain.size() && (plain[i] == '+' || plain[i] == '-')) ++i;
        ok = digit_run() > 0;
    }
    if (ok && i == plain.size()) {
        const char* b = plain.data() + (plain[0] == '+' ? 1 : 0);
        double d = 0;
        const auto [ptr, ec] = std::from_chars(b, plain.data() + plain.size(), d);
        if (ec == std::errc{} && ptr == plain.data() + plain.size() && std::isfinite(d)) {
            out.type = Type::Float;
            out.real = d;
        }
    }
    return out;
}

namespace {

/// yaml-cpp's messages start with "yaml-cpp: error at line L, column C: "; keep the rest.
std::string yaml_message(const YAML::Exception& e) {
    std::string m = e.msg;
    if (!m.empty()) m[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(m[0])));
    return m.empty() ? "invalid YAML" : "invalid YAML: " + m;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t sub = prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

/// The length of the well-formed UTF-8 sequence that starts at text[i] (a byte of 0x80 or
/// more), or 0: overlong forms, surrogates and code points past U+10FFFF are not well-formed.
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (len == 0 || i + len > text.size()) return 0;
    std::uint32_t cp = len == 2 ? c & 0x1fu : len == 3 ? c & 0x0fu : c & 0x07u;
    for (std::size_t k = 1; k < len; ++k) {
        const auto cc = static_cast<unsigned char>(text[i + k]);
        if ((cc & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3fu);
    }
    if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return 0;
    if (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) return 0;
    return len;
}

bool is_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        if (static_cast<unsigned char>(text[i]) < 0x80) {
            ++i;
        } else if (const std::size_t len = utf8_sequence(text, i); len > 0) {
            i += len;
        } else {
            return false;
        }
    }
    return true;
}

/// The text before yaml-cpp reads it, in one pass. A YAML stream is UTF-8 (YAML 1.2 §5.2; go-yaml:
/// "invalid leading UTF-8 octet") of printable characters: of the C0 controls only tab, line feed
/// and carriage return (§5.1; go-yaml: "control characters are not allowed"). Names the line and
/// column of the first bad byte. Returns whether the parsed documents need DocumentCheck: only
/// anchors make aliases, and only escapes and non-ASCII text (yaml-cpp cuts U+0085 NEL, a line
/// break to it, in two) make scalars that are not UTF-8.
bool check_text(std::string_view text, const std::string& file) {
    bool needs_walk = false;
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool control = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
        const std::size_t len = c < 0x80 ? 1 : utf8_sequence(text, i);
        if (control || len == 0) {
            const std::size_t column = i - line_start + 1;
            throw InputError(file, line, "",
                             control ? fmt::format("a control character (byte 0x{:02x}) at column {}: YAML allows "
                                                   "printable characters, tabs and line breaks only", c, column)
                                     : fmt::format("invalid UTF-8: byte 0x{:02x} at column {} (YAML files are UTF-8)",
                                                   c, column));
        }
        needs_walk = needs_walk || c == '&' || c == '\\' || c >= 0x80;
        if (c == '\n') {
            ++line;
            line_start = i + 1;
        }
        i += len;
    }
    return needs_walk;
}

/// Whether `text` is one JSON value in brackets with every ',' inside them, as `kubectl -o json`
/// prints it: a scan that answers no (and so leaves the text to ProgressCheck) at anything JSON
/// would not write outside a string: a quote that does not start a value, a YAML indicator
/// (' # & * ! | > % @ `), a bracket that closes another's, or anything after the value.
bool commas_inside_json(const std::string& text) {
    std::string open;  // the brackets not yet closed
    bool in_string = false, closed = false;
    char before = '[';  // the last character outside strings and whitespace
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
                before = c;
            }
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
        if (closed) return false;
        if (c == '"') {
            if (before != '[' && before != '{' && before != ',' && before != ':') return false;
            in_string = true;
            continue;
        }
        if (c == '{' || c == '[') {
            open.push_back(c);
        } else if (c == '}' || c == ']') {
            if (open.empty() || open.back() != (c == '}' ? '{' : '[')) return false;
            open.pop_back();
            closed = open.empty();
        } else if (c == ',') {
            if (open.empty()) return false;
        } else if (open.empty() || !(std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == '-' || c == '+')) {
            return false;
        }
        before = c;
    }
    return closed && !in_string;
}

/// yaml-cpp 0.7 loops forever, allocating, on a ',' outside any [ ] or { } where a document
/// starts (" ,a", "- a\n,"): its parser begins a document there, consumes nothing, and begins the
/// next at the same place (jbeder/yaml-cpp#1040; LoadAll is mended upstream by #1319, after 0.7).
/// So a text with a comma is first read by the parser alone, without building nodes, and a
/// document that begins where the one before it began is refused. JSON whose commas are all
/// inside its brackets cannot begin a document at one, and skips that reading (a 5,000-node
/// `kubectl get nodes -o json` list: 0.15 s).
class ProgressCheck : public YAML::EventHandler {
public:
    static void run(const std::string& text, const std::string& file) {
        if (text.find(',') == std::string::npos || commas_inside_json(text)) return;
        std::istringstream in(text);
        YAML::Parser parser(in);
        ProgressCheck check;
        while (parser.HandleNextDocument(check)) {
            if (!check.stuck_) continue;
            const YAML::Mark& at = check.start_;
            const auto pos = static_cast<std::size_t>(std::max(at.pos, 0));
            const char c = pos < text.size() ? text[pos] : ' ';
            const std::string what = c == ',' ? "a ',' outside any [ ] or { }" : fmt::format("unexpected '{}'", c);
            throw InputError(file, at.line + 1, "", fmt::format("invalid YAML: {} at column {}", what, at.column + 1));
        }
    }

    void OnDocumentStart(const YAML::Mark& mark) override {
        stuck_ = started_ && mark.pos == start_.pos;
        started_ = true;
        start_ = mark;
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}

private:
    YAML::Mark start_;
    bool started_ = false;
    bool stuck_ = false;
};

/// A document whose aliases expand it past this many nodes, and to more than
/// kMaxAliasGrowth times its written size, is refused (a "billion laughs"). go-yaml refuses
/// "excessive aliasing" by a similar ratio (decode.go, allowedAliasRatio).
constexpr std::uint64_t kMaxExpandedNodes = 1'000'000;
constexpr std::uint64_t kMaxAliasGrowth = 10;

/// One walk over a parsed document, each container once (an alias is the same node as its
/// anchor, with the same mark): counts its size with aliases expanded, finds an alias inside its
/// own anchor (a cycle, which yaml-cpp builds), and checks the scalars: yaml-cpp writes escapes
/// such as "\x85" as single bytes, which are not UTF-8.
class DocumentCheck {
public:
    DocumentCheck(const std::string& file) : file_(file) {}

    void run(const YAML::Node& doc) {
        const std::uint64_t total = size(doc);
        if (total > kMaxExpandedNodes && total > kMaxAliasGrowth * std::max<std::uint64_t>(written_, 1)) {
            fail(doc, fmt::format("its aliases expand {} written nodes to {} (more than {}x): refused "
                                  "as an alias bomb; write the values out",
                                  written_, total, kMaxAliasGrowth));
        }
    }

private:
    static constexpr std::uint64_t kInProgress = ~std::uint64_t{0};

    [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const {
        const YAML::Mark m = at.Mark();
        throw InputError(file_, m.is_null() ? 0 : m.line + 1, "", message);
    }

    std::uint64_t size(const YAML::Node& n) {
        if (!n.IsMap() && !n.IsSequence()) {
            if (n.IsScalar() && !is_utf8(n.Scalar())) {
                fail(n, "a string is not UTF-8 once its escapes are read (\\x80-\\xff stand for single "
                        "bytes here): write the character itself");
            }
            return 1;
        }
        const YAML::Mark m = n.Mark();
        const std::uint64_t key = (static_cast<std::uint64_t>(m.pos) << 1) | (n.IsMap() ? 1u : 0u);
        if (const auto it = expanded_.find(key); it != expanded_.end()) {
            if (it->second == kInProgress) fail(n, "an alias refers to the anchor it is inside (a cycle)");
            return it->second;
        }
        expanded_.emplace(key, kInProgress);
        ++written_;
        std::uint64_t total = 1;
        const auto add = [&](const YAML::Node& child) {
            if (!child.IsMap() && !child.IsSequence()) ++written_;
            total = std::min(total + size(child), std::uint64_t{1} << 62);
        };
        for (auto it = n.begin(); it != n.end(); ++it) {
            if (n.IsMap()) {
                add(it->first);
                add(it->second);
            } else {
                add(*it);
            }
        }
        expanded_[key] = total;
        return total;
    }

    const std::string& file_;
    std::unordered_map<std::uint64_t, std::uint64_t> expanded_;  ///< by the container's mark
    std::uint64_t written_ = 0;
};

}  // namespace

YamlNode YamlNode::parse(const std::string& text, const std::string& file) {
    auto docs = parse_all(text, file);
    if (docs.empty()) throw InputError(file, 0, "", "is empty: expected a YAML document");
    return docs.front();
}

std::vector<YamlNode> YamlNode::parse_all(const std::string& text, const std::string& file, Dialect dialect) {
    const bool needs_walk = check_text(text, file);
    auto name = std::make_shared<const Doc>(Doc{file, dialect});
    std::vector<YamlNode> out;
    try {
        ProgressCheck::run(text, file);
        for (auto& doc : YAML::LoadAll(text)) {
            if (!doc || doc.IsNull()) continue;
            if (needs_walk) DocumentCheck(file).run(doc);
            out.emplace_back(doc, name, "");
        }
    } catch (const YAML::DeepRecursion& e) {
        throw InputError(file, e.mark.is_null() ? 0 : e.mark.line + 1, "",
                         "invalid YAML: nested more than 500 levels deep");
    } catch (const YAML::Exception& e) {
        throw InputError(file, e.mark.is_null() ? 0 : e.mark.line + 1, "", yaml_message(e));
    }
    return out;
}

int YamlNode::line() const {
    if (!node_) return 0;
    const YAML::Mark m = node_.Mark();
    return m.is_null() ? 0 : m.line + 1;
}

YamlNode YamlNode::as_kubernetes() const {
    if (dialect() == Dialect::Kubernetes) return *this;
    return YamlNode(node_, std::make_shared<const Doc>(Doc{file(), Dialect::Kubernetes}), path_);
}

void YamlNode::fail(const std::string& message) const {
    throw InputError(file(), line(), path_, message);
}

std::optional<YamlNode> YamlNode::get(std::string_view key) const {
    if (!is_map()) fail("must be a mapping");
    std::optional<YamlNode> found;
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key) {
            found = YamlNode(it->second, doc_, path_.empty() ? std::string(key) : path_ + "." + std::string(key));
            if (dialect() == Dialect::Rollsim) break;
        }
    }
    return found;
}

int YamlNode::key_line(std::string_view key) const {
    if (!is_map()) return 0;
    int line = 0;
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key && !it->first.Mark().is_null()) {
            line = it->first.Mark().line + 1;
            if (dialect() == Dialect::Rollsim) break;  // as get() picks a repeated key
        }
    }
    return line;
}

YamlNode YamlNode::require(std::string_view key) const {
    auto child = get(key);
    if (!child) fail(fmt::format("the key \"{}\" is required", key));
    return *child;
}

std::vector<std::pair<std::string, YamlNode>> YamlNode::entries() const {
    if (!is_map()) fail("must be a mapping");
    std::vector<std::pair<std::string, YamlNode>> out;
    std::set<std::string> seen;
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        if (!it->first.IsScalar()) {
            YamlNode(it->first, doc_, path_).fail("keys must be plain strings");
        }
        const std::string key = it->first.Scalar();
        const std::string child_path = path_.empty() ? key : path_ + "." + key;
        YamlNode child(it->second, doc_, child_path);
        if (!seen.insert(key).second) {
            if (dialect() == Dialect::Rollsim) YamlNode(it->first, doc_, child_path).fail("duplicate key");
            // Kubernetes: the last value wins, in the place of the first.
            for (auto& [k, v] : out) {
                if (k == key) v = child;
            }
            continue;
        }
        out.emplace_back(key, std::move(child));
    }
    return out;
}

std::vector<YamlNode> YamlNode::items() const {
    if (!is_seq()) fail("must be a list");
    std::vector<YamlNode> out;
    std::size_t i = 0;
    for (const auto& item : node_) out.emplace_back(item, doc_, fmt::format("{}[{}]", path_, i++));
    return out;
}

std::string did_you_mean(std::string_view key, const std::vector<std::string_view>& allowed) {
    std::string best;
    std::size_t best_d = 4;
    for (auto a : allowed) {
        const std::size_t d = edit_distance(key, a);
        if (d < best_d) {
            best_d = d;
            best = std::string(a);
        }
    }
    return best;
}

void YamlNode::allow_keys(std::initializer_list<std::string_view> allowed) const {
    const std::vector<std::string_view> list(allowed);
    for (const auto& [key, child] : entries()) {
        if (std::find(list.begin(), list.end(), key) != list.end()) continue;
        const std::string hint = did_you_mean(key, list);
        std::string message = "unknown key";
        if (!hint.empty()) message += fmt::format(" (did you mean \"{}\"?)", hint);
        // Point at the key's own line when the value is on another.
        throw InputError(file(), child.line() > 0 ? child.line() : line(), child.path(), message);
    }
}

std::string YamlNode::str() const {
    if (!is_scalar()) fail(is_null() ? "must not be empty" : "must be a string");
    return node_.Scalar();
}

std::string YamlNode::k8s_string() const {
    const std::string s = str();
    if (dialect() == Dialect::Kubernetes && !quoted()) {
        const Yaml11Scalar r = resolve_yaml11(s);
        if (r.type != Yaml11Scalar::Type::String && r.type != Yaml11Scalar::Type::Null) {
            fail(fmt::format("cannot unmarshal {} into a string field: YAML reads {} as a {}, and the API "
                             "server rejects it; quote it (\"{}\")",
                             r.json_type(), s, r.type == Yaml11Scalar::Type::Bool ? "boolean" : "number", s));
        }
    }
    return s;
}

bool YamlNode::boolean() const {
    const std::string s = str();
    if (!quoted() && dialect() == Dialect::Kubernetes) {
        const Yaml11Scalar r = resolve_yaml11(s);
        if (r.type == Yaml11Scalar::Type::Bool) return r.boolean;
        fail(fmt::format("cannot unmarshal {} into a boolean field (\"{}\")", r.json_type(), s));
    }
    if (!quoted() && (s == "true" || s == "True" || s == "TRUE")) return true;
    if (!quoted() && (s == "false" || s == "False" || s == "FALSE")) return false;
    fail(fmt::format("must be true or false, not \"{}\"", s));
}

std::int64_t YamlNode::integer() const {
    const std::string s = str();
    if (!quoted() && dialect() == Dialect::Kubernetes) {
        if (const auto v = resolve_yaml11(s).whole()) return *v;
        fail(fmt::format("must be an integer, not \"{}\"", s));
    }
    std::int64_t v = 0;
    const char* b = s.data();
    if (!s.empty() && s[0] == '+') ++b;
    const auto [ptr, ec] = std::from_chars(b, s.data() + s.size(), v);
    if (quoted() || s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) {
        fail(fmt::format("must be an integer, not \"{}\"", s));
    }
    return v;
}

std::int32_t YamlNode::int32() const {
    const std::int64_t v = integer();
    if (v < INT32_MIN || v > INT32_MAX) fail(fmt::format("{} is out of range for an int32", v));
    return static_cast<std::int32_t>(v);
}

double YamlNode::number() const {
    const std::string s = str();
    double v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (quoted() || s.empty() || ec != std::errc{} || ptr != s.data() + s.size() || !std::isfinite(v)) {
        fail(fmt::format("must be a number, not \"{}\"", s));
    }
    return v;
}

double YamlNode::probability() const {
    const double p = number();
    if (p < 0 || p > 1) fail(fmt::format("must be a probability between 0 and 1, not {}", p));
    return p;
}

SimTime YamlNode::duration() const {
    const std::string s = str();
    if (quoted() && !s.empty() && s.find_first_not_of("0123456789.") == std::string::npos) {
        // "90" in quotes: seconds, or minutes the writer forgot? Only a plain number means seconds.
        fail(fmt::format("\"{}\": a quoted duration needs a unit ({}s, {}m, {}ms, …); a plain number "
                         "means seconds", s, s, s, s));
    }
    const DurationParse d = parse_duration(s);
    if (!d.value) fail(fmt::format("\"{}\": {}", s, d.error));
    return *d.value;
}

std::int64_t YamlNode::quantity(std::int32_t scale) const {
    const std::string text = str();
    const QuantityParse q = parse_quantity(text);
    if (!q.value) fail(q.error);
    if (q.value->negative) fail("must not be negative");
    const auto v = q.value->scaled_ceil(scale);
    if (!v) fail(fmt::format("\"{}\" is too large", text));
    return *v;
}

IntOrString YamlNode::int_or_string() const {
    const std::string text = str();
    if (!quoted() && dialect() == Dialect::Kubernetes) {
        const Yaml11Scalar r = resolve_yaml11(text);
        if (r.type == Yaml11Scalar::Type::Int) return IntOrString::of(r.integer);
        if (r.type == Yaml11Scalar::Type::String) return IntOrString::of(text);
        fail(fmt::format("cannot unmarshal {} into an int or string (\"{}\")", r.json_type(), text));
    }
    if (!quoted()) {
        std::int64_t i = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
        if (ec == std::errc{} && ptr == text.data() + text.size()) return IntOrString::of(i);
    }
    return IntOrString::of(text);
}

DistributionSpec YamlNode::distribution() const {
    using Kind = DistributionSpec::Kind;
    if (is_scalar()) return DistributionSpec::constant(duration().to_seconds());
    if (!is_map()) fail("must be a duration or a distribution such as {distribution: uniform, min: 90s, max: 180s}");
    const std::string kind = require("distribution").str();
    DistributionSpec d;
    const auto seconds = [&](std::string_view key) { return require(key).duration().to_seconds(); };
    const auto clamps = [&] {
        if (auto v = get("min")) d.clamp_min = v->duration().to_seconds();
        if (auto v = get("max")) d.clamp_max = v->duration().to_seconds();
    };
    if (kind == "constant") {
        allow_keys({"distribution", "value", "min", "max"});
        d.value = seconds("value");
        clamps();
    } else if (kind == "uniform") {
        allow_keys({"distribution", "min", "max"});
        d.kind = Kind::Uniform;
        d.low = seconds("min");
        d.high = seconds("max");
        if (d.high < d.low) require("max").fail("must not be less than min");
    } else if (kind == "normal") {
        allow_keys({"distribution", "mean", "stddev", "min", "max"});
        d.kind = Kind::Normal;
        d.mean = seconds("mean");
        d.stddev = seconds("stddev");
        clamps();
    } else if (kind == "lognormal") {
        allow_keys({"distribution", "median", "p95", "mu", "sigma", "min", "max"});
        d.kind = Kind::LogNormal;
        if (get("median") || get("p95")) {
            const double median = seconds("median");
            const double p95 = seconds("p95");
            if (median <= 0) require("median").fail("must be greater than 0");
            if (p95 < median) require("p95").fail("must not be less than the median");
            d.mu = std::log(median);
            d.sigma = (std::log(p95) - d.mu) / 1.6448536269514722;  // z of the 95th percentile
        } else {
            d.mu = require("mu").number();
            d.sigma = require("sigma").number();
            if (d.sigma < 0) require("sigma").fail("must not be negative");
        }
        clamps();
    } else if (kind == "exponential") {
        allow_keys({"distribution", "mean", "min", "max"});
        d.kind = Kind::Exponential;
        d.mean = seconds("mean");
        clamps();
    } else if (kind == "empirical") {
        allow_keys({"distribution", "samples", "quantiles", "min", "max"});
        d.kind = Kind::Empirical;
        if (auto s = get("samples")) {
            for (const auto& item : s->items()) d.samples.push_back(item.duration().to_seconds());
            if (d.samples.empty()) s->fail("must list at least one sample");
        } else {
            const YamlNode q = require("quantiles");
            for (const auto& [p, value] : q.entries()) {
                double pv = 0;
                const auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), pv);
                if (ec != std::errc{} || ptr != p.data() + p.size() || pv < 0 || pv > 1) {
                    value.fail("quantile keys are probabilities between 0 and 1, e.g. 0.5: 90s");
                }
                d.quantiles.emplace_back(pv, value.duration().to_seconds());
            }
            if (d.quantiles.empty()) q.fail("must list at least one quantile");
            std::sort(d.quantiles.begin(), d.quantiles.end());
            for (std::size_t i = 1; i < d.quantiles.size(); ++i) {
                if (d.quantiles[i].second < d.quantiles[i - 1].second) {
                    q.fail("values must not decrease as the quantile grows");
                }
            }
        }
        clamps();
    } else if (kind == "mixture") {
        allow_keys({"distribution", "components", "min", "max"});
        d.kind = Kind::Mixture;
        double total = 0;
        for (const auto& c : require("components").items()) {
            const double w = c.require("weight").number();
            if (w <= 0) c.require("weight").fail("must be greater than 0");
            // A component is a distribution with a weight beside it.
            YAML::Node copy = YAML::Clone(c.raw());
            copy.remove("weight");
            d.components.push_back(YamlNode(copy, doc_, c.path()).distribution());
            d.weights.push_back(w);
            total += w;
        }
        if (d.components.empty()) require("components").fail("must list at least one component");
        for (double& w : d.weights) w /= total;
        clamps();
    } else {
        require("distribution").fail(fmt::format(
            "unknown distribution \"{}\" (constant, uniform, normal, lognormal, exponential, "
            "empirical, mixture)",
            kind));
    }
    if (d.clamp_min && d.clamp_max && *d.clamp_max < *d.clamp_min) fail("max must not be less than min");
    return d;
}

}  // namespace rollsim::input
