// `rollsim explain`: one trial told in plain words, for people learning how a DaemonSet rolls.
// Each trace event that matters becomes a line "t=M:SS  node: what happened"; the controller's
// deletes and creates of one sync become one line with the budget that paced them. The story
// ends with what the trial shows, and the lessons its patterns teach (a surge pod blocked on a
// host port, a probe that turns green before the service serves, errors while in rotation).

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "output/timeline_words.hpp"
#include "rollsim/timeline.hpp"

namespace rollsim {

namespace {

class Narrator {
public:
    explicit Narrator(const Timeline& t) : t_(t) {}

    std::string tell() {
        const TimelineWords w = timeline_words(t_);
        out_ += w.title + "\n";
        const std::int32_t down = t_.not_serving_at_start;  // starting pods that do not serve
        out_ += down == 0 ? fmt::format("Strategy: {}. The DaemonSet runs on {} node(s); before the change each runs "
                                        "the old pod, Ready and serving.\n\n",
                                        t_.strategy_text, t_.nodes.size())
                          : fmt::format("Strategy: {}. The DaemonSet runs on {} node(s); before the change {} of them "
                                        "do not serve: their live pods are not Ready, crash-looping, missing, pending or "
                                        "terminating (daemonSet.startingPods or cluster.podsFile).\n\n",
                                        t_.strategy_text, t_.nodes.size(), down);
        for (std::size_t i = 0; i < t_.events.size(); ++i) event(i);
        if (t_.stalled) {
            line(t_.end, "nothing more can happen: the rollout is stuck. The simulation stops here; a real cluster "
                         "would wait like this until someone intervenes");
        } else {
            line(t_.end, "the trial ends");
        }
        out_ += "\n";
        out_ += "In short: " + w.headline + "\n" + w.why + (w.why2.empty() ? "" : "\n" + w.why2) + "\n";
        if (!lessons_.empty()) {
            out_ += "\nWhat this shows:\n";
            for (const auto& l : lessons_) out_ += "- " + l + "\n";
        }
        return std::move(out_);
    }

private:
    void line(SimTime t, std::string_view text) { out_ += fmt::format("t={}  {}\n", clock(t), text); }

    std::string node(const TimelineEvent& e) const {
        return e.node >= 0 ? t_.nodes[static_cast<std::size_t>(e.node)].name : std::string("?");
    }

    std::string who(const TimelineEvent& e) const {
        if (e.test) return "the test pod";
        return e.proposed ? "the new pod" : "the old pod";
    }

    /// The pod's span that starts at `t` (the state it entered then), if any.
    const PodSpan* span_at(const TimelineEvent& e, SimTime t) const {
        if (e.node < 0) return nullptr;
        const TimelineNode& n = t_.nodes[static_cast<std::size_t>(e.node)];
        for (const auto* lane : {&n.old_pod, &n.new_pod, &n.test_pod}) {
            for (const PodSpan& s : *lane) {
                if (s.pod == e.pod && s.start == t && s.container.empty()) return &s;
            }
        }
        return nullptr;
    }

    /// When the pod first serves at or after `t`: the start of its first serving state then.
    std::optional<SimTime> serves_at(const TimelineEvent& e, SimTime t) const {
        if (e.node < 0) return std::nullopt;
        const TimelineNode& n = t_.nodes[static_cast<std::size_t>(e.node)];
        for (const auto* lane : {&n.old_pod, &n.new_pod, &n.test_pod}) {
            for (const PodSpan& s : *lane) {
                const bool serving = s.state == PodState::Serving || s.state == PodState::Ready ||
                                     s.state == PodState::Available;
                if (s.pod == e.pod && serving && s.start >= t && s.container.empty()) return s.start;
            }
        }
        return std::nullopt;
    }

