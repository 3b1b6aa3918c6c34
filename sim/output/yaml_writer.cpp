#include "output/yaml_writer.hpp"

#include <cctype>

#include "input/yaml_reader.hpp"

namespace rollsim::output {

namespace {

using ojson = nlohmann::ordered_json;

bool plain_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::string_view("-_./:=+@,()$~^;<>").find(c) != std::string_view::npos ||
           c == ' ' || static_cast<unsigned char>(c) >= 0x80;
}

/// A string in YAML's double-quoted style, which accepts JSON's escapes.
std::string quoted(const std::string& s) {
    return ojson(s).dump(-1, ' ', false, ojson::error_handler_t::replace);
}

/// Multi-line text as a literal block (`|`), when the block can hold it exactly.
bool literal_ok(const std::string& s) {
    if (s.find('\n') == std::string::npos || s.front() == ' ' || s.front() == '\n') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 && c != '\n' && c != '\t') return false;
        if (c == ' ' && (i + 1 == s.size() || s[i + 1] == '\n')) return false;  // trailing spaces
        if (c == '\n' && i + 1 < s.size() && (s[i + 1] == ' ' || s[i + 1] == '\t')) return false;
    }
    return true;
}

std::string scalar(const ojson& v) {
    if (v.is_string()) {
        const std::string& s = v.get_ref<const std::string&>();
        return plain_safe(s) ? s : quoted(s);
    }
    if (v.is_null()) return "null";
    return v.dump();
}

void write(const ojson& v, int indent, std::string& out);

/// `key: value` lines for a mapping's entries; nulls are left out.
void write_map(const ojson& o, int indent, std::string& out, bool first_inline) {
    bool first = true;
    for (const auto& [key, value] : o.items()) {
        if (value.is_null()) continue;
        if (!(first && first_inline)) out.append(static_cast<std::size_t>(indent), ' ');
        first = false;
        out += plain_safe(key) ? key : quoted(key);
        out += ':';
        if (value.is_object() && !value.empty()) {
            out += '\n';
            write_map(value, indent + 2, out, false);
        } else if (value.is_array() && !value.empty()) {
            out += '\n';
            write(value, indent, out);
        } else if (value.is_string() && literal_ok(value.get_ref<const std::string&>())) {
            const std::string& s = value.get_ref<const std::string&>();
            std::size_t trailing = 0;
            while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
            out += trailing == 0 ? " |-\n" : trailing == 1 ? " |\n" : " |+\n";
            std::size_t start = 0;
            const std::string body = s.substr(0, s.size() - trailing);
            while (start <= body.size()) {
                const std::size_t end = std::min(body.find('\n', start), body.size());
                if (end > start) out.append(static_cast<std::size_t>(indent + 2), ' ');
                out.append(body, start, end - start);
                out += '\n';
                start = end + 1;
            }
            for (std::size_t i = 1; i < trailing; ++i) out += '\n';
        } else {
            out += ' ';
            out += value.is_object() ? "{}" : value.is_array() ? "[]" : scalar(value);
            out += '\n';
        }
    }
    if (first && !first_inline) {
        out.append(static_cast<std::size_t>(indent), ' ');
        out += "{}\n";
    }
}

/// A sequence: `- item` at `indent`, a mapping item's first key on the dash's line.
void write(const ojson& v, int indent, std::string& out) {
    for (const auto& item : v) {
        out.append(static_cast<std::size_t>(indent), ' ');
        out += "- ";
        const bool has_entries = item.is_object() && std::any_of(item.begin(), item.end(), [](const ojson& x) { return !x.is_null(); });
        if (has_entries) {
            write_map(item, indent + 2, out, true);
        } else if (item.is_array() && !item.empty()) {
            out += '\n';
            write(item, indent + 2, out);
        } else {
            out += item.is_object() ? "{}" : item.is_array() ? "[]" : item.is_string() && literal_ok(item.get_ref<const std::string&>()) ? quoted(item.get_ref<const std::string&>()) : scalar(item);
            out += '\n';
        }
    }
}

}  // namespace

bool plain_safe(std::string_view s) {
    if (s.empty() || s.front() == ' ' || s.back() == ' ' || s.back() == ':') return false;
    // Indicators that may not start a plain scalar.
    if (std::string_view("-?:,[]{}#&*!|>'\"%@`=<~").find(s.front()) != std::string_view::npos) {
        if (!(s.front() == '-' && s.size() > 1 && s[1] != ' ' && s[1] != '-' && !std::isdigit(static_cast<unsigned char>(s[1])) && s[1] != '.')) {
            return false;
        }
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!plain_char(s[i])) return false;
        if (s[i] == ':' && i + 1 < s.size() && s[i + 1] == ' ') return false;
        if (s[i] == ' ' && i + 1 < s.size() && s[i + 1] == '#') return false;
    }
    // Whatever YAML 1.1 or 1.2 would type: booleans, nulls, numbers in any base, and (to stay
    // clear of YAML 1.1 timestamps and sexagesimals) anything made only of digits and -.:_+.
    if (input::resolve_yaml11(s).type != input::Yaml11Scalar::Type::String) return false;
    const bool numberish = s.find_first_not_of("0123456789-.:_+eE") == std::string_view::npos &&
                           s.find_first_of("0123456789") != std::string_view::npos;
    if (numberish) return false;
    static constexpr std::string_view kWords[] = {".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN"};
    for (auto w : kWords) {
        if (s == w) return false;
    }
    if (s.size() >= 2 && (s.substr(0, 2) == "0o" || s.substr(0, 2) == "0x" || s.substr(0, 2) == "0b")) return false;
    return true;
}

std::string to_yaml(const ojson& object) {
    std::string out;
    if (object.is_object()) {
        write_map(object, 0, out, false);
    } else if (object.is_array()) {
        write(object, 0, out);
    } else {
        out = scalar(object) + "\n";
    }
    return out;
}

}  // namespace rollsim::output
