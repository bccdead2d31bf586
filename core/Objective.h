#pragma once
// A cost function of two parameters theta = (theta0, theta1), with its exact gradient.

#include <Eigen/Core>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace gdviz {

using Vec2 = Eigen::Vector2d;
using SampleIndex = std::uint32_t;

/// A rectangle of parameter space: what the contour plot shows by default.
struct ViewWindow {
    double xMin = -1, xMax = 1, yMin = -1, yMax = 1;
};

/// A known (local or global) minimum, to be marked on the surface.
struct KnownMinimum {
    Vec2 at;
    double value = 0;
};

/// Contract, in plain words:
/// - evaluate() is the full objective at theta. grad may be null; when it is not, it receives the exact
///   gradient (analytic or automatic differentiation, never finite differences).
/// - Values may be non-finite where the function is (log of a negative, overflow); callers check.
/// - Data objectives (sampleCount() > 0) also give evaluateBatch(): the MEAN over the listed samples of the
///   per-sample loss, and its gradient (means, as Keras and torch). Batches are index lists into the data,
///   so no sample is copied per batch. Analytic objectives have sampleCount() == 0 and no batches.
class Objective {
public:
    virtual ~Objective() = default;

    virtual double evaluate(const Vec2 &theta, Vec2 *grad) const = 0;

    /// The exact Hessian of the full objective (evaluate()) at theta: symmetric, [[f_xx, f_xy], [f_xy, f_yy]],
    /// from analytic second derivatives (named functions, regressions) or second-order forward-mode automatic
    /// differentiation (formulas), never finite differences. Its entries are not finite where the function or
    /// its second derivatives are not (overflow, log of a negative, Ackley's cone tip at the origin). Meant for
    /// occasional use (a stable learning rate, a divergence explained), not per update: data objectives take a
    /// pass over the samples. The default, for objectives that know no Hessian, is all NaN.
    virtual Eigen::Matrix2d hessian(const Vec2 &theta) const;

    /// The same full objective summed sample by sample in file order, as torch computes it: the gradient of
    /// a full-batch update. Equal to evaluate() up to rounding; objectives whose evaluate() takes a shortcut
    /// (linear regression's closed form from the data's moments) override it.
    virtual double evaluateEverySample(const Vec2 &theta, Vec2 *grad) const { return evaluate(theta, grad); }

    /// out[i] = evaluate((xs[i], y), nullptr) for every i: one row of a surface grid, values only. xs and out
    /// have the same size. The default calls evaluate() per point; objectives override it with a loop that
    /// needs no virtual call per point (and may vectorize). Safe to call concurrently, as evaluate() is.
    virtual void evaluateRow(std::span<const double> xs, double y, std::span<double> out) const;

    virtual std::size_t sampleCount() const { return 0; }
    /// Only for sampleCount() > 0. indices is non-empty; grad is never null.
    virtual double evaluateBatch(const Vec2 &theta, std::span<const SampleIndex> indices, Vec2 *grad) const;

    /// The names of theta0 and theta1 for axis labels: "x","y" or "w","b".
    virtual std::pair<std::string, std::string> parameterNames() const { return {"x", "y"}; }

    ViewWindow defaultView() const { return m_view; }
    const std::vector<KnownMinimum> &knownMinima() const { return m_minima; }

protected:
    ViewWindow m_view;
    std::vector<KnownMinimum> m_minima;
};

} // namespace gdviz
