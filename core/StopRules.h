#pragma once
// When a run ends, and the status it ends with.

#include <optional>
#include <string>

namespace gdviz {

/// Each count and tolerance is off when 0. A run stops at the first rule that holds after an update (or at
/// the start point), checked in this order: diverged, converged (grad_tol, then loss_tol), max_steps,
/// max_epochs.
///
/// Diverged: a parameter, the loss or the gradient is not finite, or the point has run away. Run away is
/// measured against the scenario's view window (the file's "view", else the objective's default: what
/// the window shows first), so it scales with the objective: by default the point has run away when it is
/// farther than divergenceViewWidths view widths from the view's centre, in x (|x - centre_x| > 100 *
/// (xMax - xMin)) or in y (likewise with the height). A scenario that gives divergence_bound replaces that
/// rule with an absolute one: run away when a parameter's magnitude exceeds the bound (for objectives whose
/// runs legitimately travel far beyond the view).
///
/// Not a stop rule: a loss that keeps rising is flagged (LossTrend.h) while the run goes on.
struct StopRules {
    long maxSteps = 1000; // updates; 0: no limit (a scenario file says so with "max_steps": 0)
    double maxEpochs = 0; // data objectives only: samples seen / n
    double gradTol = 0; // converged when the full gradient's Euclidean norm <= grad_tol
    double lossTol = 0; // converged when |loss_k - loss_{k-1}| <= loss_tol * |loss_{k-1}|
    std::optional<double> divergenceBound; // given: replaces the view rule (see above)

    bool operator==(const StopRules &) const = default;
};

/// How far from the view's centre, in view widths (heights for y), a point has run away.
inline constexpr double divergenceViewWidths = 100;
/// A diverged run's reason (Run::statusReason()) names the update, how the loss grew per step over the last
/// few updates and the learning rate against the stable limit near where it happened, with the rule above where
/// it is the true cause: DivergenceExplanation.h.

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
