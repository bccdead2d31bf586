#pragma once
// Why a run diverged, in the words of the lesson: which update, how the loss grew per step over the last few
// updates, and the learning rate against the largest stable one near where it happened (StableLearningRate.h).
// Composed once, when a run ends as diverged (Run::statusReason()), from a few records the run keeps.

#include "Objective.h"
#include "Optimizers.h"

#include <span>
#include <string>

namespace gdviz {

/// One record of a run's recent past, as much of it as explaining its end needs.
struct RecentPoint {
    long step = 0;
    Vec2 theta = Vec2::Zero();
    double loss = 0;
};

/// The divergence rule that ended the run (StopRules.h), in Run::checkDivergence's order.
enum class DivergenceTrip { ParameterNotFinite, BeyondBound, LeftTheView, LossNotFinite, GradientNotFinite };

struct DivergenceContext {
    std::span<const RecentPoint> recent; // consecutive records, oldest first; the last is the one that diverged
    DivergenceTrip trip = DivergenceTrip::LeftTheView;
    Vec2 lastGradient = Vec2::Zero(); // the full gradient at the last record (GradientNotFinite: inf or NaN)
    double bound = 0; // divergence_bound, for BeyondBound
    const Objective *objective = nullptr; // never null
    OptimizerSettings optimizer; // the run's settings at its end
    double lr = 0; // the learning rate of the last update (at the start: of the first)
    bool fullBatch = true; // false for stochastic and mini-batch runs: their limit is the full-batch one
};

/// The reason, e.g. "at update 2: every step overshoots further (loss x10^4 per step): lr 0.02 is above the
/// stable limit 0.0012 here". Its parts:
/// - where: "at update N", or "at the start" for a start point that diverged before any update;
/// - what happened, from the losses of the recent records: "every step overshoots further (loss x<f> per step)"
///   when the loss rose in each of at least the last two updates (f: the geometric mean of their growth, "+0.4%",
///   "x1.5", "x10^4"), "the step overshot (loss x<f>)" for a single rise of at least tenfold, "the loss keeps falling
///   without bound (<loss> now)" when it fell in each of at least the last two; and the rule that ended the run
///   when it is the true cause: a value that overflowed or is NaN (then "after" the growth), a point more than 100
///   view widths from the view's centre or beyond divergence_bound (when no growth explains it);
/// - the learning rate: for SGD, against the stable limit (2 / lambda_max with momentum's factor, see
///   StableLearningRate.h) at the last point before the loss began to rise (else the last finite point),
///   "lr 0.02 is above the stable limit 0.0012 here" ("the full-batch stable limit" for stochastic and
///   mini-batch runs; "at update K" instead of "here" when the limit there differs from the last finite point's
///   by more than 1%; "(the surface curves down here: no stable limit)" where no eigenvalue is positive); for
///   adaptive optimizers "lr 0.5" alone, no limit claimed. None at the start.
/// Numbers have two significant digits, more where needed to show lr on the right side of the limit.
std::string explainDivergence(const DivergenceContext &context);

/// The words for the view rule (StopRules.h) inside a reason.
inline constexpr const char *beyondTheViewWords = "the point is more than 100 view widths from the view's centre";

/// v with `digits` significant digits for people: "0.0012", "200", "1.5", "1.2e-05", trailing zeros dropped.
std::string significantDigits(double v, int digits);

} // namespace gdviz
