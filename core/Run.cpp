#include "Run.h"

#include "AnalyticFunctions.h"
#include "NumberText.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace gdviz {

namespace {

/// The default divergence rule (StopRules.h): farther than divergenceViewWidths view widths (heights for y)
/// from the view's centre.
bool farBeyondView(const Vec2 &theta, const ViewWindow &view)
{
    const double cx = 0.5 * (view.xMin + view.xMax), cy = 0.5 * (view.yMin + view.yMax);
    return std::abs(theta[0] - cx) > divergenceViewWidths * (view.xMax - view.xMin)
        || std::abs(theta[1] - cy) > divergenceViewWidths * (view.yMax - view.yMin);
}

} // namespace

std::string RunSettings::validate() const
{
    if (name.empty())
        return "name: must not be empty";
    if (!start.allFinite())
        return "start: must hold finite numbers";
    if (batchSize < 0)
        return "batch_size: must be \"full\" or a whole number >= 1, got " + std::to_string(batchSize);
    if (std::string problem = optimizer.validate(); !problem.empty())
        return problem;
    if (std::string problem = schedule.validate(); !problem.empty())
        return "schedule." + problem;
    return {};
}

Run::Run(std::shared_ptr<const Objective> objective, const RunSettings &settings, const StopRules &stop,
         const std::optional<ViewWindow> &view)
    : m_objective(std::move(objective))
    , m_analytic(dynamic_cast<const AnalyticObjective *>(m_objective.get()))
    , m_settings(settings)
    , m_rules(stop)
    , m_stop(stop)
    , m_view(view ? *view : m_objective->defaultView())
    , m_box(runningBox(stop, m_view))
    , m_rule(settings.optimizer)
    , m_sampleCount(m_objective->sampleCount())
{
    if (m_sampleCount > 0)
        m_batches.emplace(m_sampleCount, settings.batchSize, settings.shuffle, settings.seed);
    m_current.theta = settings.start;
    m_current.loss = m_objective->evaluate(m_current.theta, &m_current.grad);
    m_current.batchLoss = m_current.loss;
    m_current.lr = m_settings.schedule.at(m_settings.optimizer.lr, 0);
    checkStop(m_current, m_current.loss);
    remember(m_current);
    if (m_unexplained)
        composeReason();
}

// The divergence checks in their order (StopRules.h), naming the reason; true when the run diverged. Out of
// line: most updates never get here (checkStop).
[[gnu::noinline]] bool Run::checkDivergence()
{
    const StepRecord &r = m_current;
    auto diverge = [this](DivergenceTrip trip) { // the reason is composed later (composeReason)
        m_status = RunStatus::Diverged;
        m_trip = trip;
        m_unexplained = true;
        return true;
    };
    if (!r.theta.allFinite())
        return diverge(DivergenceTrip::ParameterNotFinite);
    if (m_stop.divergenceBound) {
        if (r.theta.cwiseAbs().maxCoeff() > *m_stop.divergenceBound)
            return diverge(DivergenceTrip::BeyondBound);
    } else if (farBeyondView(r.theta, m_view)) {
        return diverge(DivergenceTrip::LeftTheView);
    }
    if (!std::isfinite(r.loss))
        return diverge(DivergenceTrip::LossNotFinite);
    if (!r.grad.allFinite())
        return diverge(DivergenceTrip::GradientNotFinite);
    return false;
}

inline void Run::checkStop(const StepRecord &r, double previousLoss)
{
    // Most updates: theta inside the running box, loss and gradient finite, so not diverged, decided by
    // comparisons alone (each false for NaN). Otherwise the divergence checks in their order name the reason.
    if (!m_box.holds(r)) {
        if (&r != &m_current)
            m_current = r;
        if (checkDivergence())
            return;
    }
    if (reachedTolerance(r, previousLoss)) {
        m_status = RunStatus::Converged;
        return;
    }
    if (m_stop.maxSteps > 0 && r.step >= m_stop.maxSteps) {
        m_status = RunStatus::MaxSteps;
        return;
    }
    if (m_stop.maxEpochs > 0 && m_sampleCount > 0 && double(m_samplesSeen) >= m_stop.maxEpochs * double(m_sampleCount))
        m_status = RunStatus::MaxEpochs;
}

