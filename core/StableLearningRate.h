#pragma once
// The largest learning rate at which gradient descent is stable near a point: the number a divergence is
// explained with (Run's status reason) and the lr slider marks.
//
// Near theta the objective is close to its quadratic model, whose Hessian H has eigenvalues lambda. Gradient
// descent on a quadratic moves each eigen-direction independently, theta_k -> (1 - lr lambda) theta_k, so it
// settles exactly when |1 - lr lambda| < 1 for every lambda > 0: lr < 2 / lambda_max. Directions that curve down
// (lambda <= 0) run away at every lr, and no learning rate fixes that, so they set no limit. Far from theta the
// curvature changes, so the limit is local ("near the current point"), exact only for quadratics.

#include "Objective.h"
#include "Optimizers.h"

#include <optional>

namespace gdviz {

/// The largest eigenvalue of the symmetric 2x2 matrix h (closed form); NaN when an entry is not finite.
double largestEigenvalue(const Eigen::Matrix2d &h);

/// The largest stable learning rate for curvature lambdaMax (the Hessian's largest eigenvalue) under settings:
/// - SGD without momentum: 2 / lambda, where lambda = lambdaMax + weight_decay (the L2 term adds weight_decay
///   to every eigenvalue);
/// - SGD with heavy-ball momentum beta (torch: b = beta b + (1 - dampening) g, theta -= lr b), dampening d < 1:
///   2 (1 + beta) / ((1 - d) lambda); without dampening 2 (1 + beta) / lambda;
/// - SGD with Nesterov momentum (torch: theta -= lr (g + beta b), dampening 0): 2 (1 + beta) / ((1 + 2 beta) lambda).
/// Derived in StableLearningRate.cpp. 0 when no learning rate is stable (momentum >= 1). std::nullopt, no limit
/// claimed: adaptive optimizers (Adagrad, RMSprop, Adadelta, Adam, AdamW, Adamax, NAdam), whose steps are scaled
/// by the gradients themselves; lambda <= 0 (no curvature limit); dampening 1 (the velocity forgets every gradient
/// after the first: the steps shrink geometrically whatever lr is); lambdaMax not finite.
std::optional<double> stableLearningRate(double lambdaMax, const OptimizerSettings &settings);

/// stableLearningRate() with lambdaMax of objective's exact Hessian at theta (Objective::hessian): for data
/// objectives the full objective's, whatever the run's batch size (for stochastic and mini-batch runs it is the
/// full-batch limit: their batch gradients are noisy estimates of the full one).
std::optional<double> stableLearningRate(const Objective &objective, const Vec2 &theta, const OptimizerSettings &settings);

} // namespace gdviz
