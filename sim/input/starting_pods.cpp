#include "input/starting_pods.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace rollsim {

const char* to_string(StartingPods::State s) {
    switch (s) {
        case StartingPods::State::Ready: return "Ready";
        case StartingPods::State::NotReady: return "NotReady";
        case StartingPods::State::CrashLoopBackOff: return "CrashLoopBackOff";
        case StartingPods::State::Missing: return "Missing";
    }
    return "?";
}

}  // namespace rollsim

namespace rollsim::input {

namespace {

constexpr const char* kStates = "Ready, NotReady, CrashLoopBackOff or Missing";

StartingPods::State state_of(const YamlNode& n) {
    using State = StartingPods::State;
    const std::string s = n.str();
    for (State st : {State::Ready, State::NotReady, State::CrashLoopBackOff, State::Missing}) {
        if (s == to_string(st)) return st;
    }
    if (s == "Pending" || s == "Terminating" || s == "Misscheduled") {
        n.fail(fmt::format("\"{}\" is not modelled yet: rollsim would have to guess how such a pod stands; give {}",
                           s, kStates));
    }
    n.fail(fmt::format("\"{}\": must be {}", s, kStates));
}

/// `percent: 20%` (or a plain number of percent).
double percent_of(const YamlNode& n) {
    std::string text = n.str();
    if (!text.empty() && text.back() == '%') text.pop_back();
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        n.fail(fmt::format("\"{}\": must be a percent such as 20%", n.str()));
    }
    if (v <= 0 || v > 100) n.fail(fmt::format("{}%: must be more than 0% and at most 100%", v));
    return v;
}

}  // namespace

void read_starting_pods(const YamlNode& list, ScenarioSpec& s) {
    if (!list.is_seq()) list.fail("must be a list of {count or percent, state, pool or nodes} entries");
    for (const auto& e : list.items()) {
        e.allow_keys({"count", "percent", "state", "revision", "pool", "nodes", "restarts"});
        StartingPods sp;
        sp.source = SourceRef{e.file(), e.line()};
        sp.path = e.path();
        sp.state = state_of(e.require("state"));
        if (e.get("count") && e.get("percent")) e.require("percent").fail("give count or percent, not both");
        if (auto c = e.get("count")) {
            sp.count = c->int32();
            if (sp.count < 1) c->fail("must be at least 1");
        } else if (auto p = e.get("percent")) {
            sp.percent = percent_of(*p);
        } else if (!e.get("nodes")) {
            e.require("count");  // names the missing key
        }
        if (auto r = e.get("revision"); r && r->str() != "current") {
            r->fail(fmt::format("\"{}\": only current is modelled yet (a pod of an earlier template needs that "
                                "template, which the scenario does not give)",
                                r->str()));
        }
        if (auto r = e.get("restarts")) {
            if (sp.state != StartingPods::State::CrashLoopBackOff) r->fail("only a CrashLoopBackOff pod has restarts");
            sp.restarts = r->int32();
            if (sp.restarts < 1) r->fail("must be at least 1 (a pod in CrashLoopBackOff has restarted)");
        }
        if (e.get("pool") && e.get("nodes")) e.require("nodes").fail("give pool or nodes, not both");
        std::size_t candidates = 0;
        if (auto names = e.get("nodes")) {
            if (e.get("count") || e.get("percent")) names->fail("named nodes are the count: leave count and percent out");
            for (const auto& item : names->items()) {
                const std::string name = item.str();
                const auto it = std::find_if(s.nodes.begin(), s.nodes.end(), [&](const NodeSpec& n) { return n.name == name; });
                if (it == s.nodes.end() || !it->present) item.fail(fmt::format("no node named \"{}\" at the start", name));
                const auto index = static_cast<std::uint32_t>(it - s.nodes.begin());
                for (const auto& earlier : s.starting_pods) {
                    if (std::find(earlier.nodes.begin(), earlier.nodes.end(), index) != earlier.nodes.end()) {
                        item.fail(fmt::format("node \"{}\" is named by an earlier entry (line {})", name, earlier.source.line));
                    }
                }
                sp.nodes.push_back(index);
            }
            if (sp.nodes.empty()) names->fail("must name at least one node");
        } else {
            if (auto p = e.get("pool")) sp.pool = p->str();
            for (const NodeSpec& n : s.nodes) candidates += n.present && (sp.pool.empty() || n.pool == sp.pool) ? 1 : 0;
            if (candidates == 0) e.require("pool").fail(fmt::format("no pool named \"{}\" with nodes present at the start", sp.pool));
            if (sp.count > 0 && static_cast<std::size_t>(sp.count) > candidates) {
                e.require("count").fail(fmt::format("{} pods, but {} has only {} node(s) at the start", sp.count,
                                                    sp.pool.empty() ? "the cluster" : "pool " + sp.pool, candidates));
            }
        }
        s.starting_pods.push_back(std::move(sp));
    }
}

}  // namespace rollsim::input
