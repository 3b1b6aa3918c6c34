#include "model/kube_version.hpp"

#include <charconv>

namespace rollsim::model {

std::optional<KubeVersion> KubeVersion::parse(std::string_view text) {
    if (text.size() > 0 && text.front() == 'v') text.remove_prefix(1);
    if (text.substr(0, 2) != "1.") return std::nullopt;
    text.remove_prefix(2);
    // Accept a patch level ("1.31.6"): behaviour is chosen by minor version.
    if (const auto dot = text.find('.'); dot != std::string_view::npos) text = text.substr(0, dot);
    int minor = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), minor);
    if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    if (minor < 28 || minor > 35) return std::nullopt;
    return KubeVersion{minor};
}

}  // namespace rollsim::model
