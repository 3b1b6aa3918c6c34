#pragma once
/// @file controller_loop.hpp
/// The DaemonSet controller in a trial: its informer handlers, its workqueue (one key per
/// DaemonSet, folded syncs, AddAfter waits), and the PodControl it acts through. The sync
/// itself is DaemonSetController's, the same code the upstream-style harness runs.

#include <cstdint>
#include <optional>
#include <vector>

#include "model/daemonset_controller.hpp"
#include "model/trial.hpp"

namespace rollsim::model {

class ApiServer;
class NodeLifecycle;
class Operator;

class ControllerLoop final : private PodControl {
public:
    ControllerLoop(Trial& t, ApiServer& api, NodeLifecycle& lifecycle, Operator& op)
        : t_(t), api_(api), lifecycle_(lifecycle), op_(op) {}

    void reset();
    /// The steady state before the change: one sync writes the status (nothing to do). With
    /// starting pods that a sync would act on (a missing pod), only the status is written: the
    /// change lands before the controller acts.
    void settle(bool as_they_stand) {
        if (as_they_stand) {
            dsc_[0].write_status(t_.cluster, SimTime::zero(), *this);
        } else {
            dsc_[0].sync(t_.cluster, SimTime::zero(), *this);
        }
    }
    /// The Ctl* events.
    void handle(const kernel::Event& e);
    /// The informer's handler for a watch event of `owner`'s pods (kind CtlObserve*): the
    /// expectations it settles, the operator's look, then the sync.
    void observe(Ev kind, std::uint8_t owner);
    /// The public DaemonSet gets the proposed template.
    void apply_template();
    /// kubectl rollout undo: the previous template is the public DaemonSet's update target again.
    void roll_back();
    /// spec.events' Apply: the second change is the update target.
    void apply_second();

    std::optional<SimTime> completed_at() const { return completed_at_; }
    std::optional<SimTime> promoted_at() const { return promoted_at_; }

private:
    /// The public DaemonSet's update target becomes `revision`: a new generation, the nodes it
    /// should run on (judged again on a changing cluster), a TemplateUpdated trace whose b is
    /// `why` (0 the change, 1 a rollback, 2 the second change), and its informer's update.
    void retarget(std::uint16_t revision, const std::vector<Eligibility>& eligibility, std::int64_t why);
    void enqueue_sync(std::uint8_t owner);
    /// At the end of a watch handler: enqueue_sync, or the sync itself when nothing else is due
    /// before it.
    void sync_after_watch(std::uint8_t owner);
    void wait_after(std::uint8_t owner, SimTime delay);  ///< workqueue AddAfter for `owner`
    void sync(std::uint8_t owner);
    // PodControl, for the DaemonSet that is syncing
    void create_pod(NodeId node) override;
    void delete_pod(PodId pod) override;
    void enqueue_after(SimTime delay) override { wait_after(syncing_, delay); }
    void record_event(ControllerEventKind, PodId) override {}

    Trial& t_;
    ApiServer& api_;
    NodeLifecycle& lifecycle_;
    Operator& op_;
    DaemonSetController dsc_[Cluster::kMaxDaemonSets];
    bool sync_queued_[Cluster::kMaxDaemonSets] = {};
    /// The status last traced per DaemonSet: a DaemonSetStatus record is written when it changes.
    std::optional<DaemonSetStatus> traced_status_[Cluster::kMaxDaemonSets];
    std::uint8_t syncing_ = 0;  ///< the DaemonSet whose controller is syncing (for PodControl)
    std::optional<SimTime> promoted_at_;  ///< when the public DaemonSet got the new template
    std::optional<SimTime> completed_at_;
    bool rolled_back_ = false;
    bool second_applied_ = false;
};

}  // namespace rollsim::model
