#include "RecommendedDefaults.h"
#include "StableLearningRate.h"

#include "AnalyticFunctions.h"
#include "RegressionObjectives.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace gdviz {

namespace {

/// m * 10^e as the double nearest to that decimal, so that it prints as one (0.002, not 0.0020000000000000004):
/// dividing by an exact power of ten rounds once, where multiplying by the inexact 1e-3 rounds twice.
double decimal(double mantissa, int exponent)
{
    return exponent < 0 ? mantissa / std::pow(10.0, -exponent) : mantissa * std::pow(10.0, exponent);
}

/// value rounded to the nearest multiple of m * 10^e, as a decimal (see decimal()).
double roundToMultiple(double value, double mantissa, int exponent)
{
    const double n = std::round(value / decimal(mantissa, exponent));
    return decimal(n * mantissa, exponent);
}

/// (mantissa, exponent) of roundDownToPleasant(value).
std::pair<double, int> pleasantBelow(double value)
{
    int exponent = int(std::floor(std::log10(value)));
    // log10 may land an ulp off at exact powers of ten: correct the exponent so 10^e <= value < 10^(e+1).
    if (decimal(1, exponent) > value * (1 + 1e-9))
        --exponent;
    else if (decimal(1, exponent + 1) <= value * (1 + 1e-9))
        ++exponent;
    for (double mantissa : {5.0, 2.0})
        if (decimal(mantissa, exponent) <= value * (1 + 1e-9))
            return {mantissa, exponent};
    return {1.0, exponent};
}

/// Half the smaller side of the objective's default view: the scale of its parameters.
double parameterScale(const Objective &objective)
{
    const ViewWindow v = objective.defaultView();
    return 0.5 * std::min(v.xMax - v.xMin, v.yMax - v.yMin);
}

/// The adaptive optimizers' rate as a share of the parameters' scale (RecommendedDefaults.h); SGD has none.
double shareOfScale(OptimizerKind kind)
{
    switch (kind) {
    case OptimizerKind::Sgd: return 0;
    case OptimizerKind::Adagrad: return 1.0 / 20;
    case OptimizerKind::Rmsprop: return 1.0 / 200;
    case OptimizerKind::Adadelta: return 1.0;
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
    case OptimizerKind::Adamax:
    case OptimizerKind::Nadam: return 1.0 / 100;
    }
    return 0;
}

/// max over the samples of x^2 + 1: the one eigenvalue of [x, 1][x, 1]^T, the shape of every sample's Hessian in
/// both regressions.
double largestSampleCurvature(const DataSet &data)
{
    double largest = 1;
    for (double x : data.x)
        largest = std::max(largest, x * x + 1);
    return largest;
}

/// The largest eigenvalue of the objective's exact Hessian at theta; NaN where a value is not finite.
double largestCurvatureAt(const Objective &objective, const Vec2 &theta)
{
    const Eigen::Matrix2d h = objective.hessian(theta);
    return h.allFinite() ? largestEigenvalue(h) : std::numeric_limits<double>::quiet_NaN();
}

} // namespace

double roundDownToPleasant(double value)
{
    const auto [mantissa, exponent] = pleasantBelow(value);
    return decimal(mantissa, exponent);
}

double recommendedLearningRate(const Objective &objective, OptimizerKind kind)
{
    if (const auto *analytic = dynamic_cast<const AnalyticObjective *>(&objective)) {
        for (const AnalyticFunctionInfo &info : analyticFunctions())
            if (info.kind == analytic->kind())
                return info.recommendedLr.of(kind);
    }
    if (kind != OptimizerKind::Sgd)
        return roundDownToPleasant(shareOfScale(kind) * parameterScale(objective));
    if (const auto *linear = dynamic_cast<const LinearRegressionObjective *>(&objective))
        return roundDownToPleasant(1 / (2 * largestSampleCurvature(linear->data())));
    if (const auto *logistic = dynamic_cast<const LogisticRegressionObjective *>(&objective))
        return roundDownToPleasant(1 / (largestSampleCurvature(logistic->data()) / 4));
    const double curvature = largestCurvatureAt(objective, defaultStart(objective));
    if (!(curvature > 0) || !std::isfinite(curvature))
        return 0.01;
    const double rate = 0.5 / curvature;
    return rate > 0 && std::isfinite(rate) ? roundDownToPleasant(rate) : 0.01;
}

Vec2 defaultStart(const Objective &objective)
{
    if (const auto *analytic = dynamic_cast<const AnalyticObjective *>(&objective)) {
        for (const AnalyticFunctionInfo &info : analyticFunctions())
            if (info.kind == analytic->kind())
                return info.defaultStart;
    }
    const ViewWindow v = objective.defaultView();
    const Vec2 centre(0.5 * (v.xMin + v.xMax), 0.5 * (v.yMin + v.yMax));
    const Vec2 from = objective.knownMinima().empty() ? centre : objective.knownMinima().front().at;
    const double s = parameterScale(objective);
    const auto pleasant = pleasantBelow(s / 10);
    const auto mantissa = pleasant.first;
    const auto exponent = pleasant.second; // named copies: clang 14 cannot capture structured bindings
    auto pointAt = [&](const Vec2 &origin, double dx, double dy) {
        return Vec2(roundToMultiple(origin[0] + dx * s, mantissa, exponent),
                    roundToMultiple(origin[1] + dy * s, mantissa, exponent));
    };
    const Vec2 preferred = pointAt(from, -0.6, 0.6);
    if (objective.sampleCount() > 0)
        return preferred; // a regression's loss is finite everywhere
    // A formula may be undefined there (log x, sqrt x): the first of a few points around the centre where its value
    // and gradient are finite.
    constexpr std::array<std::array<double, 2>, 8> others = {{{0.6, 0.6}, {0.6, -0.6}, {-0.6, -0.6}, {-0.3, 0.3},
                                                              {0.3, 0.3}, {0.3, -0.3}, {-0.3, -0.3}, {0, 0}}};
    auto finiteAt = [&objective](const Vec2 &p) {
        Vec2 grad;
        return std::isfinite(objective.evaluate(p, &grad)) && grad.allFinite();
    };
    if (finiteAt(preferred))
        return preferred;
    for (const auto &[dx, dy] : others)
        if (const Vec2 p = pointAt(centre, dx, dy); finiteAt(p))
            return p;
    return preferred;
}

} // namespace gdviz
