#include "StableLearningRate.h"

#include <cmath>
#include <limits>

namespace gdviz {

double largestEigenvalue(const Eigen::Matrix2d &h)
{
    if (!h.allFinite())
        return std::numeric_limits<double>::quiet_NaN();
    // [[a, b], [b, c]]: (a + c) / 2 + sqrt(((a - c) / 2)^2 + b^2); hypot avoids overflow in the squares.
    const double a = h(0, 0), c = h(1, 1), b = 0.5 * (h(0, 1) + h(1, 0));
    return 0.5 * (a + c) + std::hypot(0.5 * (a - c), b);
}

std::optional<double> stableLearningRate(double lambdaMax, const OptimizerSettings &s)
{
    if (s.kind != OptimizerKind::Sgd || !std::isfinite(lambdaMax))
        return std::nullopt;
    const double lambda = lambdaMax + s.weightDecay;
    if (!(lambda > 0))
        return std::nullopt;
    const double beta = s.momentum;
    if (beta == 0) // torch ignores dampening and nesterov without momentum
        return 2 / lambda;
    if (beta >= 1)
        return 0.0;
    // On one eigen-direction of a quadratic (gradient lambda theta; h = lr lambda), each form is a linear recurrence
    // in (theta, b) whose 2x2 matrix has the characteristic polynomial z^2 - t z + d; both roots lie inside the unit
    // circle exactly when (Jury's criterion, e.g. Jury, "Theory and Application of the z-Transform Method", 1964)
    //   1 - t + d > 0,   1 + t + d > 0,   |d| < 1.
    // Heavy ball, dampening d0: theta' - theta = beta (theta - theta_prev) - lr (1 - d0) g, so h (1 - d0) plays the
    // role of h: t = 1 + beta - h (1 - d0), d = beta. The first condition is h (1 - d0) > 0, the third beta < 1, the
    // second h (1 - d0) < 2 (1 + beta): lr < 2 (1 + beta) / ((1 - d0) lambda) (Polyak 1964; Goh, "Why momentum
    // really works", Distill 2017, for d0 = 0).
    // Nesterov (torch: b' = beta b + g, theta' = theta - lr (g + beta b')): theta' = (1 - h (1 + beta)) theta -
    // lr beta^2 b, so t = 1 + beta - h (1 + beta), d = beta (1 - h). Then 1 - t + d = h > 0; 1 + t + d =
    // 2 (1 + beta) - h (1 + 2 beta) > 0, i.e. h < 2 (1 + beta) / (1 + 2 beta); |d| < 1 needs h < 1 + 1/beta, which
    // that already implies (2 beta < 1 + 2 beta). torch allows Nesterov only without dampening.
    if (s.nesterov)
        return 2 * (1 + beta) / ((1 + 2 * beta) * lambda);
    if (s.dampening >= 1)
        return std::nullopt;
    return 2 * (1 + beta) / ((1 - s.dampening) * lambda);
}

std::optional<double> stableLearningRate(const Objective &objective, const Vec2 &theta, const OptimizerSettings &settings)
{
    if (settings.kind != OptimizerKind::Sgd) // no Hessian needed (a pass over the data for regressions)
        return std::nullopt;
    return stableLearningRate(largestEigenvalue(objective.hessian(theta)), settings);
}

} // namespace gdviz
