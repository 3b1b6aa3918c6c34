// libFuzzer target: the duration and quantity parsers and YAML 1.1 scalar typing. They report
// errors in their result; they must never throw, crash or overflow.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "input/units.hpp"
#include "input/yaml_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    rollsim::input::parse_duration(text);
    const auto q = rollsim::input::parse_quantity(text);
    if (q.value) {
        for (std::int32_t scale : {0, 3, 9}) q.value->scaled_ceil(scale);
    }
    rollsim::input::resolve_yaml11(text);
    return 0;
}