// One update from m_current, which becomes the new record; only while running.
inline void Run::update()
{
    const double lr = m_settings.schedule.at(m_settings.optimizer.lr, m_current.step);
    const double previousLoss = m_current.loss;

    // The gradient of this update. Analytic objectives reuse the gradient already computed at theta for the
    // previous record: one evaluation per update. Full batches sum every sample as torch does (the record's
    // full loss may come from a closed form that differs in the last bits).
    // (The gradient is read in place, not copied: a copy put one more store and load between an update's
    // gradient and its step.)
    Vec2 batchGradient;
    const Vec2 *gradient = &m_current.grad;
    double batchLoss = m_current.loss;
    if (m_batches) {
        if (m_batches->isFullBatch()) {
            batchLoss = m_objective->evaluateEverySample(m_current.theta, &batchGradient);
            m_samplesSeen += m_sampleCount;
        } else {
            const auto batch = m_batches->next();
            batchLoss = m_objective->evaluateBatch(m_current.theta, batch, &batchGradient);
            m_samplesSeen += batch.size();
        }
        gradient = &batchGradient;
    }

    m_rule.apply(m_current.theta, *gradient, lr);
    ++m_current.step;
    m_current.epoch = m_sampleCount ? double(m_samplesSeen) / double(m_sampleCount) : 0.0;
    m_current.loss = m_objective->evaluate(m_current.theta, &m_current.grad);
    m_current.batchLoss = batchLoss;
    m_current.lr = lr;
    m_current.settingsChanged = m_changePending;
    m_changePending = false;
    checkStop(m_current, previousLoss);
}

const StepRecord &Run::step()
{
    if (isRunning()) {
        update();
        remember(m_current);
        if (m_unexplained)
            composeReason();
    }
    return m_current;
}

UpdateExplanation Run::explainNextUpdate() const
{
    UpdateExplanation e;
    const StepRecord &r = m_current;
    if (m_status == RunStatus::Diverged || !r.theta.allFinite() || !std::isfinite(r.loss)) {
        e.why = m_reason.empty() ? "the run diverged: its point is no longer a finite number" : m_reason;
        return e;
    }
    e.valid = true;
    e.runEnded = !isRunning();
    e.step = r.step + 1;
    e.optimizer = m_settings.optimizer;
    e.lr = m_settings.schedule.at(m_settings.optimizer.lr, r.step);
    e.thetaBefore = r.theta;
    e.lossBefore = r.loss;
    e.fullGradient = r.grad;
    e.gradient = r.grad;
    e.batchLoss = r.loss;
    e.sampleCount = m_sampleCount;
    e.stateBefore = m_rule.state();

    // The copy makes the update exactly as step() does; its batch schedule, copied with it, gives the same batch
    // as the one read here from another copy.
    Run next(*this);
    next.m_status = RunStatus::Running;
    if (m_batches) {
        BatchSchedule batches = *m_batches;
        if (batches.isFullBatch()) {
            e.batch.resize(m_sampleCount);
            for (std::size_t i = 0; i < m_sampleCount; ++i)
                e.batch[i] = SampleIndex(i);
            e.batchLoss = m_objective->evaluateEverySample(r.theta, &e.gradient);
        } else {
            const auto batch = batches.next();
            e.batch.assign(batch.begin(), batch.end());
            e.batchLoss = m_objective->evaluateBatch(r.theta, batch, &e.gradient);
        }
    }
    next.update();
    e.thetaAfter = next.m_current.theta;
    e.lossAfter = next.m_current.loss;
    e.stateAfter = next.m_rule.state();
    return e;
}

std::size_t Run::advance(std::span<StepRecord> out, double untilEpoch)
{
    std::size_t done = 0;
    if (m_analytic) {
        done = advanceAnalytic(out, untilEpoch);
    } else {
        while (done < out.size() && isRunning() && m_current.epoch < untilEpoch) {
            update();
            out[done++] = m_current;
        }
    }
    for (const StepRecord &r : out.first(done).last(std::min(done, m_recent.size())))
        remember(r);
    if (m_unexplained)
        composeReason();
    return done;
}

void Run::composeReason()
{
    m_unexplained = false;
    std::array<RecentPoint, 8> ordered;
    const std::size_t count = std::min(m_recentCount, m_recent.size());
    for (std::size_t i = 0; i < count; ++i)
        ordered[i] = m_recent[(m_recentCount - count + i) % m_recent.size()];
    DivergenceContext context;
    context.recent = std::span<const RecentPoint>(ordered.data(), count);
    context.trip = m_trip;
    context.lastGradient = m_current.grad;
    context.bound = m_stop.divergenceBound.value_or(0.0);
    context.objective = m_objective.get();
    context.optimizer = m_settings.optimizer;
    context.lr = m_current.lr;
    context.fullBatch = !m_batches || m_batches->isFullBatch();
    m_reason = explainDivergence(context);
}

void Run::setOptimizer(const OptimizerSettings &optimizer)
{
    if (optimizer.kind != m_settings.optimizer.kind)
        m_rule = UpdateRule(optimizer);
    else
        m_rule.setSettings(optimizer);
    m_settings.optimizer = optimizer;
    m_changePending = true;
}

