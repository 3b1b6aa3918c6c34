// libFuzzer target: the scenario loader (docs/development.md, "Fuzzing"). Any input must load or
// fail with an InputError; anything else (a crash, a sanitizer report, another exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "rollsim/error.hpp"
#include "rollsim/io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        // Anchored beside the bundled manifests, so seeds that name them load them.
        rollsim::load_scenario_text(text, ROLLSIM_SOURCE_DIR "/scenarios/edge-proxy-single-node/fuzz.yaml");
    } catch (const rollsim::InputError&) {
    }
    return 0;
}
