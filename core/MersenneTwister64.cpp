#include "MersenneTwister64.h"

namespace gdviz {

namespace {
// The parameters of mt19937_64 as [rand.predef] gives them (w = 64, n = 312, m = 156, r = 31).
constexpr std::size_t n = MersenneTwister64::stateSize, m = 156;
constexpr std::uint64_t matrixA = 0xb5026f5aa96619e9ULL;
constexpr std::uint64_t upperMask = ~std::uint64_t(0) << 31, lowerMask = ~upperMask;
constexpr std::uint64_t initMultiplier = 6364136223846793005ULL; // f

/// One word of the twist: the upper bit of `upper`'s word joined with the lower 31 of the next, shifted,
/// and xored with A where its lowest bit is set (a mask instead of a branch, so the loops vectorize).
inline std::uint64_t twisted(std::uint64_t shifted, std::uint64_t upper, std::uint64_t lower)
{
    const std::uint64_t y = (upper & upperMask) | (lower & lowerMask);
    return shifted ^ (y >> 1) ^ ((std::uint64_t(0) - (y & 1)) & matrixA);
}

inline std::uint64_t tempered(std::uint64_t z)
{
    z ^= (z >> 29) & 0x5555555555555555ULL; // u, d
    z ^= (z << 17) & 0x71d67fffeda60000ULL; // s, b
    z ^= (z << 37) & 0xfff7eee000000000ULL; // t, c
    return z ^ (z >> 43); // l
}
} // namespace

MersenneTwister64::MersenneTwister64(std::uint64_t seed)
{
    // x_0 = seed, x_i = f * (x_{i-1} xor (x_{i-1} >> (w - 2))) + i
    m_state[0] = seed;
    for (std::size_t i = 1; i < n; ++i)
        m_state[i] = initMultiplier * (m_state[i - 1] ^ (m_state[i - 1] >> 62)) + i;
}

// Plain integer shifts, masks and xors: the same words with any instruction set, so the loops are also
// compiled for AVX2 (four words per instruction instead of SSE2's two) and the CPU picks at load time. (A free
// function: clang cannot multiversion a member function declared, and called, in the header before.)
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("avx2", "default")))
#endif
static void twistAndTemper(std::uint64_t *x, std::uint64_t *out)
{
    for (std::size_t k = 0; k < n - m; ++k)
        x[k] = twisted(x[k + m], x[k], x[k + 1]);
    for (std::size_t k = n - m; k < n - 1; ++k)
        x[k] = twisted(x[k + m - n], x[k], x[k + 1]);
    x[n - 1] = twisted(x[m - 1], x[n - 1], x[0]);
    for (std::size_t k = 0; k < n; ++k)
        out[k] = tempered(x[k]);
}

void MersenneTwister64::refill()
{
    twistAndTemper(m_state.data(), m_out.data());
    m_next = 0;
}

} // namespace gdviz
