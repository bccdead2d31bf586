// The exact second derivatives of the named functions (AnalyticFormulas.h has their values and gradients), for
// AnalyticObjective::hessian. Each case differentiates the gradient written in AnalyticFormulas.h once more by hand;
// tst_hessian checks every one against central differences of that exact gradient.

#include "AnalyticFunctions.h"
#include "AnalyticFormulas.h"

#include <cmath>
#include <limits>

namespace gdviz {

namespace {

Eigen::Matrix2d symmetric(double xx, double xy, double yy)
{
    Eigen::Matrix2d h;
    h << xx, xy, xy, yy;
    return h;
}

Eigen::Matrix2d hessianOf(AnalyticKind kind, double a, double b, double x, double y)
{
    using analytic::pi;
    switch (kind) {
    case AnalyticKind::Quadratic: // 0.5 (a x^2 + b y^2)
        return symmetric(a, 0, b);
    case AnalyticKind::Rosenbrock: // f_x = -2 (a - x) - 4 b x (y - x^2), f_y = 2 b (y - x^2)
        return symmetric(2 - 4 * b * (y - x * x) + 8 * b * x * x, -4 * b * x, 2 * b);
    case AnalyticKind::Beale: {
        // f = sum t_i^2, t_i = c_i - x + x y^i (i = 1, 2, 3): f'' = 2 sum (t_i' t_i'^T + t_i t_i''), with
        // dt_i/dx = y^i - 1, dt_i/dy = i x y^(i-1), d2t_i/dxdy = i y^(i-1), d2t_i/dy2 = i (i-1) x y^(i-2).
        const double c[3] = {1.5, 2.25, 2.625};
        double xx = 0, xy = 0, yy = 0;
        for (int i = 1; i <= 3; ++i) {
            const double yi = std::pow(y, i), yi1 = std::pow(y, i - 1), yi2 = i >= 2 ? std::pow(y, i - 2) : 0.0;
            const double t = c[i - 1] - x + x * yi, tx = yi - 1, ty = i * x * yi1;
            xx += 2 * tx * tx;
            xy += 2 * (tx * ty + t * i * yi1);
            yy += 2 * (ty * ty + t * i * (i - 1) * x * yi2);
        }
        return symmetric(xx, xy, yy);
    }
    case AnalyticKind::Himmelblau: { // u = x^2 + y - 11, v = x + y^2 - 7; f_x = 4 x u + 2 v, f_y = 2 u + 4 y v
        const double u = x * x + y - 11, v = x + y * y - 7;
        return symmetric(4 * u + 8 * x * x + 2, 4 * x + 4 * y, 2 + 4 * v + 8 * y * y);
    }
    case AnalyticKind::Booth: // f_x = 2 u + 4 v, f_y = 4 u + 2 v with u_x = 1, u_y = 2, v_x = 2, v_y = 1
        return symmetric(10, 8, 10);
    case AnalyticKind::Matyas:
        return symmetric(0.52, -0.48, 0.52);
    case AnalyticKind::ThreeHumpCamel: { // f_x = 4x - 4.2x^3 + x^5 + y, f_y = x + 2y
        const double x2 = x * x;
        return symmetric(4 - 12.6 * x2 + 5 * x2 * x2, 1, 2);
    }
    case AnalyticKind::SixHumpCamel: { // f_x = 8x - 8.4x^3 + 2x^5 + y, f_y = x - 8y + 16y^3
        const double x2 = x * x;
        return symmetric(8 - 25.2 * x2 + 10 * x2 * x2, 1, -8 + 48 * y * y);
    }
    case AnalyticKind::Rastrigin: // f_x = 2x + 2 pi A sin(2 pi x)
        return symmetric(2 + 4 * pi * pi * a * std::cos(2 * pi * x), 0, 2 + 4 * pi * pi * a * std::cos(2 * pi * y));
    case AnalyticKind::Ackley: {
        // First term -20 exp(-0.2 r), r = sqrt(0.5 (x^2 + y^2)): its gradient is R(r) (x, y) with R = 2 e1 / r,
        // so its Hessian is R I + R'(r) / (2r) (x, y)(x, y)^T, R' = -2 e1 (0.2 r + 1) / r^2. At the origin (the
        // cone's tip) it has no second derivative: NaN. Second term -e2, e2 = exp(0.5 (cos 2 pi x + cos 2 pi y)):
        // d/dx = pi sin(2 pi x) e2, d2/dx2 = (2 pi^2 cos(2 pi x) - pi^2 sin^2(2 pi x)) e2,
        // d2/dxdy = -pi^2 sin(2 pi x) sin(2 pi y) e2.
        const double r = std::sqrt(0.5 * (x * x + y * y));
        if (!(r > 0))
            return Eigen::Matrix2d::Constant(std::numeric_limits<double>::quiet_NaN());
        const double e1 = std::exp(-0.2 * r);
        const double e2 = std::exp(0.5 * (std::cos(2 * pi * x) + std::cos(2 * pi * y)));
        const double radial = 2 * e1 / r;
        const double radialSlope = -2 * e1 * (0.2 * r + 1) / (r * r) / (2 * r);
        const double sx = std::sin(2 * pi * x), sy = std::sin(2 * pi * y);
        const double cx = std::cos(2 * pi * x), cy = std::cos(2 * pi * y);
        return symmetric(radial + radialSlope * x * x + (2 * pi * pi * cx - pi * pi * sx * sx) * e2,
                         radialSlope * x * y - pi * pi * sx * sy * e2,
                         radial + radialSlope * y * y + (2 * pi * pi * cy - pi * pi * sy * sy) * e2);
    }
    case AnalyticKind::StyblinskiTang: // f_x = 0.5 (4x^3 - 32x + 5)
        return symmetric(6 * x * x - 16, 0, 6 * y * y - 16);
    case AnalyticKind::GoldsteinPrice: {
        // f = A B with A = 1 + s^2 p (s = x + y + 1), B = 30 + d^2 q (d = 2x - 3y); p and q are the quadratics of
        // AnalyticFormulas.h with p_xx = p_xy = p_yy = 6, q_xx = 24, q_xy = -36, q_yy = 54. Product rule twice:
        // f_ij = A_ij B + A_i B_j + A_j B_i + A B_ij.
        const double s = x + y + 1, p = 19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y;
        const double d = 2 * x - 3 * y, q = 18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y;
        const double A = 1 + s * s * p, B = 30 + d * d * q;
        const double px = -14 + 6 * x + 6 * y, py = px; // s_x = s_y = 1
        const double qx = -32 + 24 * x - 36 * y, qy = 48 - 36 * x + 54 * y; // d_x = 2, d_y = -3
        const double Ax = 2 * s * p + s * s * px, Ay = 2 * s * p + s * s * py;
        const double Bx = 4 * d * q + d * d * qx, By = -6 * d * q + d * d * qy;
        const double Axx = 2 * p + 4 * s * px + 6 * s * s;
        const double Axy = 2 * p + 2 * s * py + 2 * s * px + 6 * s * s;
        const double Ayy = 2 * p + 4 * s * py + 6 * s * s;
        const double Bxx = 8 * q + 8 * d * qx + 24 * d * d;
        const double Bxy = -12 * q + 4 * d * qy - 6 * d * qx - 36 * d * d;
        const double Byy = 18 * q - 12 * d * qy + 54 * d * d;
        return symmetric(Axx * B + 2 * Ax * Bx + A * Bxx, Axy * B + Ax * By + Ay * Bx + A * Bxy,
                         Ayy * B + 2 * Ay * By + A * Byy);
    }
    case AnalyticKind::Saddle: // x^2 - y^2
        return symmetric(2, 0, -2);
    }
    return Eigen::Matrix2d::Constant(std::numeric_limits<double>::quiet_NaN());
}

} // namespace

Eigen::Matrix2d AnalyticObjective::hessian(const Vec2 &theta) const
{
    return hessianOf(m_kind, m_a, m_b, theta[0], theta[1]);
}

} // namespace gdviz
