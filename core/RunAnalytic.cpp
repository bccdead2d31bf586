// Run::advance for the named functions: one loop per function and rule form, which keeps in registers what an
// update reads (the record, the rule's state, the learning rate, the stop rules) and decides once per block what
// cannot change within it. The same updates, records and stop as Run::step(), bit for bit (tst_run).

#include "Run.h"

#include "AnalyticFormulas.h"

#include <algorithm>
#include <array>
#include <utility>

namespace gdviz {

namespace {

/// A rule applied in place, through the UpdateRule (Adam's inline applyAdam, or apply() for the others), for
/// the loop's Updates parameter; SgdUpdates is the other kind.
template <void (UpdateRule::*Apply)(Vec2 &, const Vec2 &, double)>
class UpdatesInPlace {
public:
    explicit UpdatesInPlace(UpdateRule &rule) : m_rule(rule) {}
    [[gnu::always_inline]] void apply(Vec2 &theta, const Vec2 &gradient, double lr) { (m_rule.*Apply)(theta, gradient, lr); }
    void storeInto(UpdateRule &) const {}

private:
    UpdateRule &m_rule;
};

} // namespace

template <AnalyticKind Kind, class Updates>
std::size_t Run::advanceAnalyticAs(std::span<StepRecord> out, double untilEpoch)
{
    // update() step by step, for an objective that is this named function: the same operations in the same
    // order (the rule's, and the formula AnalyticObjective::evaluate runs) on a copy of the record, where
    // update() passed theta and the gradient through memory to a virtual call and back. Decided once per block:
    // - how many updates max_steps leaves (the loop tests no step count; the last update ends the run);
    // - the learning rates, written into the block's records before the updates (no schedule call among them);
    // - whether grad_tol or loss_tol are set at all;
    // - the settings-changed mark, which only the block's first record can carry.
    // The inner loop calls nothing, so that the compiler keeps the record and the rule's state in registers
    // (a call would have them saved to memory and read back on the chain from one update to the next); it
    // leaves when a stop rule may apply, and the ordered checks then decide. A named function has no epochs
    // (its records' epoch is 0).
    if (!isRunning() || !(m_current.epoch < untilEpoch) || out.empty())
        return 0;
    std::size_t count = out.size();
    if (m_stop.maxSteps > 0)
        count = std::min(count, std::size_t(std::max(1L, m_stop.maxSteps - m_current.step)));
    for (std::size_t k = 0; k < count; ++k)
        out[k].lr = m_settings.schedule.at(m_settings.optimizer.lr, m_current.step + long(k));
    const double a = m_analytic->a(), b = m_analytic->b();
    const bool tolerances = m_stop.gradTol > 0 || m_stop.lossTol > 0;
    const RunningBox box = m_box;
    bool settingsChanged = std::exchange(m_changePending, false);
    Updates rule(m_rule);
    StepRecord r = m_current;
    std::size_t done = 0;
    while (done < count) {
        bool mayStop = false;
        while (done < count && !mayStop) {
            const double lr = out[done].lr;
            const double previousLoss = r.loss;
            rule.apply(r.theta, r.grad, lr);
            ++r.step;
            double gx, gy;
            r.loss = analytic::analyticValue(Kind, a, b, r.theta[0], r.theta[1], true, gx, gy);
            r.grad = Vec2(gx, gy);
            r.batchLoss = previousLoss;
            r.lr = lr;
            r.settingsChanged = std::exchange(settingsChanged, false);
            out[done++] = r;
            mayStop = !box.holds(r) || (tolerances && reachedTolerance(r, previousLoss));
        }
        if (!mayStop)
            break;
        // The stop rules in checkStop()'s order (r.batchLoss is the previous loss); max_steps after the loop.
        m_current = r;
        if (!box.holds(r) && checkDivergence())
            break;
        if (tolerances && reachedTolerance(r, r.batchLoss)) {
            m_status = RunStatus::Converged;
            break;
        }
    }
    rule.storeInto(m_rule);
    m_current = r;
    if (isRunning() && m_stop.maxSteps > 0 && r.step >= m_stop.maxSteps)
        m_status = RunStatus::MaxSteps;
    return done;
}

template <class Updates, std::size_t... K>
constexpr auto Run::analyticLoops(std::index_sequence<K...>)
{
    using Loop = std::size_t (Run::*)(std::span<StepRecord>, double);
    return std::array<Loop, sizeof...(K)>{&Run::advanceAnalyticAs<static_cast<AnalyticKind>(K), Updates>...};
}

std::size_t Run::advanceAnalytic(std::span<StepRecord> out, double untilEpoch)
{
    constexpr auto kinds = std::make_index_sequence<std::size_t(AnalyticKind::Saddle) + 1>(); // Saddle: the last
    static constexpr auto plain = analyticLoops<SgdUpdates<SgdForm::Plain>>(kinds);
    static constexpr auto heavyBall = analyticLoops<SgdUpdates<SgdForm::HeavyBall>>(kinds);
    static constexpr auto sgd = analyticLoops<SgdUpdates<SgdForm::Any>>(kinds);
    static constexpr auto adam = analyticLoops<UpdatesInPlace<&UpdateRule::applyAdam>>(kinds);
    static constexpr auto other = analyticLoops<UpdatesInPlace<&UpdateRule::apply>>(kinds);
    const std::size_t kind = std::size_t(m_analytic->kind());
    switch (m_settings.optimizer.kind) {
    case OptimizerKind::Sgd:
        switch (sgdForm(m_settings.optimizer)) {
        case SgdForm::Plain:
            return (this->*plain[kind])(out, untilEpoch);
        case SgdForm::HeavyBall:
            return (this->*heavyBall[kind])(out, untilEpoch);
        case SgdForm::Any:
            break;
        }
        return (this->*sgd[kind])(out, untilEpoch);
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
        return (this->*adam[kind])(out, untilEpoch);
    default:
        return (this->*other[kind])(out, untilEpoch);
    }
}

} // namespace gdviz
