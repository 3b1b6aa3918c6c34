#include "experiment/words.hpp"

#include <cmath>
#include <cstdint>
#include <iterator>

#include <fmt/format.h>

namespace rollsim::experiment {

std::string duration_words(double s, bool tenths) {
    if (s >= 3600) return fmt::format("{:.1f} h", s / 3600);
    if (s >= 120) return fmt::format("{:.1f} min", s / 60);
    return tenths ? fmt::format("{:.1f} s", s) : fmt::format("{:.0f} s", s);
}

std::string count_words(std::int64_t n, const std::string& singular) {
    return fmt::format("{} {}{}", n, singular, n == 1 ? "" : "s");
}

std::string node_seconds_words(double node_seconds) {
    const double r = std::round(node_seconds);
    if (r == 1) return "1 node-second";
    return (r < 0 ? "-" : "") + thousands(static_cast<std::uint64_t>(std::abs(r))) + " node-seconds";
}

std::string unfinished_words(double completed_fraction) {
    if (completed_fraction <= 0) return "never finishes";
    return fmt::format("does not finish in {:.0f}% of trials", 100 * (1 - completed_fraction));
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
    return out;
}

std::vector<std::string> host_port_texts(const PodTemplate& t) {
    std::vector<std::string> out;
    for (const auto& c : t.containers) {
        for (const auto& p : c.ports) {
            if (p.host_port > 0) out.push_back(fmt::format("{}/{}", p.host_port, p.protocol));
        }
    }
    return out;
}

std::string thousands(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string bytes_words(std::uint64_t bytes) {
    constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) return fmt::format("{} B", bytes);
    double v = static_cast<double>(bytes);
    std::size_t u = 0;
    while (v >= 1024 && u + 1 < std::size(kUnits)) {
        v /= 1024;
        ++u;
    }
    return v < 10 ? fmt::format("{:.1f} {}", v, kUnits[u]) : fmt::format("{:.0f} {}", v, kUnits[u]);
}

}  // namespace rollsim::experiment
