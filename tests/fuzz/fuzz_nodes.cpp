// libFuzzer target: the node-list reader (kubectl get nodes -o yaml|json). Any input must read or
// fail with an InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "input/cluster_reader.hpp"
#include "rollsim/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        rollsim::input::read_nodes_text(text, "fuzz.yaml");
    } catch (const rollsim::InputError&) {
    }
    return 0;
}
