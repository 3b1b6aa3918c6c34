// libFuzzer target: the DaemonSet manifest reader. Any input must read or fail with an InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "input/manifest_reader.hpp"
#include "rollsim/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        rollsim::input::read_daemonset_text(text, "fuzz.yaml", "");
    } catch (const rollsim::InputError&) {
    }
    return 0;
}
