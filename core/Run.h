#pragma once
// One descent run: its settings, and the per-run state that steps it one update at a time.

#include "BatchSchedule.h"
#include "DivergenceExplanation.h"
#include "LearningRateSchedule.h"
#include "Objective.h"
#include "Optimizers.h"
#include "UpdateExplanation.h"
#include "StopRules.h"

#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <utility>
#include <span>
#include <string>

namespace gdviz {

class AnalyticObjective;
enum class AnalyticKind;

/// What a scenario file says about one run.
struct RunSettings {
    std::string name = "Run";
    OptimizerSettings optimizer;
    LearningRateSchedule schedule;
    Vec2 start = Vec2::Zero();
    long batchSize = fullBatch; // data objectives: fullBatch (0), 1 (stochastic) or k (mini-batch)
    bool shuffle = true;
    std::uint64_t seed = 0;

    /// Empty when these settings can make a run; else the message the user reads, "<field>: <what is
    /// wrong>", the field named as in a scenario file's run ("lr", "betas[1]", "schedule.gamma", "start").
    /// Whether the name is unique among the other runs is the caller's to check.
    std::string validate() const;

    bool operator==(const RunSettings &) const = default;
};

/// The state after an update (or at the start, step 0), as the trajectory CSV prints it.
// The members in this order make 80 bytes (with the loss between theta and grad, the 16-byte alignment of the
// vectors made 96): a run records one per update, so a smaller record is less to write and to keep.
struct StepRecord {
    long step = 0; // updates done
    double epoch = 0; // samples seen / n; 0 for analytic objectives
    Vec2 theta = Vec2::Zero();
    Vec2 grad = Vec2::Zero(); // the full gradient at theta
    double loss = 0; // the full objective at theta
    double batchLoss = 0; // the loss of the batch this update used, at the theta before it (step 0: loss)
    double lr = 0; // the learning rate this update used (step 0: the one the first update will use)
    bool settingsChanged = false; // the first update after a live change of the run's settings
};
static_assert(sizeof(StepRecord) == 80);

class Run {
public:
    /// settings must be valid for objective (see ScenarioReader). Evaluates the start point. view is the
    /// window the default divergence rule measures from (StopRules.h): the scenario's, else the objective's
    /// default view.
    Run(std::shared_ptr<const Objective> objective, const RunSettings &settings, const StopRules &stop,
        const std::optional<ViewWindow> &view = std::nullopt);

    const RunSettings &settings() const { return m_settings; }
    const StepRecord &current() const { return m_current; }
    RunStatus status() const { return m_status; }
    /// Why a diverged run diverged, in words a student can act on (DivergenceExplanation.h: "at update 2: every
    /// step overshoots further (loss x10^4 per step): lr 0.02 is above the stable limit 0.0012 here"); empty
    /// otherwise.
    const std::string &statusReason() const { return m_reason; }
    bool isRunning() const { return m_status == RunStatus::Running; }
    /// The optimizer's state after the updates so far, under torch's names (OptimizerState.h; which quantities
    /// the rule keeps: optimizerInfo(settings().optimizer.kind).state).
    const OptimizerState &optimizerState() const { return m_rule.state(); }

    /// One update; only while isRunning(). Returns the new current record.
    const StepRecord &step();
    /// The update this run makes next, computed on a copy of it (this run is untouched): every number that goes
    /// into it and comes out of it, exactly as step() will make it. A run that has ended by a stop rule explains
    /// the update it would make if it went on (runEnded); a diverged run none (valid false).
    UpdateExplanation explainNextUpdate() const;
    /// Updates while the run is running and its epoch is below untilEpoch, at most out.size() of them, each
    /// new record written to out in order; the same updates as as many step() calls. Returns how many.
    std::size_t advance(std::span<StepRecord> out, double untilEpoch = std::numeric_limits<double>::infinity());
    /// Ends a running run with status "stopped".
    void stop();

    // Live changes: each takes effect at the next update, whose record is marked settingsChanged.
    /// Same optimizer kind: new hyperparameters, accumulated state kept (as editing a torch param_group).
    /// Another kind: a fresh optimizer state from here on.
    void setOptimizer(const OptimizerSettings &optimizer);
    void setSchedule(const LearningRateSchedule &schedule);
    void setName(const std::string &name) { m_settings.name = name; }
    /// New stop rules (the scenario's: a run that was resumed keeps the room resume() gave it on top of them).
    /// A run that ended by the rule the new ones loosen runs again from where it stopped, and true is returned:
    /// max_steps (max_epochs) raised past its step (epoch) or switched off; converged, when the tolerance that
    /// can have ended it (grad_tol, loss_tol) is lowered or switched off. Any other run keeps its status.
    bool setStopRules(const StopRules &stop);

