#include "model/trace.hpp"

namespace rollsim {

const char* to_string(TraceKind k) {
    switch (k) {
        case TraceKind::TemplateUpdated: return "TemplateUpdated";
        case TraceKind::ControllerSync: return "ControllerSync";
        case TraceKind::PodCreated: return "PodCreated";
        case TraceKind::PodDeleted: return "PodDeleted";
        case TraceKind::PodPending: return "PodPending";
        case TraceKind::PodBound: return "PodBound";
        case TraceKind::ImagePull: return "ImagePull";
        case TraceKind::ImagePulled: return "ImagePulled";
        case TraceKind::ContainerStarted: return "ContainerStarted";
        case TraceKind::Listening: return "Listening";
        case TraceKind::Serving: return "Serving";
        case TraceKind::ProbeResult: return "ProbeResult";
        case TraceKind::Ready: return "Ready";
        case TraceKind::NotReady: return "NotReady";
        case TraceKind::PreStop: return "PreStop";
        case TraceKind::SigTerm: return "SigTerm";
        case TraceKind::ContainerExited: return "ContainerExited";
        case TraceKind::BackOff: return "BackOff";
        case TraceKind::PodTerminal: return "PodTerminal";
        case TraceKind::PodRemoved: return "PodRemoved";
        case TraceKind::OutageStart: return "OutageStart";
        case TraceKind::OutageEnd: return "OutageEnd";
        case TraceKind::RotationOut: return "RotationOut";
        case TraceKind::RotationIn: return "RotationIn";
        case TraceKind::RolloutComplete: return "RolloutComplete";
        case TraceKind::TestStarted: return "TestStarted";
        case TraceKind::TestPassed: return "TestPassed";
        case TraceKind::TestFailed: return "TestFailed";
        case TraceKind::NodeChanged: return "NodeChanged";
        case TraceKind::Preemption: return "Preemption";
        case TraceKind::Evicted: return "Evicted";
        case TraceKind::AdmissionRejected: return "AdmissionRejected";
        case TraceKind::ImagePullBackOff: return "ImagePullBackOff";
        case TraceKind::OtherPodGone: return "OtherPodGone";
        case TraceKind::Baseline: return "Baseline";
        case TraceKind::ErrorsStart: return "ErrorsStart";
        case TraceKind::ErrorsEnd: return "ErrorsEnd";
        case TraceKind::DaemonSetStatus: return "DaemonSetStatus";
    }
    return "?";
}

}  // namespace rollsim

namespace rollsim::model {


bool about_node(TraceKind k) {
    switch (k) {
        case TraceKind::TemplateUpdated:
        case TraceKind::ControllerSync:
        case TraceKind::RolloutComplete:
        case TraceKind::TestStarted:
        case TraceKind::TestPassed:
        case TraceKind::TestFailed:
        case TraceKind::DaemonSetStatus: return false;
        default: return true;
    }
}

}  // namespace rollsim::model
