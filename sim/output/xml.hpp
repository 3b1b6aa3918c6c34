#pragma once
/// @file xml.hpp
/// Text in XML (the SVG pictures, JUnit): &, <, > and " escaped (attributes are double-quoted).

#include <string>
#include <string_view>

namespace rollsim::output {

inline std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace rollsim::output
