#pragma once
/// @file source.hpp
/// Reading input files whole (bounded in size), and their SHA-256.

#include <cstdint>
#include <string>

namespace rollsim::input {

/// Largest input file rollsim reads (scenarios, manifests, node lists).
inline constexpr std::uintmax_t kMaxInputBytes = 32u << 20;

/// The file's bytes; throws InputError (line 0) when it cannot be read or is too large.
std::string read_input_file(const std::string& path);

/// Lower-case hex SHA-256 (FIPS 180-4) of `data`.
std::string sha256_hex(const std::string& data);

}  // namespace rollsim::input
