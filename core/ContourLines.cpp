#include "ContourLines.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

namespace gdviz {

namespace {

// Log-spaced levels span at least this many decades below the range (see contourLevels()).
constexpr double kMaxLogLowFraction = 1e-2;

// A piece of iso-line inside one cell, between the crossings on two of its edges. Edges are numbered over the
// whole grid (edgeIds below), so the two cells sharing an edge name its crossing by the same number.
struct Segment {
    std::size_t edge[2];
    Vec2 point[2];
};

// Edge numbering: the horizontal edge from node (i, j) to (i+1, j) is j * (nx-1) + i; the vertical edge from
// (i, j) to (i, j+1) follows all horizontal ones, at horizontalCount + j * nx + i.
struct EdgeIds {
    std::size_t nx, horizontalCount;
    std::size_t horizontal(int i, int j) const { return static_cast<std::size_t>(j) * (nx - 1) + i; }
    std::size_t vertical(int i, int j) const { return horizontalCount + static_cast<std::size_t>(j) * nx + i; }
    std::size_t total(int ny) const { return horizontalCount + (static_cast<std::size_t>(ny) - 1) * nx; }
};

// The cell's four edges, in the order the case table uses them.
enum Side : std::uint8_t { Bottom, Right, Top, Left };

// Marching-squares case table. Bit k of the case is set when corner k is above the level; corners are
// 0 = (i, j), 1 = (i+1, j), 2 = (i+1, j+1), 3 = (i, j+1), counter-clockwise from the bottom left. Each entry
// lists the pairs of sides its segments join (a side with differing corners is crossed once). Cases 5 and 10
// are the saddles: entries here cut off the corners that are above, used when the centre is below; when the
// centre is above, kSaddleCentreAbove connects the above corners through the middle instead.
struct CaseEntry {
    int count;
    Side pairs[2][2];
};
constexpr CaseEntry kCases[16] = {
    {0, {}},                                 // 0: all below
    {1, {{Left, Bottom}}},                   // 1: corner 0
    {1, {{Bottom, Right}}},                  // 2: corner 1
    {1, {{Left, Right}}},                    // 3: corners 0, 1
    {1, {{Right, Top}}},                     // 4: corner 2
    {2, {{Left, Bottom}, {Right, Top}}},     // 5: corners 0, 2 (saddle)
    {1, {{Bottom, Top}}},                    // 6: corners 1, 2
    {1, {{Left, Top}}},                      // 7: all but 3
    {1, {{Top, Left}}},                      // 8: corner 3
    {1, {{Bottom, Top}}},                    // 9: corners 0, 3
    {2, {{Bottom, Right}, {Top, Left}}},     // 10: corners 1, 3 (saddle)
    {1, {{Right, Top}}},                     // 11: all but 2
    {1, {{Left, Right}}},                    // 12: corners 2, 3
    {1, {{Bottom, Right}}},                  // 13: all but 1
    {1, {{Left, Bottom}}},                   // 14: all but 0
    {0, {}},                                 // 15: all above
};
constexpr CaseEntry kSaddleCentreAbove[2] = {
    {2, {{Bottom, Right}, {Top, Left}}}, // case 5: cut off the below corners 1 and 3
    {2, {{Left, Bottom}, {Right, Top}}}, // case 10: cut off the below corners 0 and 2
};

// Where f crosses level on the edge from node a to node b (a the lower-indexed node, so both cells sharing the
// edge compute the very same point). One of va, vb is below level and the other not, so t lies in [0, 1].
inline Vec2 crossing(double level, double va, double vb, const Vec2 &a, const Vec2 &b)
{
    const double t = (level - va) / (vb - va);
    return a + t * (b - a);
}

// Joins one level's segments into polylines: each edge crossing is shared by at most two segments (one in
// each cell next to the edge), so the segments form disjoint chains and loops. owner is a scratch array over
// all edge numbers, -1 throughout on entry and on return.
void joinSegments(double level, const std::vector<Segment> &segments, std::vector<int> &owner,
                  std::vector<ContourLine> &lines)
{
    const int count = static_cast<int>(segments.size());
    std::vector<int> link(2 * segments.size(), -1); // link[2s + e]: the segment end sharing end e's edge
    for (int s = 0; s < count; ++s) {
        for (int e = 0; e < 2; ++e) {
            int &o = owner[segments[s].edge[e]];
            if (o < 0) {
                o = 2 * s + e;
            } else {
                link[2 * s + e] = o;
                link[o] = 2 * s + e;
            }
        }
    }
    for (const Segment &segment : segments)
        owner[segment.edge[0]] = owner[segment.edge[1]] = -1;

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
            append(line, segments[s].point[exit]);
            const int next = link[2 * s + exit];
            if (next < 0)
                break;
            if (next / 2 == start) {
                line.closed = true;
                line.points.back() = line.points.front(); // the same crossing; make the loop exactly closed
                break;
            }
            s = next / 2;
            entry = next % 2;
        }
        // A level met exactly at an isolated node gives a loop of zero length: nothing to draw.
        if (line.points.size() >= 2 && !(line.closed && line.points.size() < 4))
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
    if (nx < 2 || ny < 2 || grid.values.size() != static_cast<std::size_t>(nx) * ny)
        return lines;