void Run::setSchedule(const LearningRateSchedule &schedule)
{
    m_settings.schedule = schedule;
    m_changePending = true;
}

void Run::stop()
{
    if (isRunning())
        m_status = RunStatus::Stopped;
}

bool Run::setStopRules(const StopRules &stop)
{
    const StopRules old = m_rules;
    m_rules = stop;
    applyLimits();
    m_box = runningBox(m_stop, m_view);
    bool loosened = false;
    switch (m_status) {
    case RunStatus::MaxSteps:
        loosened = m_stop.maxSteps == 0 || m_current.step < m_stop.maxSteps;
        break;
    case RunStatus::MaxEpochs:
        loosened = m_stop.maxEpochs == 0 || double(m_samplesSeen) < m_stop.maxEpochs * double(m_sampleCount);
        break;
    case RunStatus::Converged: {
        // Which tolerance held is not kept (loss_tol compares with the loss before the last update): a tolerance
        // lowered or switched off is enough. If the other one still holds, the next update ends the run again.
        auto lowered = [](double before, double now) { return before > 0 && (now == 0 || now < before); };
        loosened = lowered(old.gradTol, stop.gradTol) || lowered(old.lossTol, stop.lossTol);
        break;
    }
    default:
        break;
    }
    if (loosened)
        m_status = RunStatus::Running;
    return loosened;
}

void Run::applyLimits()
{
    m_stop = m_rules;
    if (m_rules.maxSteps > 0)
        m_stop.maxSteps = m_stepBase + m_rules.maxSteps;
    if (m_rules.maxEpochs > 0 && m_sampleBase > 0) {
        // checkStop ends the run when samples seen >= maxEpochs * n: the largest maxEpochs whose product with n
        // does not exceed the target makes that exactly "samples seen >= target" (samples are whole numbers).
        const double n = double(m_sampleCount), target = double(m_sampleBase) + m_rules.maxEpochs * n;
        double epochs = target / n;
        while (epochs * n > target)
            epochs = std::nextafter(epochs, 0.0);
        m_stop.maxEpochs = epochs;
    }
}

bool Run::resume()
{
    if (m_status == RunStatus::Running || m_status == RunStatus::Diverged)
        return false;
    if (m_stop.maxSteps > 0 && m_current.step >= m_stop.maxSteps)
        m_stepBase = m_current.step;
    if (m_stop.maxEpochs > 0 && m_sampleCount > 0 && double(m_samplesSeen) >= m_stop.maxEpochs * double(m_sampleCount))
        m_sampleBase = m_samplesSeen;
    applyLimits();
    m_status = RunStatus::Running;
    m_reason.clear();
    return true;
}

unsigned long long Run::nextBatchSize() const
{
    if (!m_batches)
        return 1;
    // Batches never straddle an epoch: this epoch's next batch starts samplesSeen mod n samples in.
    const unsigned long long n = m_sampleCount, left = n - m_samplesSeen % n;
    return std::min<unsigned long long>(m_batches->batchSize(), left);
}

unsigned long long Run::updatesWithin(unsigned long long samples) const
{
    if (!m_batches)
        return samples;
    const unsigned long long n = m_sampleCount, k = m_batches->batchSize();
    if (k >= n)
        return samples / n;
    // The rest of this epoch (full batches of k, then one of n mod k), whole epochs of ceil(n / k) updates,
    // then full batches of the next epoch. Short of the rest of an epoch, the samples only pay for full
    // batches: after them less than the last batch's size is left.
    const unsigned long long left = n - m_samplesSeen % n;
    if (samples < left)
        return samples / k;
    samples -= left;
    return (left + k - 1) / k + samples / n * ((n + k - 1) / k) + samples % n / k;
}

Run::RunningBox Run::runningBox(const StopRules &stop, const ViewWindow &view)
{
    // The centre and widths exactly as the rules compute them (farBeyondView), so that |theta - centre| <=
    // halfWidth is the negation of the rule's own test; capped at the largest finite double, so that a point
    // inside is also finite. A view or bound that is not finite leaves a box nothing is inside (NaN), and
    // every update takes the ordered checks.
    constexpr double maxFinite = std::numeric_limits<double>::max();
    RunningBox box;
    if (stop.divergenceBound) {
        box.halfWidth.setConstant(std::min(*stop.divergenceBound, maxFinite));
    } else {
        box.centre = Vec2(0.5 * (view.xMin + view.xMax), 0.5 * (view.yMin + view.yMax));
        box.halfWidth = Vec2(std::min(divergenceViewWidths * (view.xMax - view.xMin), maxFinite),
                             std::min(divergenceViewWidths * (view.yMax - view.yMin), maxFinite));
    }
    return box;
}

} // namespace gdviz
