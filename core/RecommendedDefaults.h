#pragma once
// Defaults that teach: for any objective, a start point and, for each optimizer, a learning rate from which a
// descent is worth watching: it converges, or makes visible progress, within 2,000 updates without diverging,
// with a margin (tests/tst_recommendeddefaults.cpp holds every objective kind to it). The window applies them when
// the objective changes; a scenario file asks for them with "lr": "recommended" and a run without "start".

#include "Objective.h"
#include "Optimizers.h"

namespace gdviz {

/// The learning rate to start from with optimizer kind on objective: finite, > 0, and a round number (1, 2 or
/// 5 times a power of ten) a teacher would type. Where it comes from, by objective:
/// - Named functions: their table entry (AnalyticFunctionInfo::recommendedLr), chosen by a sweep for the default
///   parameters; other parameter values get the same rate, not one derived again.
/// - Linear regression (mean squared error, no 1/2): each sample's Hessian is 2 [x, 1][x, 1]^T, with the one
///   eigenvalue 2 (x^2 + 1); every batch's Hessian (a mean of these) and the full data's have lambda_max at most
///   m = max over the samples of 2 (x^2 + 1). SGD gets 1 / m rounded down: half the stable limit 2 / m of the
///   worst single-sample step, so no update of any batch size (1, k or the full data) overshoots its batch's
///   minimum, and at most half the full-batch limit 2 / lambda_max(H).
/// - Logistic regression (binary cross-entropy): sigmoid' = p (1 - p) <= 1/4, so each sample's Hessian is at most
///   [x, 1][x, 1]^T / 4 (a quarter, no factor 2); SGD gets 1 / max (x^2 + 1) / 4 the same way.
/// - Other objectives (formulas): SGD gets 0.5 / lambda_max of the Hessian at defaultStart() (Objective::hessian,
///   exact: forward-mode second order for a formula), rounded down: a quarter of the
///   stable limit there, as the curvature along the path is unknown; 0.01 (Keras's default) where the curvature
///   there is not positive or not finite.
/// - Adaptive optimizers on every objective but the named functions: their steps are about lr long whatever the
///   gradient (Adagrad's shrink as 1/sqrt(t), RMSprop's start near 10 lr), so the rate follows the parameters'
///   scale s, half the smaller side of the default view (for linear regression, a frame around the least-squares
///   line): lr = s / 100 (Adam, AdamW, Adamax, NAdam), s / 20 (Adagrad), s / 200 (RMSprop), s (Adadelta, whose
///   lr multiplies an already unit-correct step), rounded down: the median ratios of the named functions' table.
double recommendedLearningRate(const Objective &objective, OptimizerKind kind);

/// Where runs on objective start by default, the same for every optimizer: a point inside the default view, away
/// from the minimum, and for data objectives a line that is visibly wrong.
/// - Named functions: their table entry (AnalyticFunctionInfo::defaultStart), for the default parameters.
/// - Others: the known minimum (the least-squares line), else the view's centre, moved 0.6 s left and 0.6 s up
///   (s as above), each coordinate rounded to a multiple of a round tenth of s. For the default linear
///   data (slope 2, intercept -1) that is w = 0.2, b = 0.8: an almost flat line. A formula not finite there (log x,
///   sqrt x) gets the first of a few other points around the centre where its value and gradient are finite.
Vec2 defaultStart(const Objective &objective);

/// The largest of 1, 2 or 5 times a power of ten that is <= value, for value > 0 and finite (0.03 -> 0.02,
/// 0.5 -> 0.5, 7e-6 -> 5e-6); within a relative 1e-9, value itself when it already is one.
double roundDownToPleasant(double value);

} // namespace gdviz
