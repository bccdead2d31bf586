#include "SurfaceGrid.h"

#include "WorkerPools.h"

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
    std::size_t index = 0; // its place in the list of blocks
};

/// The smallest and largest finite value of a set, and whether it holds a non-finite one.
struct FiniteRange {
    double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
    bool nonFinite = false;

    void add(std::span<const double> values)
    {
        // Branch-free per value (|v| <= max is false for NaN and infinities), so the loop vectorizes.
        double l = lo, h = hi;
        bool bad = false;
        for (const double v : values) {
            const bool finite = std::abs(v) <= std::numeric_limits<double>::max();
            l = finite && v < l ? v : l;
            h = finite && v > h ? v : h;
            bad |= !finite;
        }
        lo = l;
        hi = h;
        nonFinite = nonFinite || bad;
    }
    void add(const FiniteRange &other)
    {
        lo = std::min(lo, other.lo);
        hi = std::max(hi, other.hi);
        nonFinite = nonFinite || other.nonFinite;
    }
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

void applyStatistics(SurfaceGrid &grid, const FiniteRange &finite)
{
    grid.hasNonFinite = finite.nonFinite;
    if (finite.lo > finite.hi) { // no finite value at all
        grid.minFinite = grid.maxFinite = kNaN;
        grid.lowScale = 0;
        return;
    }
    grid.minFinite = finite.lo;
    grid.maxFinite = finite.hi;
    const double range = finite.hi - finite.lo;
    grid.lowScale = range > 0 ? lowQuantile(grid, range) : 0;
}

} // namespace

void SurfaceGrid::updateStatistics()
{
    FiniteRange finite;
    finite.add(values);
    applyStatistics(*this, finite);
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
    QThreadPool &pool = workerPools::surfaces();
    const int threads = std::max(1, pool.maxThreadCount());
    const int rowsPerBlock = std::max(1, grid.ny / (threads * kTasksPerThread));
    std::vector<RowBlock> blocks;
    for (int j = 0; j < grid.ny; j += rowsPerBlock)
        blocks.push_back({j, std::min(j + rowsPerBlock, grid.ny), blocks.size()});

    // Each block also finds the range of its own rows, so the statistics cost no serial pass over the grid.
    std::vector<FiniteRange> ranges(blocks.size());
    std::atomic<int> rowsDone{0};
    auto sampleBlock = [&](const RowBlock &block) {
        FiniteRange &range = ranges[block.index];
        for (int j = block.begin; j < block.end; ++j) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return;
            const std::span<double> row(grid.values.data() + static_cast<std::size_t>(j) * grid.nx, grid.nx);
            objective.evaluateRow(xs, grid.y(j), row);
            range.add(row);
            rowsDone.fetch_add(1, std::memory_order_relaxed);
        }
    };
    // Each task writes only its own rows of values and its own range, so the tasks share nothing but the
    // read-only inputs. gdviz's own pool, never Qt's global one, which the GUI thread needs for drawing images.
    QtConcurrent::blockingMap(&pool, blocks, sampleBlock);

    grid.complete = rowsDone.load() == grid.ny;
    if (!grid.complete) {
        grid.updateStatistics(); // the rows not reached hold NaN
        return grid;
    }
    FiniteRange finite;
    for (const FiniteRange &range : ranges)
        finite.add(range);
    applyStatistics(grid, finite);
    return grid;
}

bool prefersLogScale(const SurfaceGrid &grid)
{
    if (!grid.hasFinite() || grid.lowScale <= 0)
        return false;
    return (grid.maxFinite - grid.minFinite) / grid.lowScale > kLogScaleRatio;
}

} // namespace gdviz
