#include "model/trial.hpp"

namespace rollsim::model {

void Trial::trace(TraceKind kind, NodeId node, PodId pod, std::int64_t a, std::int64_t b,
                  std::string_view text) {
    if (sink == nullptr || setting_up) return;  // the state before the change is one Baseline per node
    TraceRecord rec;
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
    if (sink == nullptr) return;
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
