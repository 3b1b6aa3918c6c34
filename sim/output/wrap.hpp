#pragma once
/// @file wrap.hpp
/// Text broken into lines at spaces, for the terminal's paragraphs and the pictures' headlines.

#include <string>
#include <vector>

namespace rollsim::output {

/// `text` split into lines of at most `width` characters (a longer word gets a line of its own).
inline std::vector<std::string> wrap_words(const std::string& text, std::size_t width) {
    std::vector<std::string> out(1);
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        if (!out.back().empty() && out.back().size() + 1 + word.size() > width) out.emplace_back();
        out.back() += (out.back().empty() ? "" : " ") + word;
        start = end + 1;
    }
    return out;
}

}  // namespace rollsim::output
