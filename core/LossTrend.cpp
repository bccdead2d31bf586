#include "LossTrend.h"

#include "DivergenceExplanation.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gdviz {

LossTrend lossTrend(std::span<const StepRecord> records)
{
    LossTrend trend;
    if (records.size() < 5)
        return trend;
    // Updates per epoch, from the epochs of the last 20 updates (0 for named functions: one update then).
    const std::size_t measured = std::min<std::size_t>(records.size() - 1, 20);
    const double epochs = records.back().epoch - records[records.size() - 1 - measured].epoch;
    const double perEpoch = epochs > 0 ? double(measured) / epochs : 1.0;
    const std::size_t windowUpdates = std::size_t(std::clamp(perEpoch, 20.0, double(lossTrendMaxWindow)));
    const std::size_t minimumClimb = std::size_t(std::clamp(perEpoch / 4, 4.0, 250.0));
    std::span<const StepRecord> window = records.last(std::min(records.size(), windowUpdates + 1));
    for (std::size_t i = window.size(); i-- > 1;)
        if (window[i].settingsChanged) {
            window = window.subspan(i - 1);
            break;
        }
    if (window.size() < 5)
        return trend;
    for (const StepRecord &r : window)
        if (!std::isfinite(r.loss))
            return trend;

    std::size_t lowest = 0;
    for (std::size_t i = 1; i < window.size(); ++i)
        if (window[i].loss <= window[lowest].loss)
            lowest = i;
    const std::size_t end = window.size() - 1, updates = end - lowest;
    if (updates < minimumClimb)
        return trend;
    std::size_t rises = 0;
    for (std::size_t i = lowest + 1; i <= end; ++i)
        rises += window[i].loss > window[i - 1].loss;
    const bool lastThreeRose = window[end].loss > window[end - 1].loss && window[end - 1].loss > window[end - 2].loss
        && window[end - 2].loss > window[end - 3].loss;
    const double low = window[lowest].loss, high = window[end].loss, rise = high - low;
    if (!(4 * rises >= 3 * updates && lastThreeRose && rise >= std::abs(low) && rise >= 0.5 * std::abs(high) && rise > 0))
        return trend;

    trend.rising = true;
    trend.updates = window[end].step - window[lowest].step;
    trend.factor = low > 0 ? high / low : std::numeric_limits<double>::quiet_NaN();
    const std::string over = " over the last " + std::to_string(trend.updates) + " updates";
    trend.warning = low > 0 ? "loss rising: x" + significantDigits(trend.factor, 2) + over
                            : "loss rising: from " + significantDigits(low, 2) + " to " + significantDigits(high, 2) + over;
    return trend;
}

} // namespace gdviz
