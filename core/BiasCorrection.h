#pragma once
// Adam's bias correction 1 - beta^t, computed as torch computes it (1 - beta ** step: the C library's pow),
// but for a block of updates at once, without pow's cost (PowerSequence), and, once the answer can no longer
// change, without any work at all.

#include "PowerSequence.h"

#include <Eigen/Core>

#include <array>
#include <cmath>
#include <cstddef>

namespace gdviz {

/// 1 - beta^t for t = 1, 2, 3, ... of one run: the same doubles as 1 - std::pow(beta, t), bit for bit.
/// - The values for the next `block` updates are computed at once, out of the update's line (fill), from a
///   PowerSequence: the same doubles as pow, which it calls for about one t in eight. at() only reads them, so
///   that an update loop with at() inlined stays short (Adam's 10,000 recorded updates, bench_core_descent:
///   1.04 ms with pow in the update, 0.47 ms with one pow per update computed 16 updates ahead, 0.44 ms with
///   the PowerSequence in its place, and with the block: see the README). A t out of sequence starts afresh.
/// - Once beta^t has come out at or below 2^-60, 1 - beta^t is exactly 1 for that t and every later one:
///   beta^t only falls as t grows (0 <= beta < 1), pow errs by less than an ulp, and 1 - p rounds to 1 for any
///   p <= 2^-54. From then on no work at all (0.9^t passes 2^-60 at t = 395).
/// A new beta (a live change) starts over.
class BiasCorrection {
public:
    static constexpr std::size_t block = 64;
    static_assert(block % PowerSequence::lanes == 0);

    double at(double beta, double t) { return valueAt(beta, t, m_values); }
    /// std::sqrt(at(beta, t)), computed with the block.
    double sqrtAt(double beta, double t) { return valueAt(beta, t, m_roots); }

private:
    double valueAt(double beta, double t, const std::array<double, block> &values)
    {
        if (beta != m_beta) {
            m_beta = beta;
            m_saturatedFrom = -1;
            m_end = m_begin; // nothing filled
        }
        if (m_saturatedFrom >= 0 && t >= m_saturatedFrom)
            return 1.0;
        if (!(t >= m_begin && t < m_end))
            fill(t);
        return values[std::size_t(t - m_begin)];
    }

    [[gnu::noinline]] void fill(double t)
    {
        if (t != m_end || m_end == m_begin)
            m_powers.start(m_beta, t);
        m_powers.fill(m_values);
        for (std::size_t k = 0; k < block && m_saturatedFrom < 0; ++k)
            if (m_values[k] <= 0x1p-60)
                m_saturatedFrom = t + double(k);
        using Values = Eigen::Array<double, block, 1>;
        Eigen::Map<Values> values(m_values.data());
        values = 1 - values; // from beta^t
#ifdef __AVX512F__
        // Eigen's AVX-512 sqrt is an approximation (with EIGEN_FAST_MATH, its default): std::sqrt, one at a time.
        for (std::size_t k = 0; k < block; ++k)
            m_roots[k] = std::sqrt(m_values[k]);
#else
        // Eigen's SSE2 and AVX sqrt are the processor's (_mm_sqrt_pd, _mm256_sqrt_pd), correctly rounded as
        // std::sqrt, two or four at a time.
        Eigen::Map<Values>(m_roots.data()) = values.sqrt();
#endif
        m_begin = t;
        m_end = t + double(block);
    }

    double m_beta = -1; // none yet
    double m_begin = 0, m_end = 0; // m_values[k] = 1 - beta^(m_begin + k) for m_begin + k < m_end
    double m_saturatedFrom = -1; // >= 0: 1 - beta^t is 1 for every t from here on
    std::array<double, block> m_values{}, m_roots{};
    PowerSequence m_powers; // at beta^m_end when filled
};

} // namespace gdviz
