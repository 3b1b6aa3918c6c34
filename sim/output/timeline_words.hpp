#pragma once
/// @file timeline_words.hpp
/// Words about a timeline, shared by the SVG, the Markdown report and `explain`: clock times,
/// durations, and the headline that says where the outage was and why.

#include <string>
#include <utility>
#include <vector>

#include "rollsim/timeline.hpp"

namespace rollsim {

/// "0:31", "12:05", "1:02:03".
std::string clock(SimTime t);
/// "24 s", "2 min 29 s", "1 h 3 min".
std::string span(SimTime t);

/// What a pod's state is called in sentences: "false-ready (Ready, not serving)".
std::string state_words(PodState s, bool old);

struct TimelineWords {
    std::string title;     ///< scenario: strategy × probes, trial k
    std::string headline;  ///< the outcome: complete or stalled, errors, outage
    std::string why;       ///< what the pods were doing while clients got errors (or, without errors, while out)
    std::string why2;      ///< what they were doing while the nodes were out (when `why` is about errors)
    bool bad = false;      ///< errors, or a stall
};
TimelineWords timeline_words(const Timeline& t);

/// Seconds of `windows` on node `n`, split by what its pods were doing (the new pod's state
/// where there is one, else the old pod's), largest first.
std::vector<std::pair<std::string, SimTime>> attribute(const TimelineNode& n, const std::vector<Window>& windows);

}  // namespace rollsim
