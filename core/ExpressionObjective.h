#pragma once
// A formula typed by the user as an objective of theta = (x, y).

#include "Expression.h"
#include "Objective.h"

namespace gdviz {

class ExpressionObjective final : public Objective {
public:
    /// view: the window to show (a formula has no natural one); no known minima.
    ExpressionObjective(Expression expression, const ViewWindow &view);

    double evaluate(const Vec2 &theta, Vec2 *grad) const override;
    /// Second-order forward-mode differentiation of the formula (Expression::evaluateSecondOrder).
    Eigen::Matrix2d hessian(const Vec2 &theta) const override;
    /// Runs the tape over blocks of the row at once (Expression::evaluateMany), several times faster than
    /// one tape run per point.
    void evaluateRow(std::span<const double> xs, double y, std::span<double> out) const override;
    const Expression &expression() const { return m_expression; }

private:
    Expression m_expression;
};

} // namespace gdviz
