#pragma once
// Small helpers shared by the tests: central differences and tolerant comparison.

#include "Objective.h"

#include <cmath>
#include <functional>

namespace gdviz::test {

/// Central difference of f at theta with step h in each coordinate: the independent reference for
/// every exact gradient.
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
