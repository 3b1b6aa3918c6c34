#pragma once
/// @file error.hpp
/// Errors at the library's edges. Bad input is an InputError naming the file, the line and the
/// key path; the CLI prints what() and exits 2.

#include <stdexcept>
#include <string>

namespace rollsim {

class InputError : public std::runtime_error {
public:
    /// `line` is 1-based; 0 when the error is about the file as a whole.
    InputError(std::string file, int line, std::string path, const std::string& message);
    const std::string& file() const { return file_; }
    int line() const { return line_; }
    const std::string& path() const { return path_; }
    /// The message without the location prefix.
    const std::string& message() const { return message_; }

private:
    std::string file_;
    int line_;
    std::string path_;
    std::string message_;
};

/// A file rollsim was asked to write could not be written.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace rollsim
