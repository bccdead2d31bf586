#pragma once
// Small helpers shared by the tests: central differences and tolerant comparison.

#include "DataSet.h"
#include "Objective.h"

#include <cmath>
#include <functional>
#include <memory>

namespace gdviz::test {

/// Central difference of f at theta with step h in each coordinate: the independent reference for
/// every exact gradient.
/// The built-in lesson's 200 samples (resources/lessons/batch_vs_stochastic.json: slope 2, intercept -1, noise 1,
/// seed 7), generated as the lesson generates them.
inline std::shared_ptr<const DataSet> lessonData()
{
    DataGeneratorSettings settings;
    settings.n = 200;
    settings.slope = 2;
    settings.intercept = -1;
    settings.noise = 1.0;
    settings.seed = 7;
    return std::make_shared<DataSet>(generateLinearData(settings));
}

inline Vec2 centralDifference(const std::function<double(const Vec2 &)> &f, const Vec2 &theta, double h = 1e-6)
{
    Vec2 g;
    for (int i = 0; i < 2; ++i) {
        Vec2 plus = theta, minus = theta;
        plus[i] += h;
        minus[i] -= h;
        g[i] = (f(plus) - f(minus)) / (2 * h);
    }
    return g;
}

/// |a - b| <= rel * max(|a|, |b|) + abs
inline bool closeRelative(double a, double b, double rel, double abs = 0.0)
{
    if (a == b)
        return true;
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b)) + abs;
}

} // namespace gdviz::test
