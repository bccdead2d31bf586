#include "PowerSequence.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

namespace gdviz {

namespace {
struct Split {
    double high, low; // high + low == x, each with at most 26 significant bits
};
Split split(double x)
{
    const double c = (0x1p27 + 1) * x; // Veltkamp's splitting
    const double high = c - (c - x);
    return {high, x - high};
}
} // namespace

[[gnu::always_inline]] inline PowerSequence::DoubleDouble PowerSequence::product(DoubleDouble x, DoubleDouble y)
{
    // x.hi * y.hi == p + error exactly (Dekker); the cross terms rounded; x.lo * y.lo (below 2^-106 of the
    // product) left out. Then p + low renormalized into hi + lo exactly (|p| >= |low|).
    const double p = x.hi * y.hi;
    const Split a = split(x.hi), b = split(y.hi);
    const double error = a.low * b.low - (((p - a.high * b.high) - a.low * b.high) - a.high * b.low);
    const double low = error + (x.hi * y.lo + x.lo * y.hi);
    const double hi = p + low;
    return {hi, low - (hi - p)};
}

PowerSequence::DoubleDouble PowerSequence::power(double beta, std::uint64_t t)
{
    // Binary powering: beta^(2^k) has error below (2^k - 1) products' worth, so beta^t below (t - 1) of them.
    DoubleDouble result{1, 0}, base{beta, 0};
    for (; t != 0; t >>= 1) {
        if (t & 1)
            result = product(result, base);
        if (t > 1)
            base = product(base, base);
    }
    return result;
}

[[gnu::always_inline]] inline bool PowerSequence::decides(double hi, double lo, double limit)
{
    // Whether pow(beta, t) must be hi: the exact beta^t is within |lo| + t * 2^-100 * hi of hi, which must be at
    // most 0.44 ULP of hi (see the header). While t <= 2^30, t * 2^-100 * hi is below 2^-17 ULP of hi (an ULP of
    // hi is more than hi * 2^-53), so |lo| <= (0.44 - 2^-17) ULP suffices: limit is that fraction times 2^-52,
    // for the exponent of hi (bits & exponentBits), or -1 for t beyond 2^30. And hi far from subnormals, where
    // the products are not exact. & rather than &&: no branches.
    const auto bits = std::bit_cast<std::uint64_t>(hi);
    constexpr std::uint64_t exponentBits = 0x7ff0000000000000, mantissaBits = 0x000fffffffffffff;
    const bool normal = hi >= 0x1p-960, notPowerOfTwo = (bits & mantissaBits) != 0;
    const bool near = std::abs(lo) <= limit * std::bit_cast<double>(bits & exponentBits);
    return normal & notPowerOfTwo & near;
}

void PowerSequence::start(double beta, double t)
{
    m_beta = beta;
    m_t = t;
    for (std::size_t j = 0; j < lanes; ++j) {
        const DoubleDouble lane = power(beta, std::uint64_t(t) + j);
        m_hi[Eigen::Index(j)] = lane.hi;
        m_lo[Eigen::Index(j)] = lane.lo;
    }
    m_step = power(beta, lanes); // its error, below lanes - 1 products', keeps every lane within the bound
    const Split step = split(m_step.hi);
    m_stepHigh = step.high;
    m_stepLow = step.low;
}

void PowerSequence::fill(std::span<double> out)
{
    // A piece at a time: first the products, for all lanes at once (product()'s operations in the same order;
    // no call or branch among them), keeping each power's hi in out and its lo aside; then the decisions, which
    // list the values they leave open; then pow for those.
    constexpr std::size_t piece = 64;
    std::array<double, piece> lows;
    std::array<std::size_t, piece> open;
    const double c = 0x1p27 + 1; // Veltkamp's splitting, as split()
    Lanes hi = m_hi, lo = m_lo;
    while (!out.empty()) {
        const std::size_t n = std::min(piece, out.size());
        for (std::size_t k = 0; k < n; k += lanes) {
            Eigen::Map<Lanes>(out.data() + k) = hi;
            Eigen::Map<Lanes>(lows.data() + k) = lo;
            const Lanes p = hi * m_step.hi;
            const Lanes scaled = c * hi;
            const Lanes high = scaled - (scaled - hi);
            const Lanes low = hi - high;
            const Lanes error = low * m_stepLow - (((p - high * m_stepHigh) - low * m_stepHigh) - high * m_stepLow);
            const Lanes sum = error + (hi * m_step.lo + lo * m_step.hi);
            hi = p + sum;
            lo = sum - (hi - p);
        }
        std::size_t openCount = 0;
        const double limit = m_t + double(n) <= 0x1p30 ? (0.44 - 0x1p-17) * 0x1p-52 : -1;
        for (std::size_t k = 0; k < n; ++k) {
            open[openCount] = k;
            openCount += decides(out[k], lows[k], limit) ? 0 : 1;
        }
        for (std::size_t i = 0; i < openCount; ++i)
            out[open[i]] = std::pow(m_beta, m_t + double(open[i]));
        m_powCalls += long(openCount);
        m_t += double(n);
        out = out.subspan(n);
    }
    m_hi = hi;
    m_lo = lo;
}

} // namespace gdviz
