#pragma once
// beta^t for t = t0, t0 + 1, t0 + 2, ...: the same doubles as std::pow(beta, t), bit for bit, at a fraction of
// pow's cost, for Adam's bias corrections (BiasCorrection.h), which need one power per update.
//
// How it stays exact:
// - beta^t is carried as an unevaluated sum hi + lo of two doubles (a double-double). Each product of two such
//   sums is Dekker's exact product of the high parts plus the rounded cross terms, so it adds a relative error
//   below 2^-103. Starting by binary powering and going on by products, every power beta^t is reached through
//   products whose errors add up to less than t * 2^-100 of beta^t.
// - glibc's pow (ARM's optimized routine, glibc 2.28 and later) returns a double within 0.54 ULP of the exact
//   beta^t ("Worst-case error: 0.54 ULP", e_pow.c). When the exact value lies within 0.44 ULP of hi (and hi is
//   not a power of two, below which the doubles are twice as dense), every other double is more than 0.56 ULP
//   away, so pow's answer can only be hi. Otherwise (about one t in eight) pow itself computes the value.
// tst_biascorrection compares every value with std::pow for many betas and starts.
//
// Eight powers are carried at once (beta^t ... beta^(t+7), each multiplied by beta^8), so that the products of a
// fill() do not wait for one another and go two at a time through the processor's vector operations.
//
// Requires floating-point operations rounded to nearest and not fused (the project builds with
// -ffp-contract=off; Dekker's product is exact only then).

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <span>

namespace gdviz {

class PowerSequence {
public:
    static constexpr std::size_t lanes = 8;

    /// Positions the sequence at beta^t; 0 <= beta < 1, t a whole number >= 1.
    void start(double beta, double t);
    /// out[k] = pow(beta, t + k) for the sequence's t; the sequence moves on to t + out.size(), which must be
    /// a multiple of lanes.
    void fill(std::span<double> out);
    /// How many of fill()'s values pow computed (a measure of the shortcut, for tests).
    long powCalls() const { return m_powCalls; }

private:
    struct DoubleDouble {
        double hi, lo; // the value hi + lo, with |lo| <= ulp(hi) / 2
    };
    using Lanes = Eigen::Array<double, lanes, 1>;
    static inline DoubleDouble product(DoubleDouble x, DoubleDouble y); // inline, in PowerSequence.cpp
    static DoubleDouble power(double beta, std::uint64_t t);
    static inline bool decides(double hi, double lo, double limit); // inline, in PowerSequence.cpp

    double m_beta = 0, m_t = 1;
    Lanes m_hi = Lanes::Zero(), m_lo = Lanes::Zero(); // beta^(m_t + j) = m_hi[j] + m_lo[j]
    DoubleDouble m_step{0, 0}; // beta^lanes
    double m_stepHigh = 0, m_stepLow = 0; // m_step.hi split (Veltkamp) into two halves of 26 bits
    long m_powCalls = 0;
};

} // namespace gdviz
