#pragma once
// Random numbers that are the same on every machine. std::mt19937_64's output sequence is fixed by the
// C++ standard, but std::uniform_int_distribution, std::normal_distribution and std::shuffle are not
// (each standard library draws differently), so the draws built on the engine are written out here.

#include "MersenneTwister64.h"

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <utility>

namespace gdviz {

/// std::mt19937_64's sequence, generated a block at a time (MersenneTwister64.h).
using RandomEngine = MersenneTwister64;

/// Uniform on [0, 1) with 53 random bits.
inline double uniform01(RandomEngine &engine)
{
    return double(engine() >> 11) * 0x1.0p-53;
}

/// Uniform integer in [0, bound), bound > 0, without modulo bias (rejection of the short last block).
/// The limit is 2^64 - 1 - (2^64 mod bound), at least 2^64 - bound, so a draw at or below that accepts without
/// computing it (one division per draw, not three: the shuffle of each epoch is mostly these divisions).
inline std::uint64_t uniformBelow(RandomEngine &engine, std::uint64_t bound)
{
    std::uint64_t r = engine();
    if (r > std::uint64_t(0) - bound) { // rare (below bound / 2^64): compare with the exact limit
        const std::uint64_t limit = std::uint64_t(-1) - (std::uint64_t(0) - bound) % bound; // (2^64 - bound) % bound = 2^64 mod bound
        while (r > limit)
            r = engine();
    }
    return r % bound;
}

/// Standard normal by the Box-Muller transform (one of the pair; the other is discarded for simplicity).
inline double standardNormal(RandomEngine &engine)
{
    double u1;
    do {
        u1 = uniform01(engine);
    } while (u1 <= 0.0);
    const double u2 = uniform01(engine);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

/// Fisher-Yates shuffle of [first, last) driven by uniformBelow.
template <typename It>
void shuffleInPlace(It first, It last, RandomEngine &engine)
{
    const auto n = std::uint64_t(last - first);
    for (std::uint64_t i = n; i > 1; --i) {
        const std::uint64_t j = uniformBelow(engine, i);
        std::swap(first[i - 1], first[j]);
    }
}

} // namespace gdviz
