#include "ContourLines.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <utility>

namespace gdviz {

namespace {

// The lowest log-spaced level lies at most this fraction of the range above the minimum, so that log-spaced
// levels span at least two decades (see contourLevels()).
constexpr double kMaxLogLowFraction = 1e-2;

// Edges are numbered over the whole grid, so the two cells sharing an edge name its crossing by the same
// number: the horizontal edge from node (i, j) to (i+1, j) is j * (nx-1) + i, and the vertical edge from (i, j)
// to (i, j+1) follows all horizontal ones, at horizontalCount + j * nx + i. 32 bits number the edges of grids
// up to 2^31 nodes (16 GiB of values); traceContours() draws nothing on larger ones.
struct EdgeNumbers {
    std::uint32_t nx, horizontalCount;
    std::uint32_t horizontal(int i, int j) const { return static_cast<std::uint32_t>(j) * (nx - 1) + i; }
    std::uint32_t vertical(int i, int j) const { return horizontalCount + static_cast<std::uint32_t>(j) * nx + i; }
};

// Where f crosses level on the edge from node a to node b, by linear interpolation. One of va, vb is below
// level and the other not, so t lies in [0, 1]. Both cells sharing an edge pass its nodes in the same order
// (lower index first) and so compute the very same point; t == 1 gives b exactly, so that a line through a
// node meets it at one point from every side.
inline Vec2 crossing(double level, double va, double vb, const Vec2 &a, const Vec2 &b)
{
    const double t = (level - va) / (vb - va);
    return t == 1 ? b : Vec2(a + t * (b - a));
}

// A piece of iso-line inside one cell, between the crossings on two of its edges: their numbers (which join
// it to its neighbours) and points.
struct Segment {
    std::uint32_t edge[2];
    Vec2 point[2];
};

// The cell's four edges, in the order the case table uses them.
enum Side : std::uint8_t { Bottom, Right, Top, Left };

// Marching-squares case table. Bit c of the case is set when corner c is above the level; corners are
// 0 = (i, j), 1 = (i+1, j), 2 = (i+1, j+1), 3 = (i, j+1), counter-clockwise from the bottom left. Each entry
// lists the pairs of sides its segments join (a side whose two corners differ is crossed once). Cases 5 and 10
// are the saddles: their entries here cut off the corners that are above, right when the centre is below;
// when the centre is above, kSaddleCentreAbove joins the above corners through the middle instead.
struct CaseEntry {
    int count;
    Side pairs[2][2];
};
constexpr CaseEntry kCases[16] = {
    {0, {}},                             // 0: all below
    {1, {{Left, Bottom}}},               // 1: corner 0
    {1, {{Bottom, Right}}},              // 2: corner 1
    {1, {{Left, Right}}},                // 3: corners 0, 1
    {1, {{Right, Top}}},                 // 4: corner 2
    {2, {{Left, Bottom}, {Right, Top}}}, // 5: corners 0, 2 (saddle)
    {1, {{Bottom, Top}}},                // 6: corners 1, 2
    {1, {{Left, Top}}},                  // 7: all but 3
    {1, {{Top, Left}}},                  // 8: corner 3
    {1, {{Bottom, Top}}},                // 9: corners 0, 3
    {2, {{Bottom, Right}, {Top, Left}}}, // 10: corners 1, 3 (saddle)
    {1, {{Right, Top}}},                 // 11: all but 2
    {1, {{Left, Right}}},                // 12: corners 2, 3
    {1, {{Bottom, Right}}},              // 13: all but 1
    {1, {{Left, Bottom}}},               // 14: all but 0
    {0, {}},                             // 15: all above
};
constexpr CaseEntry kSaddleCentreAbove[2] = {
    {2, {{Bottom, Right}, {Top, Left}}}, // case 5: cut off the below corners 1 and 3
    {2, {{Left, Bottom}, {Right, Top}}}, // case 10: cut off the below corners 0 and 2
};

constexpr int kNonFinite = -1;

// bands[i] = the number of levels (sorted increasing) at or below row[i], kNonFinite where row[i] is NaN or
// infinite. Each search starts from the previous node's band: neighbouring nodes of a smooth surface seldom lie
// more than a level apart, so this costs two well-predicted comparisons per node, whatever the number of levels.
void countBands(const double *row, int n, const std::vector<double> &sorted, std::vector<int> &bands)
{
    const int levelCount = static_cast<int>(sorted.size());
    int b = 0;
    for (int i = 0; i < n; ++i) {
        const double v = row[i];
        if (!std::isfinite(v)) {
            bands[i] = kNonFinite;
            continue;
        }
        while (b > 0 && sorted[b - 1] > v)
            --b;
        while (b < levelCount && sorted[b] <= v)
            ++b;
        bands[i] = b;
    }
}

// Joins one level's segments into polylines: each edge crossing is shared by at most two segments (one in
// each cell next to the edge), so the segments form disjoint chains and loops. The segments sharing a crossing
// are found through a hash table from edge number to the first segment end seen on it (open addressing with
// linear probing and Fibonacci hashing, less than half full): tens of kilobytes per level, where an array over
// all the grid's edges would take megabytes, mostly untouched, and cost more to clear than to use.
void joinSegments(double level, const std::vector<Segment> &segments, std::vector<ContourLine> &lines)
{
    const int count = static_cast<int>(segments.size());
    std::vector<int> link(2 * segments.size(), -1); // link[2s + e]: the segment end sharing end e's edge
    const int bits = std::bit_width(4 * segments.size());
    struct Slot {
        std::uint32_t edge = UINT32_MAX;
        int end = -1;
    };
    std::vector<Slot> table(std::size_t(1) << bits);
    const std::size_t mask = table.size() - 1;
    for (int s = 0; s < count; ++s) {
        for (int e = 0; e < 2; ++e) {
            const std::uint32_t edge = segments[s].edge[e];
            for (std::size_t h = (edge * 0x9E3779B97F4A7C15ull) >> (64 - bits);; h = (h + 1) & mask) {
                Slot &slot = table[h];
                if (slot.edge == UINT32_MAX) {
                    slot = {edge, 2 * s + e};
                    break;
                }
                if (slot.edge == edge) {
                    link[2 * s + e] = slot.end;
                    link[slot.end] = 2 * s + e;
                    break;
                }
            }
        }
    }

    std::vector<bool> visited(segments.size(), false);
    auto append = [](ContourLine &line, const Vec2 &p) {
        if (line.points.empty() || line.points.back() != p) // a line through a node crosses two edges there
            line.points.push_back(p);
    };
    auto walk = [&](int start, int entry) {
        ContourLine line;
        line.level = level;
        append(line, segments[start].point[entry]);
        for (int s = start;;) {
            visited[s] = true;
            const int exit = 1 - entry;
            const int next = link[2 * s + exit];
            if (next >= 0 && next / 2 == start) { // back at the first crossing: end on the first point exactly
                line.closed = true;
                const Vec2 first = line.points.front();
                append(line, first);
                break;
            }
            append(line, segments[s].point[exit]);
            if (next < 0)
                break;
            s = next / 2;
            entry = next % 2;
        }
        // A level met exactly at an isolated node gives a loop of zero length: nothing to draw.
        if (line.points.size() >= (line.closed ? 4u : 2u))
            lines.push_back(std::move(line));
    };
    // Open chains first, from one of their free ends; whatever is left after that consists of loops.
    for (int s = 0; s < count; ++s)
        if (!visited[s] && (link[2 * s] < 0 || link[2 * s + 1] < 0))
            walk(s, link[2 * s] < 0 ? 0 : 1);
    for (int s = 0; s < count; ++s)
        if (!visited[s])
            walk(s, 0);
}

} // namespace

std::vector<double> contourLevels(const SurfaceGrid &grid, int count, bool logSpaced)
{
    std::vector<double> levels;
    if (count <= 0 || !grid.hasFinite() || !(grid.maxFinite > grid.minFinite))
        return levels;
    const double lo = grid.minFinite, hi = grid.maxFinite, range = hi - lo;
    const double low = std::min(grid.lowScale > 0 ? grid.lowScale : range, kMaxLogLowFraction * range);
    for (int k = 0; k < count; ++k) {
        const double level = logSpaced ? lo + low * std::pow(range / low, static_cast<double>(k) / count)
                                       : lo + range * (k + 1) / (count + 1);
        if (level > lo && level < hi && (levels.empty() || level > levels.back()))
            levels.push_back(level);
    }
    return levels;
}

std::vector<ContourLine> traceContours(const SurfaceGrid &grid, const std::vector<double> &levels)
{
    std::vector<ContourLine> lines;
    const int nx = grid.nx, ny = grid.ny;
    const std::size_t nodes = static_cast<std::size_t>(nx) * ny;
    if (nx < 2 || ny < 2 || grid.values.size() != nodes || 2 * nodes > UINT32_MAX) // see EdgeNumbers
        return lines;

    // The finite levels in increasing order, for countBands().
    std::vector<int> order;
    for (int k = 0; k < static_cast<int>(levels.size()); ++k)
        if (std::isfinite(levels[k]))
            order.push_back(k);
    if (order.empty())
        return lines;
    std::sort(order.begin(), order.end(), [&](int a, int b) { return levels[a] < levels[b]; });
    std::vector<double> sorted(order.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        sorted[k] = levels[order[k]];

    // One pass over the grid serves every level. Each node's band (how many levels lie at or below it) tells
    // at once which levels cross a cell: those from its lowest corner band up to, not including, its highest.
    std::vector<double> xs(nx), ys(ny);
    for (int i = 0; i < nx; ++i)
        xs[i] = grid.x(i);
    for (int j = 0; j < ny; ++j)
        ys[j] = grid.y(j);
    const EdgeNumbers edges{static_cast<std::uint32_t>(nx), static_cast<std::uint32_t>(nx - 1) * ny};
    std::vector<std::vector<Segment>> segments(sorted.size()); // by position in sorted
    std::vector<int> lowerBands(nx), upperBands(nx);
    countBands(&grid.values[0], nx, sorted, upperBands);
    for (int j = 0; j + 1 < ny; ++j) {
        std::swap(lowerBands, upperBands);
        countBands(&grid.values[static_cast<std::size_t>(j + 1) * nx], nx, sorted, upperBands);
        for (int i = 0; i + 1 < nx; ++i) {
            const int b[4] = {lowerBands[i], lowerBands[i + 1], upperBands[i + 1], upperBands[i]};
            const int bandMin = std::min(std::min(b[0], b[1]), std::min(b[2], b[3]));
            const int bandMax = std::max(std::max(b[0], b[1]), std::max(b[2], b[3]));
            if (bandMin == bandMax || bandMin == kNonFinite)
                continue; // no level crosses the cell, or a corner is non-finite: lines stop at such gaps
            const double v[4] = {grid.at(i, j), grid.at(i + 1, j), grid.at(i + 1, j + 1), grid.at(i, j + 1)};
            const Vec2 p[4] = {{xs[i], ys[j]}, {xs[i + 1], ys[j]}, {xs[i + 1], ys[j + 1]}, {xs[i], ys[j + 1]}};
            for (int k = bandMin; k < bandMax; ++k) { // corner c is above level k when b[c] > k
                const double level = sorted[k];
                const int index = (b[0] > k ? 1 : 0) | (b[1] > k ? 2 : 0) | (b[2] > k ? 4 : 0) | (b[3] > k ? 8 : 0);
                const CaseEntry *entry = &kCases[index];
                if ((index == 5 || index == 10) && (v[0] + v[1] + v[2] + v[3]) / 4 >= level)
                    entry = &kSaddleCentreAbove[index == 5 ? 0 : 1];
                auto cross = [&](Side side, std::uint32_t &edge, Vec2 &point) {
                    // Each edge from its lower-indexed node: bottom 0->1, right 1->2, top 3->2, left 0->3.
                    constexpr int from[4] = {0, 1, 3, 0}, to[4] = {1, 2, 2, 3};
                    edge = side == Bottom ? edges.horizontal(i, j) : side == Right ? edges.vertical(i + 1, j)
                         : side == Top    ? edges.horizontal(i, j + 1) : edges.vertical(i, j);
                    point = crossing(level, v[from[side]], v[to[side]], p[from[side]], p[to[side]]);
                };
                for (int q = 0; q < entry->count; ++q) {
                    Segment segment;
                    cross(entry->pairs[q][0], segment.edge[0], segment.point[0]);
                    cross(entry->pairs[q][1], segment.edge[1], segment.point[1]);
                    segments[k].push_back(segment);
                }
            }
        }
    }

    std::vector<int> position(levels.size(), -1); // where each of the caller's levels went in sorted
    for (std::size_t p = 0; p < order.size(); ++p)
        position[order[p]] = static_cast<int>(p);
    for (std::size_t k = 0; k < levels.size(); ++k) // the caller's order of levels
        if (position[k] >= 0)
            joinSegments(levels[k], segments[position[k]], lines);
    return lines;
}

} // namespace gdviz
