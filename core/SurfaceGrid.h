#pragma once
// The cost surface sampled on a regular grid of nodes: what the colour map shows and the contour lines are
// traced from (ContourLines.h).

#include "Objective.h"

#include <atomic>
#include <vector>

namespace gdviz {

/// f sampled at the nodes (x_i, y_j) of a regular nx by ny grid spanning a window, edges included:
///   x_i = xMin + i * (xMax - xMin) / (nx - 1),  y_j = yMin + j * (yMax - yMin) / (ny - 1),
/// stored row-major: values[j * nx + i] = f(x_i, y_j). Non-finite values (log of a negative, overflow) are
/// kept as they are; the statistics below skip them.
struct SurfaceGrid {
    ViewWindow window;
    int nx = 0, ny = 0;
    std::vector<double> values;

    double minFinite = 0, maxFinite = 0; // over the finite values; both NaN when there are none
    /// A robust small positive scale of f - minFinite: its 1% quantile over (a subsample of) the finite nodes,
    /// at least 1e-12 of the range. The offset of a logarithmic colour map log10(f - minFinite + lowScale), and
    /// the lowest log-spaced contour level. 0 when the finite values are all equal (or absent).
    double lowScale = 0;
    bool hasNonFinite = false;
    /// False when sampling was cancelled: the nodes not reached hold NaN.
    bool complete = true;

    double at(int i, int j) const { return values[static_cast<std::size_t>(j) * nx + i]; }
    double x(int i) const { return window.xMin + i * (window.xMax - window.xMin) / (nx - 1); }
    double y(int j) const { return window.yMin + j * (window.yMax - window.yMin) / (ny - 1); }
    bool hasFinite() const { return minFinite <= maxFinite; } // false when both are NaN

    /// Recomputes minFinite, maxFinite, lowScale and hasNonFinite from values (for grids filled by hand).
    void updateStatistics();
};

/// Evaluates objective (values only) at every node of an nx by ny grid over window; nx and ny below 2 are
/// raised to 2. Rows are shared among the threads of workerPools::surfaces() (never Qt's global pool); an
/// ExpressionObjective is evaluated a row at a time through Expression::evaluateMany, its vectorized path.
/// objective.evaluate() must be safe to call concurrently (the Objective contract). When cancel is not null and
/// becomes true, the remaining rows are skipped and the grid comes back with complete == false.
SurfaceGrid sampleSurface(const Objective &objective, const ViewWindow &window, int nx, int ny,
                          std::atomic<bool> *cancel = nullptr);

/// Whether the colour map and the contour levels should be logarithmic in f - min. The rule: the finite range
/// spans more than two decades above the surface's low values,
///   (maxFinite - minFinite) / lowScale > 100,
/// where lowScale is the 1% quantile of f - min: when the lowest 1% of the window lies within 1% of the range,
/// linear levels would leave the basin one blank patch. So Rosenbrock's valley (ratio ~5000), Goldstein-Price
/// (1.7e5), Himmelblau (370) and ill-conditioned quadratics turn logarithmic, while Rastrigin (13), Ackley (5)
/// and the saddle (22), whose structure fills the range, stay linear. False without two distinct finite values.
bool prefersLogScale(const SurfaceGrid &grid);

} // namespace gdviz