    // The finite levels in increasing order, so each cell finds the few levels between its corner values by
    // binary search: one pass over the grid serves every level.
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

    std::vector<double> xs(nx), ys(ny);
    for (int i = 0; i < nx; ++i)
        xs[i] = grid.x(i);
    for (int j = 0; j < ny; ++j)
        ys[j] = grid.y(j);
    const EdgeIds ids{static_cast<std::size_t>(nx), static_cast<std::size_t>(nx - 1) * ny};

    std::vector<std::vector<Segment>> segments(sorted.size()); // by position in sorted
    for (int j = 0; j + 1 < ny; ++j) {
        for (int i = 0; i + 1 < nx; ++i) {
            const double v[4] = {grid.at(i, j), grid.at(i + 1, j), grid.at(i + 1, j + 1), grid.at(i, j + 1)};
            if (!std::isfinite(v[0]) || !std::isfinite(v[1]) || !std::isfinite(v[2]) || !std::isfinite(v[3]))
                continue; // lines stop at the edge of a non-finite region rather than guess across it
            const double lo = std::min({v[0], v[1], v[2], v[3]}), hi = std::max({v[0], v[1], v[2], v[3]});
            // The levels crossing this cell are those with lo < level <= hi (some corner below, some not).
            auto k = static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), lo) - sorted.begin());
            for (; k < sorted.size() && sorted[k] <= hi; ++k) {
                const double level = sorted[k];
                int index = 0;
                for (int c = 0; c < 4; ++c)
                    index |= (v[c] >= level ? 1 : 0) << c;
                const CaseEntry *entry = &kCases[index];
                if ((index == 5 || index == 10) && (v[0] + v[1] + v[2] + v[3]) / 4 >= level)
                    entry = &kSaddleCentreAbove[index == 5 ? 0 : 1];
                const Vec2 p00(xs[i], ys[j]), p10(xs[i + 1], ys[j]), p01(xs[i], ys[j + 1]), p11(xs[i + 1], ys[j + 1]);
                auto cross = [&](Side side) -> std::pair<std::size_t, Vec2> {
                    switch (side) {
                    case Bottom: return {ids.horizontal(i, j), crossing(level, v[0], v[1], p00, p10)};
                    case Right: return {ids.vertical(i + 1, j), crossing(level, v[1], v[2], p10, p11)};
                    case Top: return {ids.horizontal(i, j + 1), crossing(level, v[3], v[2], p01, p11)};
                    case Left: break;
                    }
                    return {ids.vertical(i, j), crossing(level, v[0], v[3], p00, p01)};
                };
                for (int p = 0; p < entry->count; ++p) {
                    const auto [edge0, point0] = cross(entry->pairs[p][0]);
                    const auto [edge1, point1] = cross(entry->pairs[p][1]);
                    const Segment segment{{edge0, edge1}, {point0, point1}};
                    segments[k].push_back(segment);
                }
            }
        }
    }

    std::vector<int> owner(ids.total(ny), -1);
    std::vector<int> position(levels.size(), -1); // where each of the caller's levels went in sorted
    for (std::size_t p = 0; p < order.size(); ++p)
        position[order[p]] = static_cast<int>(p);
    for (std::size_t k = 0; k < levels.size(); ++k) // the caller's order of levels
        if (position[k] >= 0)
            joinSegments(levels[k], segments[position[k]], owner, lines);
    return lines;
}

} // namespace gdviz
