#include "ExpressionObjective.h"

#include <algorithm>
#include <array>

namespace gdviz {

ExpressionObjective::ExpressionObjective(Expression expression, const ViewWindow &view)
    : m_expression(std::move(expression))
{
    m_view = view;
}

double ExpressionObjective::evaluate(const Vec2 &theta, Vec2 *grad) const
{
    if (!grad)
        return m_expression.evaluate(theta[0], theta[1]);
    return m_expression.evaluate(theta[0], theta[1], &(*grad)[0], &(*grad)[1]);
}

Eigen::Matrix2d ExpressionObjective::hessian(const Vec2 &theta) const
{
    const Expression::SecondOrder f = m_expression.evaluateSecondOrder(theta[0], theta[1]);
    Eigen::Matrix2d h;
    h << f.dxx, f.dxy, f.dxy, f.dyy;
    return h;
}

void ExpressionObjective::evaluateRow(std::span<const double> xs, double y, std::span<double> out) const
{
    constexpr std::size_t kChunk = 256;
    std::array<double, kChunk> ys;
    ys.fill(y);
    for (std::size_t begin = 0; begin < xs.size(); begin += kChunk) {
        const std::size_t count = std::min(kChunk, xs.size() - begin);
        m_expression.evaluateMany(xs.subspan(begin, count), std::span<const double>(ys.data(), count),
                                  out.subspan(begin, count));
    }
}

} // namespace gdviz
