#include "SurfaceGrid.h"

#include "ExpressionObjective.h"

#include <QThread>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

namespace gdviz {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// lowScale is a low quantile of f - min: the value below which the lowest 1% of the window lies. A quantile,
// unlike the smallest positive excess, ignores the few nodes that happen to fall close to the minimum, so it
// measures how the surface rises out of its basin, not where the nodes happen to sit.
constexpr double kLowQuantile = 0.01;
// The quantile is taken over about this many nodes at most (a coarser grid): ~160 of them below a 1% quantile,
// enough for it to be stable, and nth_element over them costs well under a millisecond.
constexpr std::size_t kQuantileSamples = 1 << 14;
// Floor of lowScale relative to the range, so that rounding noise around a flat minimum cannot make a surface
// look as if it spanned more decades than a double can resolve.
constexpr double kMinRelativeScale = 1e-12;
// prefersLogScale(): more than two decades between the range and lowScale. Chosen by looking at every named
// function over its default window (512 x 512) with twelve linear and twelve log contours: at ratios above ~100
// (six-hump camel 110, quadratic 270, Matyas 800, Rosenbrock 4900, Goldstein-Price 1.7e5) linear levels leave
// the basin a blank patch of the lowest colour, while at ratios below ~60 (Styblinski-Tang 61, saddle 22,
// Rastrigin 13, Ackley 5) the structure fills the range and linear levels show it best.
constexpr double kLogScaleRatio = 1e2;

// Rows per task: a few tasks per thread balance rows of unequal cost (overflowing regions, branches in the
// formula) while keeping the per-task overhead of the pool negligible.
constexpr int kTasksPerThread = 8;

struct RowBlock {
    int begin = 0, end = 0;
};

double lowQuantile(const SurfaceGrid &grid, double range)
{
    // Every step-th node of every step-th row: a coarser grid over the same window.
    const double nodes = static_cast<double>(grid.values.size());
    const int step = std::max(1, static_cast<int>(std::ceil(std::sqrt(nodes / kQuantileSamples))));
    std::vector<double> excess;
    for (int j = 0; j < grid.ny; j += step)
        for (int i = 0; i < grid.nx; i += step)
            if (const double v = grid.at(i, j); std::isfinite(v))
                excess.push_back(v - grid.minFinite);
    if (excess.empty())
        return 0;
    auto quantile = [](std::span<double> v) {
        auto nth = v.begin() + static_cast<std::ptrdiff_t>(kLowQuantile * static_cast<double>(v.size() - 1));
        std::nth_element(v.begin(), nth, v.end());
        return *nth;
    };
    double scale = quantile(excess);
    if (scale <= 0) {
        // More than kLowQuantile of the window sits exactly at the minimum (a flat floor, as in max(0, x)):
        // measure the rise above the floor instead.
        std::erase_if(excess, [](double e) { return e <= 0; });
        scale = excess.empty() ? range : quantile(excess);
    }
    return std::clamp(scale, kMinRelativeScale * range, range);
}

} // namespace

void SurfaceGrid::updateStatistics()
{
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    hasNonFinite = false;
    for (double v : values) {
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        } else {
            hasNonFinite = true;
        }
    }
    if (lo > hi) { // no finite value at all
        minFinite = maxFinite = kNaN;
        lowScale = 0;
        return;
    }
    minFinite = lo;
    maxFinite = hi;
    const double range = hi - lo;
    lowScale = range > 0 ? lowQuantile(*this, range) : 0;
}

SurfaceGrid sampleSurface(const Objective &objective, const ViewWindow &window, int nx, int ny, std::atomic<bool> *cancel)
{
    SurfaceGrid grid;
    grid.window = window;
    grid.nx = std::max(nx, 2);
    grid.ny = std::max(ny, 2);
    grid.values.assign(static_cast<std::size_t>(grid.nx) * grid.ny, kNaN);

    std::vector<double> xs(grid.nx);
    for (int i = 0; i < grid.nx; ++i)
        xs[i] = grid.x(i);
    // Formulas have a vectorized path that runs the tape over a whole row at once (several times faster than
    // one virtual call and one tape run per node); every other objective is evaluated node by node.
    const auto *formula = dynamic_cast<const ExpressionObjective *>(&objective);

    const int threads = std::max(1, QThread::idealThreadCount());
    const int rowsPerBlock = std::max(1, grid.ny / (threads * kTasksPerThread));
    std::vector<RowBlock> blocks;
    for (int j = 0; j < grid.ny; j += rowsPerBlock)
        blocks.push_back({j, std::min(j + rowsPerBlock, grid.ny)});

    std::atomic<int> rowsDone{0};
    auto sampleBlock = [&](const RowBlock &block) {
        std::vector<double> ys(formula ? grid.nx : 0);
        for (int j = block.begin; j < block.end; ++j) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return;
            const double y = grid.y(j);
            double *row = grid.values.data() + static_cast<std::size_t>(j) * grid.nx;
            if (formula) {
                std::fill(ys.begin(), ys.end(), y);
                formula->expression().evaluateMany(xs, ys, std::span<double>(row, grid.nx));
            } else {
                for (int i = 0; i < grid.nx; ++i)
                    row[i] = objective.evaluate(Vec2(xs[i], y), nullptr);
            }
            rowsDone.fetch_add(1, std::memory_order_relaxed);
        }
    };
    // Each task writes only its own rows of values, so the tasks share nothing but the read-only inputs.
    QtConcurrent::blockingMap(blocks, sampleBlock);

    grid.complete = rowsDone.load() == grid.ny;
    grid.updateStatistics();
    return grid;
}

bool prefersLogScale(const SurfaceGrid &grid)
{
    if (!grid.hasFinite() || grid.lowScale <= 0)
        return false;
    return (grid.maxFinite - grid.minFinite) / grid.lowScale > kLogScaleRatio;
}

} // namespace gdviz
