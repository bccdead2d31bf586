#pragma once
// The formulas of the named functions (AnalyticFunctions.h), inline: AnalyticObjective evaluates them, and
// Run::advance steps every optimizer on them in a loop that keeps theta and the gradient in registers (one loop
// per kind and per form of the rule, no virtual call per update: RunAnalytic.cpp).

#include "AnalyticFunctions.h"

#include <cmath>
#include <numbers>

namespace gdviz::analytic {

inline constexpr double pi = std::numbers::pi;

/// f at (x, y) with its gradient (gx, gy; only partly computed unless wantGradient): the one definition of every named function. Always inlined, so a
/// caller whose kind is a compile-time constant keeps only that case (see rowOf).
[[gnu::always_inline]] inline double analyticValue(AnalyticKind kind, double a, double b, double x, double y,
                                                   bool wantGradient, double &gx, double &gy)
{
    double f = 0;
    gx = 0;
    gy = 0;
    switch (kind) {
    case AnalyticKind::Quadratic: // 0.5 (a x^2 + b y^2)
        f = 0.5 * (a * x * x + b * y * y);
        gx = a * x;
        gy = b * y;
        break;
    case AnalyticKind::Rosenbrock: { // (a - x)^2 + b (y - x^2)^2
        const double u = a - x, v = y - x * x;
        f = u * u + b * v * v;
        gx = -2 * u - 4 * b * x * v;
        gy = 2 * b * v;
        break;
    }
    case AnalyticKind::Beale: { // (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2
        const double y2 = y * y, y3 = y2 * y;
        const double t1 = 1.5 - x + x * y, t2 = 2.25 - x + x * y2, t3 = 2.625 - x + x * y3;
        f = t1 * t1 + t2 * t2 + t3 * t3;
        gx = 2 * t1 * (y - 1) + 2 * t2 * (y2 - 1) + 2 * t3 * (y3 - 1);
        gy = 2 * t1 * x + 2 * t2 * 2 * x * y + 2 * t3 * 3 * x * y2;
        break;
    }
    case AnalyticKind::Himmelblau: { // (x^2 + y - 11)^2 + (x + y^2 - 7)^2
        const double u = x * x + y - 11, v = x + y * y - 7;
        f = u * u + v * v;
        gx = 4 * x * u + 2 * v;
        gy = 2 * u + 4 * y * v;
        break;
    }
    case AnalyticKind::Booth: { // (x + 2y - 7)^2 + (2x + y - 5)^2
        const double u = x + 2 * y - 7, v = 2 * x + y - 5;
        f = u * u + v * v;
        gx = 2 * u + 4 * v;
        gy = 4 * u + 2 * v;
        break;
    }
    case AnalyticKind::Matyas: // 0.26 (x^2 + y^2) - 0.48 xy
        f = 0.26 * (x * x + y * y) - 0.48 * x * y;
        gx = 0.52 * x - 0.48 * y;
        gy = 0.52 * y - 0.48 * x;
        break;
    case AnalyticKind::ThreeHumpCamel: { // 2x^2 - 1.05x^4 + x^6/6 + xy + y^2
        const double x2 = x * x, x4 = x2 * x2;
        f = 2 * x2 - 1.05 * x4 + x4 * x2 / 6 + x * y + y * y;
        gx = 4 * x - 4.2 * x2 * x + x4 * x + y;
        gy = x + 2 * y;
        break;
    }
    case AnalyticKind::SixHumpCamel: { // (4 - 2.1x^2 + x^4/3) x^2 + xy + (-4 + 4y^2) y^2
        const double x2 = x * x, x4 = x2 * x2, y2 = y * y;
        f = (4 - 2.1 * x2 + x4 / 3) * x2 + x * y + (-4 + 4 * y2) * y2;
        gx = 8 * x - 8.4 * x2 * x + 2 * x4 * x + y;
        gy = x - 8 * y + 16 * y2 * y;
        break;
    }
    case AnalyticKind::Rastrigin: // 2A + sum (x_i^2 - A cos(2 pi x_i))
        f = 2 * a + (x * x - a * std::cos(2 * pi * x)) + (y * y - a * std::cos(2 * pi * y));
        if (wantGradient) { // the sines only when asked: surfaces evaluate values alone
            gx = 2 * x + 2 * pi * a * std::sin(2 * pi * x);
            gy = 2 * y + 2 * pi * a * std::sin(2 * pi * y);
        }
        break;
    case AnalyticKind::Ackley: {
        // -20 exp(-0.2 sqrt(0.5 (x^2 + y^2))) - exp(0.5 (cos 2 pi x + cos 2 pi y)) + e + 20.
        // The gradient of the first term is singular at the origin (a cone tip); there we take 0,
        // the limit of the symmetric subgradient.
        const double r = std::sqrt(0.5 * (x * x + y * y));
        const double e1 = std::exp(-0.2 * r);
        const double e2 = std::exp(0.5 * (std::cos(2 * pi * x) + std::cos(2 * pi * y)));
        f = -20 * e1 - e2 + std::numbers::e + 20;
        if (wantGradient) {
            const double radial = r > 0 ? 20 * 0.2 * e1 * 0.5 / r : 0.0; // d(-20 e1)/dx = radial * x
            gx = radial * x + e2 * pi * std::sin(2 * pi * x);
            gy = radial * y + e2 * pi * std::sin(2 * pi * y);
        }
        break;
    }
    case AnalyticKind::StyblinskiTang: // 0.5 sum (x_i^4 - 16 x_i^2 + 5 x_i)
        f = 0.5 * ((x * x * x * x - 16 * x * x + 5 * x) + (y * y * y * y - 16 * y * y + 5 * y));
        gx = 0.5 * (4 * x * x * x - 32 * x + 5);
        gy = 0.5 * (4 * y * y * y - 32 * y + 5);
        break;
    case AnalyticKind::GoldsteinPrice: {
        // [1 + (x+y+1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)] [30 + (2x-3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)]
        const double s = x + y + 1, p = 19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y;
        const double d = 2 * x - 3 * y, q = 18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y;
        const double A = 1 + s * s * p, B = 30 + d * d * q;
        f = A * B;
        const double Ax = 2 * s * p + s * s * (-14 + 6 * x + 6 * y);
        const double Ay = 2 * s * p + s * s * (-14 + 6 * x + 6 * y);
        const double Bx = 4 * d * q + d * d * (-32 + 24 * x - 36 * y);
        const double By = -6 * d * q + d * d * (48 - 36 * x + 54 * y);
        gx = Ax * B + A * Bx;
        gy = Ay * B + A * By;
        break;
    }
    case AnalyticKind::Saddle: // x^2 - y^2
        f = x * x - y * y;
        gx = 2 * x;
        gy = -2 * y;
        break;
    }
    return f;
}

/// One point of one kind, with the gradient when asked: a small function per kind (Rosenbrock's needs no
/// stack frame), where a single one with every case saved registers and a frame for the calls of the others
/// at every update.
template <AnalyticKind Kind>
inline double pointOf(double a, double b, const Vec2 &theta, Vec2 *grad)
{
    double gx, gy;
    const double f = analyticValue(Kind, a, b, theta[0], theta[1], grad != nullptr, gx, gy);
    if (grad)
        *grad = Vec2(gx, gy);
    return f;
}

} // namespace gdviz::analytic
