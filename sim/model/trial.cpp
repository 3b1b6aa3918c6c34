#include "model/trial.hpp"

namespace rollsim::model {

void Trial::trace_container(TraceKind kind, PodId pod, std::size_t c, std::int64_t a, std::int64_t b,
                  std::string_view text) {
    if (!tracing(kind) || setting_up) return;
    const Pod& p = cluster.pod(pod);
    const Revision& rev = revision_of(p);
    record(kind, p.node, pod, a, b, text, rev.containers.size() > 1 ? std::string_view(rev.container(c).name) : std::string_view());
}

void Trial::trace(TraceKind kind, NodeId node, PodId pod, std::int64_t a, std::int64_t b,
                  std::string_view text) {
    if (!tracing(kind) || setting_up) return;  // the state before the change is one Baseline per node
    record(kind, node, pod, a, b, text, {});
}

void Trial::record(TraceKind kind, NodeId node, PodId pod, std::int64_t a, std::int64_t b, std::string_view text,
                   std::string_view container) {
    TraceRecord rec;
    rec.container = container;
    rec.time = now();
    rec.node = node;
    rec.kind = kind;
    rec.a = a;
    rec.b = b;
    rec.text = text;
    if (pod != kNoPod) {
        rec.pod = cluster.pod(pod).uid;
        rec.revision = cluster.pod(pod).revision;
        rec.owner = cluster.pod(pod).owner;
    }
    sink->record(rec);
}

void Trial::trace(TraceKind kind, const DetachedContainer& d, std::int64_t a, std::int64_t b) {
    if (!tracing(kind)) return;
    TraceRecord rec;
    rec.time = now();
    rec.node = d.node;
    rec.pod = d.uid;
    rec.revision = d.revision;
    rec.kind = kind;
    rec.a = a;
    rec.b = b;
    sink->record(rec);
}

}  // namespace rollsim::model