    /// A record of one of a pod's other containers (the pod's own lines follow its modelled one).
    void container_event(const TimelineEvent& e, const std::string& n) {
        const std::string c = fmt::format("{}'s container {}", who(e), e.container);
        switch (e.kind) {
            case TraceKind::ImagePull: line(e.time, fmt::format("{}: pulling the image of {}", n, c)); break;
            case TraceKind::ContainerStarted:
                line(e.time, e.a <= 1 ? fmt::format("{}: {} starts", n, c) : fmt::format("{}: {} restarts (start {})", n, c, e.a));
                break;
            case TraceKind::Serving: line(e.time, fmt::format("{}: {} now serves", n, c)); break;
            case TraceKind::Ready: line(e.time, fmt::format("{}: {} is ready", n, c)); break;
            case TraceKind::NotReady: line(e.time, fmt::format("{}: {} is no longer ready", n, c)); break;
            case TraceKind::ProbeResult:
                if (e.text.find("Failure") != std::string::npos) {
                    line(e.time, fmt::format("{}: {}'s {} probe fails", n, c, e.text.substr(0, e.text.find(' '))));
                }
                break;
            case TraceKind::ContainerExited:
                if (e.a == 0 && e.b == 0) line(e.time, fmt::format("{}: {} crashes", n, c));
                break;
            case TraceKind::BackOff:
                line(e.time, fmt::format("{}: CrashLoopBackOff: the kubelet waits {} before restarting {}", n,
                                         span(SimTime::millis(e.a)), c));
                break;
            default: break;
        }
    }

