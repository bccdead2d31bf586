#pragma once
// "loss rising": the warning a run gets while its loss climbs, before any stop rule ends it (a batch-GD run
// whose learning rate is a little above the stable limit climbs for its whole budget and would otherwise end
// as "max_epochs", as if nothing were wrong).

#include "Run.h"

#include <optional>
#include <span>
#include <string>

namespace gdviz {

/// How many updates back the rule looks at most (for one epoch of a stochastic run): pass at least this many
/// records plus one, or all the run has.
inline constexpr std::size_t lossTrendMaxWindow = 1000;

/// The rule, on the full loss (StepRecord::loss, not the batch loss) of the run's latest records. Let u be the
/// updates per epoch (1 for full batches and named functions, n / batch for the others, measured from the
/// records' epochs).
/// - The window is the last max(20, u) updates, at most lossTrendMaxWindow, shorter when the run has fewer, and
///   it starts no earlier than the record before the latest live change of settings (its first update is marked
///   settingsChanged): a climb under the old settings says nothing about the new ones.
/// - Rising when, from the window's lowest loss to its end, over at least max(4, u / 4) updates (at most 250),
///   the loss rose in at least 3 of every 4 updates and in each of the last 3, and it grew by at least its own
///   size: end >= 2 x lowest for positive losses (end - lowest >= |lowest| in general, and >= half of |end|, so
///   that a climb from 0 counts).
/// A gradient-descent run above its stable limit climbs steadily, update after update, and is flagged within a
/// few updates of starting to climb. A stochastic run's full loss is pushed up for a few updates whenever a run of
/// samples pulls the same way (the default lesson's SGD at lr 0.1 doubles it over up to 9 updates in a row), but
/// a run that converges does not keep that up for a quarter of an epoch. Non-finite losses in the window: not
/// flagged (the divergence rules report those).
struct LossTrend {
    bool rising = false;
    double factor = 1; // end / lowest, when lowest > 0; else NaN
    long updates = 0; // from the lowest loss to the end
    /// "loss rising: x3.2 over the last 12 updates" (or "loss rising: from -368 to -12 over the last 12
    /// updates" when the lowest loss is not positive); empty when not rising.
    std::string warning;
};

/// records: the run's latest records in order, newest last (a span of its trajectory's tail; only the last
/// lossTrendMaxWindow + 1 are read). Fewer than 5 records: not rising.
LossTrend lossTrend(std::span<const StepRecord> records);

inline bool lossKeepsRising(std::span<const StepRecord> records)
{
    return lossTrend(records).rising;
}

} // namespace gdviz
