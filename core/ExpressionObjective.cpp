#include "ExpressionObjective.h"

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

} // namespace gdviz
