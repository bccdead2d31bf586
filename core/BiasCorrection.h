#pragma once
// Adam's bias correction 1 - beta^t, computed as torch computes it (1 - beta ** step: the C library's pow),
// but for the next updates at once, and without calling pow once the answer can no longer change.

#include <array>
#include <cmath>
#include <cstddef>

namespace gdviz {

/// 1 - beta^t for t = 1, 2, 3, ... of one run: the same doubles as 1 - std::pow(beta, t), bit for bit.
/// - pow is called for the next `window` values of t at once, so the calls no longer sit between one update
///   and the next (pow takes longer than a Rosenbrock update): Adam's 10,000 recorded updates went from 1.04
///   to 0.76 ms (bench_core_descent).
/// - Once pow(beta, t) has come out at or below 2^-60, 1 - beta^t is exactly 1 for that t and every later
///   one: beta^t only falls as t grows (0 <= beta < 1), pow errs by less than an ulp, and 1 - p rounds to 1
///   for any p <= 2^-54. From then on no pow at all (0.9^t passes 2^-60 at t = 395).
/// A new beta (a live change) starts over.
class BiasCorrection {
public:
    static constexpr std::size_t window = 16;

    double at(double beta, double t)
    {
        if (beta != m_beta) {
            m_beta = beta;
            m_saturatedFrom = -1;
            m_filled = false;
        }
        if (m_saturatedFrom >= 0 && t >= m_saturatedFrom)
            return 1.0;
        if (!m_filled || !(t >= m_first && t < m_first + double(window)))
            fill(t);
        return m_values[std::size_t(t - m_first)];
    }

private:
    void fill(double t)
    {
        m_first = t;
        m_filled = true;
        for (std::size_t k = 0; k < window; ++k) {
            const double power = std::pow(m_beta, t + double(k));
            m_values[k] = 1 - power;
            if (power <= 0x1p-60) {
                m_saturatedFrom = t + double(k);
                break;
            }
        }
    }

    double m_beta = -1; // none yet
    bool m_filled = false;
    double m_first = 0; // when filled: m_values[k] = 1 - beta^(m_first + k)
    double m_saturatedFrom = -1; // >= 0: 1 - beta^t is 1 for every t from here on
    std::array<double, window> m_values{};
};

} // namespace gdviz
