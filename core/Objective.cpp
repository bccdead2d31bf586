#include "Objective.h"

#include <stdexcept>

namespace gdviz {

void Objective::evaluateRow(std::span<const double> xs, double y, std::span<double> out) const
{
    for (std::size_t i = 0; i < xs.size(); ++i)
        out[i] = evaluate(Vec2(xs[i], y), nullptr);
}

double Objective::evaluateBatch(const Vec2 &, std::span<const SampleIndex>, Vec2 *) const
{
    throw std::logic_error("evaluateBatch() called on an objective without data");
}

} // namespace gdviz