    void event(std::size_t i) {
        const TimelineEvent& e = t_.events[i];
        const std::string n = node(e);
        const TraceKind k = e.kind;
        if (!e.container.empty() && e.container != t_.traffic_container) {
            container_event(e, n);
            return;
        }
        if (!e.container.empty() && (k == TraceKind::Ready || k == TraceKind::NotReady)) return;  // the pod's own is its record
        if (k == TraceKind::PodDeleted || k == TraceKind::PodCreated) {
            // A controller sync's deletes and creates come just before its ControllerSync record.
            std::size_t j = i;
            while (j < t_.events.size() && t_.events[j].time == e.time &&
                   (t_.events[j].kind == TraceKind::PodDeleted || t_.events[j].kind == TraceKind::PodCreated)) {
                ++j;
            }
            if (j < t_.events.size() && t_.events[j].kind == TraceKind::ControllerSync && t_.events[j].time == e.time) {
                sync_.push_back(i);
                return;
            }
            if (k == TraceKind::PodDeleted) {
                line(e.time, fmt::format("{}: {} is deleted{}", n, who(e),
                                         e.a > 0 ? fmt::format(" (grace period {} s)", e.a / 1000) : ""));
            }
            return;
        }
        if (k == TraceKind::ControllerSync) {
            sync(e);
            return;
        }
        if (k == TraceKind::TemplateUpdated) {
            line(e.time, e.b == 1   ? "kubectl rollout undo: the previous template is the update target again, and "
                                      "the controller rolls the newer pods back"
                         : e.b == 2 ? "the second change is applied (spec.events Apply): the controller moves every "
                                      "pod to it, the first change's too"
                                    : "the proposed template is applied: the DaemonSet controller starts the rollout");
        } else if (k == TraceKind::TestStarted) {
            line(e.time, "the test DaemonSet is created beside the live one, on other host ports");
        } else if (k == TraceKind::TestPassed) {
            line(e.time, "the test pods serve: promote, the public DaemonSet gets the new template");
        } else if (k == TraceKind::TestFailed) {
            line(e.time, "the test did not pass in time: the public DaemonSet is left alone");
        } else if (k == TraceKind::RolloutComplete) {
            line(e.time, "the rollout is complete: every node runs an available new pod (kubectl rollout status says done)");
        } else if (k == TraceKind::PodPending) {
            if (pending_reason_[e.pod] == e.text) return;
            pending_reason_[e.pod] = e.text;
            line(e.time, fmt::format("{}: the scheduler cannot place {}: {}. It stays Pending", n, who(e), e.text));
            if (e.a == 1) {  // the node's own pod of this DaemonSet holds the host port
                lesson("A surge pod needs the same host port as the old pod on the same node; the scheduler's NodePorts "
                       "filter refuses the node while the old pod holds it, and the controller deletes the old pod only "
                       "once the surge pod is available. Neither moves: a hostPort DaemonSet cannot surge. Roll with "
                       "maxUnavailable (maxSurge 0), or test the new version on other ports first (test-then-promote).");
            }
        } else if (k == TraceKind::PodBound) {
            const auto p = pending_reason_.find(e.pod);
            line(e.time, fmt::format("{}: the scheduler binds {}{}", n, who(e),
                                     p != pending_reason_.end() ? " (the node has room for it now)" : ""));
        } else if (k == TraceKind::Preemption) {
            line(e.time, fmt::format("{}: the scheduler preempts a lower-priority pod to make room: {}", n, e.text));
        } else if (k == TraceKind::ImagePull) {
            std::string how;
            if (e.a > 0) how = fmt::format(" ({})", span(SimTime::millis(e.a)));
            if (e.b > 0) how += fmt::format(", after waiting {} for earlier pulls", span(SimTime::millis(e.b)));
            line(e.time, fmt::format("{}: pulling the image for {}{}", n, who(e), how));
        } else if (k == TraceKind::ImagePullBackOff) {
            line(e.time, fmt::format("{}: the pull fails ({}); ImagePullBackOff, next try in {}", n, e.text,
                                     span(SimTime::millis(e.a))));
        } else if (k == TraceKind::ContainerStarted) {
            const std::string c = e.container.empty() ? "container" : "container " + e.container;
            line(e.time, e.a <= 1 ? fmt::format("{}: {}'s {} starts", n, who(e), c)
                                  : fmt::format("{}: {}'s {} restarts (start {})", n, who(e), c, e.a));
        } else if (k == TraceKind::Listening) {
            const auto serves = serves_at(e, e.time);
            if (serves && *serves == e.time) return;
            line(e.time, fmt::format("{}: the process accepts connections, but the service is still initialising{}", n,
                                     serves ? fmt::format(" (it serves at {})", clock(*serves)) : ""));
        } else if (k == TraceKind::Serving) {
            line(e.time, fmt::format("{}: {} now serves: its real request path works", n, who(e)));
        } else if (k == TraceKind::ProbeResult) {
            if (e.text.find("Failure") == std::string::npos) return;
            line(e.time, fmt::format("{}: {}'s {} probe fails", n, who(e), e.text.substr(0, e.text.find(' '))));
        } else if (k == TraceKind::Ready) {
            const PodSpan* s = span_at(e, e.time);
            if (s != nullptr && s->state == PodState::FalseReady) {
                const auto serves = serves_at(e, e.time);
                line(e.time, fmt::format("{}: the readiness probe passes, so {} is Ready, but the service is still not "
                                         "serving{}; the controller counts the node as updated and moves on",
                                         n, who(e),
                                         serves ? fmt::format(": it serves only at {}, {} later", clock(*serves), span(*serves - e.time))
                                                : " (and never does in this trial)"));
                lesson("The readiness probe checks a surface that works before the service does (it passed while the "
                       "real request path failed): the rollout paces itself on a green light that means nothing. Point "
                       "readiness at the real request path, and give slow starts a startupProbe.");
            } else {
                line(e.time, fmt::format("{}: {} is Ready", n, who(e)));
            }
        } else if (k == TraceKind::NotReady) {
            const PodSpan* s = span_at(e, e.time);
            if (s != nullptr && s->state == PodState::Terminating) return;  // shutting down anyway
            if (s == nullptr) return;
            line(e.time, fmt::format("{}: {} is no longer Ready", n, who(e)));
        } else if (k == TraceKind::PreStop) {
            line(e.time, fmt::format("{}: {}'s preStop hook runs ({})", n, who(e), span(SimTime::millis(e.a))));
        } else if (k == TraceKind::SigTerm) {
            line(e.time, fmt::format("{}: {} gets SIGTERM and stops serving", n, who(e)));
        } else if (k == TraceKind::ContainerExited) {
            // b = 1: the process died with its machine, which the node's own line tells.
            if (e.a == 0 && e.b == 0) line(e.time, fmt::format("{}: {}'s container crashes", n, who(e)));
        } else if (k == TraceKind::BackOff) {
            line(e.time, fmt::format("{}: CrashLoopBackOff: the kubelet waits {} before restarting it", n,
                                     span(SimTime::millis(e.a))));
        } else if (k == TraceKind::PodTerminal) {
            line(e.time, fmt::format("{}: {} has stopped; its host ports and resources are free", n, who(e)));
        } else if (k == TraceKind::ErrorsStart) {
            errors_since_[e.node] = e.time;
            line(e.time, fmt::format("{}: clients sent to this node get errors: it cannot serve, and the load balancer "
                                     "still sends it traffic",
                                     n));
            if (t_.traffic_mode == "hostPort") {
                lesson("Kubernetes readiness does not steer traffic that reaches a node's host port: the external load "
                       "balancer does, and it needs unhealthyThreshold failed checks to take a node out. Until then, "
                       "clients get errors.");
            }
        } else if (k == TraceKind::ErrorsEnd) {
            const auto since = errors_since_.find(e.node);
            line(e.time, fmt::format("{}: no more errors from this node{}", n,
                                     since != errors_since_.end() ? fmt::format(" (they lasted {})", span(e.time - since->second)) : ""));
        } else if (k == TraceKind::RotationOut) {
            line(e.time, fmt::format("{}: the load balancer's health check takes the node out of rotation", n));
        } else if (k == TraceKind::RotationIn) {
            line(e.time, fmt::format("{}: the node is back in the load balancer's rotation", n));
        } else if (k == TraceKind::OutageEnd) {
            line(e.time, fmt::format("{}: the node serves again, after {} out of service", n, span(SimTime::millis(e.a))));
        } else if (k == TraceKind::OtherPodGone) {
            line(e.time, fmt::format("{}: pod {} is gone, and with it its requests", n, e.text));
        } else if (k == TraceKind::NodeChanged || k == TraceKind::Evicted || k == TraceKind::AdmissionRejected) {
            line(e.time, fmt::format("{}: {}", n, e.text));
        }
    }

