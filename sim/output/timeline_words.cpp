// Words about a timeline: clock times, durations, the headline and the attribution of outage
// and error time to what the pods were doing.

#include "output/timeline_words.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "experiment/words.hpp"

namespace rollsim {

std::string clock(SimTime t) {
    const std::int64_t s = std::max<std::int64_t>(t.ms(), 0) / 1000;
    if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string span(SimTime t) {
    const double secs = t.to_seconds();
    if (secs < 10) return fmt::format("{:.1f} s", secs);
    const auto s = static_cast<std::int64_t>(secs + 0.5);
    if (s < 60) return fmt::format("{} s", s);
    if (s < 3600) return s % 60 == 0 ? fmt::format("{} min", s / 60) : fmt::format("{} min {} s", s / 60, s % 60);
    return fmt::format("{} h {} min", s / 3600, s / 60 % 60);
}

std::string state_words(PodState s, bool old) {
    switch (s) {
        case PodState::Pending: return old ? "old pod Pending" : "new pod Pending";
        case PodState::Starting: return "starting";
        case PodState::Pulling: return "pulling the image";
        case PodState::PullBackOff: return "ImagePullBackOff";
        case PodState::Initialising: return "initialising (listening, not serving)";
        case PodState::Serving: return "serving, not Ready yet";
        case PodState::FalseReady: return "false-ready (Ready, not serving)";
        case PodState::Ready: return "Ready";
        case PodState::Available: return old ? "old pod serving" : "available";
        case PodState::CrashLoopBackOff: return "CrashLoopBackOff";
        case PodState::Terminating: return old ? "old pod shutting down" : "new pod terminating";
    }
    return "?";
}

namespace {

SimTime overlap(SimTime a0, SimTime a1, SimTime b0, SimTime b1) {
    const SimTime lo = std::max(a0, b0);
    const SimTime hi = std::min(a1, b1);
    return hi > lo ? hi - lo : SimTime::zero();
}

}  // namespace

std::vector<std::pair<std::string, SimTime>> attribute(const TimelineNode& n, const std::vector<Window>& windows) {
    std::map<std::string, SimTime> by;
    for (const Window& w : windows) {
        SimTime covered;
        for (const PodSpan& s : n.new_pod) {
            const SimTime o = overlap(w.start, w.end, s.start, s.end);
            if (o > SimTime::zero()) {
                by[state_words(s.state, false)] += o;
                covered += o;
            }
        }
        for (const PodSpan& s : n.old_pod) {
            SimTime o = overlap(w.start, w.end, s.start, s.end);
            for (const PodSpan& ns : n.new_pod) {
                o -= overlap(std::max(w.start, s.start), std::min(w.end, s.end), ns.start, ns.end);
            }
            if (o > SimTime::zero()) {
                by[state_words(s.state, true)] += o;
                covered += o;
            }
        }
        if (w.end - w.start > covered) by["no pod"] += (w.end - w.start) - covered;
    }
    std::vector<std::pair<std::string, SimTime>> out(by.begin(), by.end());
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}

namespace {

/// "false-ready (Ready, not serving) 62%, initialising 21%, starting 9%"
std::string shares(const std::vector<std::pair<std::string, SimTime>>& parts, std::size_t most) {
    SimTime total;
    for (const auto& p : parts) total += p.second;
    std::string out;
    for (std::size_t i = 0; i < std::min(most, parts.size()); ++i) {
        const double pct = 100.0 * parts[i].second.to_seconds() / std::max(total.to_seconds(), 1e-9);
        if (pct < 1) break;
        out += fmt::format("{}{} {:.0f}%", out.empty() ? "" : ", ", parts[i].first, pct);
    }
    return out;
}

std::vector<std::pair<std::string, SimTime>> attribute_all(const Timeline& t, std::vector<Window> TimelineNode::*member) {
    std::map<std::string, SimTime> by;
    for (const TimelineNode& n : t.nodes) {
        for (const auto& [what, time] : attribute(n, n.*member)) by[what] += time;
    }
    std::vector<std::pair<std::string, SimTime>> out(by.begin(), by.end());
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}

}  // namespace

TimelineWords timeline_words(const Timeline& t) {
    TimelineWords w;
    w.title = fmt::format("{}: {} × {}, trial {}", t.scenario, t.strategy, t.probes, t.trial);
    std::int64_t out_nodes = 0, error_nodes = 0;
    for (const TimelineNode& n : t.nodes) {
        out_nodes += n.outages.empty() ? 0 : 1;
        error_nodes += n.errors.empty() ? 0 : 1;
    }
    std::string outcome;
    if (t.completed) {
        outcome = fmt::format("Rollout complete at {}.", clock(*t.completed));
    } else if (t.stalled) {
        outcome = fmt::format("Stalled: {}.", t.stall_reason);
        w.bad = true;
    } else {
        outcome = fmt::format("Not complete when the trial ended at {}.", clock(t.end));
        w.bad = true;
    }
    if (t.traffic_mode == "coverage") {
        w.headline = fmt::format("{} {} of {} went without a working agent, {} node-seconds in all.", outcome,
                                 out_nodes, experiment::count_words(static_cast<std::int64_t>(t.nodes.size()), "node"), static_cast<std::int64_t>(t.outage_node_seconds + 0.5));
    } else if (t.error_seconds > 0) {
        w.bad = true;
        w.headline = fmt::format("{} Clients got errors from {}, {:.0f} s in all; {} stopped serving, {} node-seconds in all.",
                                 outcome, experiment::count_words(error_nodes, "node"), t.error_seconds,
                                 experiment::count_words(out_nodes, "node"),
                                 static_cast<std::int64_t>(t.outage_node_seconds + 0.5));
    } else {
        w.headline = fmt::format("{} No client got an error; {} stopped serving, {} node-seconds in all.", outcome,
                                 experiment::count_words(out_nodes, "node"), static_cast<std::int64_t>(t.outage_node_seconds + 0.5));
    }
    const auto out = attribute_all(t, &TimelineNode::outages);
    const auto err = attribute_all(t, &TimelineNode::errors);
    if (!err.empty()) {
        w.why = fmt::format("While clients got errors, the pods were: {}.", shares(err, 3));
        w.why2 = fmt::format("While the nodes were out of service, the pods were: {}.", shares(out, 4));
    } else if (!out.empty()) {
        w.why = fmt::format("While out of service the pods were: {}.", shares(out, 4));
    } else {
        w.why = "Every node kept serving throughout.";
    }
    return w;
}

}  // namespace rollsim
