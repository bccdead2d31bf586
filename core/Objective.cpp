#include "Objective.h"

#include <limits>
#include <stdexcept>

namespace gdviz {

void Objective::evaluateRow(std::span<const double> xs, double y, std::span<double> out) const
{
    for (std::size_t i = 0; i < xs.size(); ++i)
        out[i] = evaluate(Vec2(xs[i], y), nullptr);
}

Eigen::Matrix2d Objective::hessian(const Vec2 &) const
{
    return Eigen::Matrix2d::Constant(std::numeric_limits<double>::quiet_NaN());
}

double Objective::evaluateBatch(const Vec2 &, std::span<const SampleIndex>, Vec2 *) const
{
    throw std::logic_error("evaluateBatch() called on an objective without data");
}

} // namespace gdviz