    // Revival after a live change ("live changes always act").
    /// Brings back a run that ended by a stop rule (converged, max_steps, max_epochs) or was stopped, from where it
    /// stopped, and returns true. Every step or epoch limit it has reached gets room for as much again from here (a
    /// run that ended at max_steps 1000 may go to 2000; at max_epochs 20, to 40); the scenario's stop rules
    /// themselves are unchanged. A converged run goes on until a tolerance holds again, possibly at its next
    /// update. A running or diverged run is left as it is (false): a diverged run can only start again.
    bool resume();

    // The race's clocks (Race.h).
    /// Samples processed so far, the sizes of the batches of every update; an analytic objective (no samples)
    /// counts one per update.
    unsigned long long samplesSeen() const { return m_sampleCount ? m_samplesSeen : (unsigned long long)(m_current.step); }
    /// The samples the next update processes: its batch's size (n for a full batch; the last batch of an epoch
    /// may be smaller); 1 for an analytic objective.
    unsigned long long nextBatchSize() const;
    /// How many of the next updates `samples` samples pay for, each costing its batch's size, in order.
    unsigned long long updatesWithin(unsigned long long samples) const;

private:
    void update();
    /// advance() for a named function (RunAnalytic.cpp).
    std::size_t advanceAnalytic(std::span<StepRecord> out, double untilEpoch);
    /// The updates of update() on the named function Kind, in a loop that keeps the record, the rule's state
    /// (Updates: SgdUpdates of one form, or the rule applied in place) and what cannot change within the
    /// block in registers.
    template <AnalyticKind Kind, class Updates>
    std::size_t advanceAnalyticAs(std::span<StepRecord> out, double untilEpoch);
    /// advanceAnalyticAs for each named function K, with Updates.
    template <class Updates, std::size_t... K>
    static constexpr auto analyticLoops(std::index_sequence<K...>);
    /// The stop rules for r, the new current record (m_current, or its copy in advanceAnalyticAs).
    void checkStop(const StepRecord &r, double previousLoss);
    bool checkDivergence();
    /// m_stop from m_rules and the bases resume() set.
    void applyLimits();
    /// grad_tol or loss_tol reached at r (StopRules.h).
    bool reachedTolerance(const StepRecord &r, double previousLoss) const
    {
        return (m_stop.gradTol > 0 && r.grad.norm() <= m_stop.gradTol)
            || (m_stop.lossTol > 0 && r.step > 0 && std::abs(r.loss - previousLoss) <= m_stop.lossTol * std::abs(previousLoss));
    }

    /// Where a point cannot have diverged: |theta - centre| <= halfWidth in each coordinate, a finite box
    /// taken from the view rule or divergence_bound (StopRules.h). Within it, checkStop() decides "not
    /// diverged" in a few comparisons (which NaN fails); outside, the ordered checks name the reason.
    struct RunningBox {
        Vec2 centre = Vec2::Zero();
        Vec2 halfWidth = Vec2::Zero();
        /// r's theta inside, its loss and gradient finite: surely not diverged. False for any NaN.
        bool holds(const StepRecord &r) const
        {
            constexpr double maxFinite = std::numeric_limits<double>::max();
            const Vec2 offset = (r.theta - centre).cwiseAbs();
            return offset[0] <= halfWidth[0] && offset[1] <= halfWidth[1] && std::abs(r.loss) <= maxFinite
                && std::abs(r.grad[0]) <= maxFinite && std::abs(r.grad[1]) <= maxFinite;
        }
    };
    static RunningBox runningBox(const StopRules &stop, const ViewWindow &view);

    std::shared_ptr<const Objective> m_objective;
    const AnalyticObjective *m_analytic = nullptr; // m_objective, when it is a named function
    RunSettings m_settings;
    StopRules m_rules; // the scenario's stop rules, as given
    StopRules m_stop; // the rules this run stops by: m_rules with the room resume() gave (applyLimits)
    long m_stepBase = 0; // resume(): max_steps counts from this step, max_epochs from these samples
    unsigned long long m_sampleBase = 0;
    ViewWindow m_view;
    RunningBox m_box;
    UpdateRule m_rule;
    std::optional<BatchSchedule> m_batches; // data objectives only
    std::size_t m_sampleCount = 0;
    unsigned long long m_samplesSeen = 0;
    StepRecord m_current;
    RunStatus m_status = RunStatus::Running;
    std::string m_reason;
    bool m_changePending = false;

    // Explaining a divergence (DivergenceExplanation.h) from the last few records, which the run keeps in a ring:
    // written once per advance() call from its last records and once per step(), never inside the stepping loops.
    // checkDivergence() notes the rule that ended the run; the reason is composed after the records are kept.
    void remember(const StepRecord &r) { m_recent[m_recentCount++ % m_recent.size()] = {r.step, r.theta, r.loss}; }
    void composeReason(); // m_reason from m_recent, once, when m_unexplained
    std::array<RecentPoint, 8> m_recent{};
    std::size_t m_recentCount = 0; // records ever kept; the newest is at (m_recentCount - 1) % 8
    DivergenceTrip m_trip = DivergenceTrip::LeftTheView;
    bool m_unexplained = false; // diverged, reason not yet composed
};

} // namespace gdviz
