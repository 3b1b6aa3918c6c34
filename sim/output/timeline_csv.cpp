// The per-node windows of traced trials as CSV (RFC 4180), for spreadsheets and notebooks.

#include <fmt/format.h>

#include "rollsim/timeline.hpp"

namespace rollsim {

namespace {

std::string field(std::string_view s) {
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::string timeline_csv(const std::vector<Timeline>& ts) {
    std::string out = "strategy,probes,trial,node,lane,pod,state,start,end,seconds,detail,container\r\n";
    for (const Timeline& t : ts) {
        const std::string prefix = fmt::format("{},{},{},", field(t.strategy), field(t.probes), t.trial);
        for (const TimelineNode& n : t.nodes) {
            const auto pods = [&](const std::vector<PodSpan>& spans, const char* lane) {
                for (const PodSpan& s : spans) {
                    out += fmt::format("{}{},{},{},{},{:.3f},{:.3f},{:.3f},{},{}\r\n", prefix, field(n.name), lane, s.pod,
                                       to_string(s.state), s.start.to_seconds(), s.end.to_seconds(),
                                       (s.end - s.start).to_seconds(), field(s.detail), field(s.container));
                }
            };
            pods(n.old_pod, "old");
            pods(n.new_pod, "new");
            pods(n.test_pod, "test");
            const auto windows = [&](const std::vector<Window>& ws, const char* what) {
                for (const Window& w : ws) {
                    out += fmt::format("{}{},node,,{},{:.3f},{:.3f},{:.3f},,\r\n", prefix, field(n.name), what,
                                       w.start.to_seconds(), w.end.to_seconds(), (w.end - w.start).to_seconds());
                }
            };
            windows(n.outages, "NotServing");
            windows(n.errors, "Errors");
            windows(n.out_of_rotation, "OutOfRotation");
        }
    }
    return out;
}

}  // namespace rollsim
