#pragma once
// MT19937-64 (Matsumoto & Nishimura 2000), producing exactly std::mt19937_64's sequence ([rand.predef]:
// the same seeding, twist and tempering), but a block at a time: the twist over the 312 words of state is
// three plain loops the compiler vectorizes (the conditional xor with the matrix written as a mask), and the
// whole block is tempered at once into an output buffer, so a draw is a load and a compare. libstdc++'s
// engine twists one word at a time with a branch per word and tempers per call: a shuffle of 100,000 samples
// spent most of its time there (issue 5, item 3).

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace gdviz {

class MersenneTwister64 {
public:
    using result_type = std::uint64_t;
    static constexpr std::size_t stateSize = 312; // n
    static constexpr std::uint64_t defaultSeed = 5489;

    explicit MersenneTwister64(std::uint64_t seed = defaultSeed);

    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

    result_type operator()()
    {
        if (m_next == stateSize) [[unlikely]]
            refill();
        return m_out[m_next++];
    }

private:
    /// Twists the state to its next 312 words and tempers them into m_out.
    void refill();

    std::array<std::uint64_t, stateSize> m_state;
    std::array<std::uint64_t, stateSize> m_out;
    std::size_t m_next = stateSize; // next output of m_out to hand out; stateSize: twist first
};

} // namespace gdviz
