#pragma once
// When a run ends, and the status it ends with.

#include <string>

namespace gdviz {

/// Each rule is off when 0. A run stops at the first rule that holds after an update (or at the start
/// point), checked in this order: diverged, converged (grad_tol, then loss_tol), max_steps, max_epochs.
struct StopRules {
    long maxSteps = 1000; // updates; 0: no limit (a scenario file says so with "max_steps": 0)
    double maxEpochs = 0; // data objectives only: samples seen / n
    double gradTol = 0; // converged when the full gradient's Euclidean norm <= grad_tol
    double lossTol = 0; // converged when |loss_k - loss_{k-1}| <= loss_tol * |loss_{k-1}|
    double divergenceBound = 1e6; // diverged when a parameter's magnitude exceeds it

    bool operator==(const StopRules &) const = default;
};

enum class RunStatus { Running, Converged, MaxSteps, MaxEpochs, Diverged, Stopped };

/// "running", "converged", "max_steps", "max_epochs", "diverged", "stopped"
inline const char *statusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Running: return "running";
    case RunStatus::Converged: return "converged";
    case RunStatus::MaxSteps: return "max_steps";
    case RunStatus::MaxEpochs: return "max_epochs";
    case RunStatus::Diverged: return "diverged";
    case RunStatus::Stopped: return "stopped";
    }
    return "running";
}

} // namespace gdviz