    /// The node's new pod is Ready or available at `t` (the surge path retires the old pod then).
    bool new_pod_ready(std::int32_t row, SimTime t) const {
        if (row < 0) return false;
        for (const PodSpan& s : t_.nodes[static_cast<std::size_t>(row)].new_pod) {
            if (s.start <= t && t < s.end && (s.state == PodState::Ready || s.state == PodState::Available)) return true;
        }
        return false;
    }

    void sync(const TimelineEvent& e) {
        std::vector<std::string> deleted, created;
        bool replaced = true;  // every deleted old pod's node has a Ready new pod
        for (std::size_t i : sync_) {
            const TimelineEvent& x = t_.events[i];
            (x.kind == TraceKind::PodDeleted ? deleted : created).push_back(node(x));
            if (x.kind == TraceKind::PodDeleted) replaced = replaced && !x.proposed && new_pod_ready(x.node, x.time);
        }
        sync_.clear();
        std::string what;
        const std::string owner = e.test ? "the test DaemonSet's controller" : "the controller";
        if (!deleted.empty()) what += fmt::format("deletes the old pod on {}", join(deleted));
        if (!created.empty()) {
            what += fmt::format("{}creates a new pod on {}", what.empty() ? "" : " and ", join(created));
        }
        std::string budget;
        if (e.budget == "maxUnavailable") {
            budget = fmt::format(" (maxUnavailable {}: {} of {} now in use)", e.budget_max,
                                 std::min<std::int64_t>(e.budget_used + e.b, e.budget_max), e.budget_max);
        } else if (e.budget == "maxSurge") {
            budget = fmt::format(" (maxSurge {}: {} of {} surge pods now in use; the old pods keep serving meanwhile)",
                                 e.budget_max, std::min<std::int64_t>(e.budget_used + e.a, e.budget_max), e.budget_max);
        }
        if (budget.empty() && created.empty() && replaced) budget = deleted.size() == 1 ? " (the new pod there is Ready)" : " (the new pods there are Ready)";
        line(e.time, fmt::format("{} {}{}", owner, what, budget));
    }

    static std::string join(const std::vector<std::string>& v) {
        if (v.size() > 4) return fmt::format("{}, {} and {} more", v[0], v[1], v.size() - 2);
        std::string out;
        for (std::size_t i = 0; i < v.size(); ++i) out += (i == 0 ? "" : i + 1 == v.size() ? " and " : ", ") + v[i];
        return out;
    }

    void lesson(const std::string& l) {
        if (std::find(lessons_.begin(), lessons_.end(), l) == lessons_.end()) lessons_.push_back(l);
    }

    const Timeline& t_;
    std::string out_;
    std::vector<std::size_t> sync_;
    std::map<std::uint32_t, std::string> pending_reason_;
    std::map<std::int32_t, SimTime> errors_since_;
    std::vector<std::string> lessons_;
};

}  // namespace

std::string explain_text(const Timeline& t) { return Narrator(t).tell(); }

}  // namespace rollsim
