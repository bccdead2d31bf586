#pragma once
// Iso-lines (contour lines) of a sampled cost surface, traced by marching squares.

#include "SurfaceGrid.h"

#include <vector>

namespace gdviz {

/// count levels strictly inside (minFinite, maxFinite), in increasing order.
/// - Linear: evenly spaced, min + range * k / (count + 1) for k = 1..count.
/// - Log-spaced: f - min evenly spaced in log from grid.lowScale (the 1% quantile of f - min, capped at
///   range / 100 so that at least two decades are spanned) up to, but excluding, the range:
///   min + low * (range / low)^(k / count) for k = 0..count-1. On Rosenbrock over [-2,2]x[-1,3] (range ~2500)
///   twelve such levels run from 0.5 to 1200, doubling each time, so the lower half of them draw the curved
///   valley as nested bananas.
/// Empty when count <= 0 or the grid has fewer than two distinct finite values. Levels that would collapse
/// onto a neighbour or onto min or max in floating point (a range below min's rounding) are dropped, so the
/// result may hold fewer than count levels but is always strictly increasing.
std::vector<double> contourLevels(const SurfaceGrid &grid, int count, bool logSpaced);

/// One connected iso-line: the points in order along the curve. A closed line ends with its first point
/// repeated, so drawing the points in order draws the whole loop.
struct ContourLine {
    double level = 0;
    std::vector<Vec2> points;
    bool closed = false;
};

/// The iso-lines f = level of the grid, for each level (non-finite levels are ignored), levels in the given
/// order and, within a level, open lines before closed ones.
///
/// Marching squares (Lorensen & Cline's marching cubes in 2D): a node is "above" when its value is >= level;
/// each cell whose corners are not all on one side gets one or two segments between its edge crossings, each
/// crossing placed by linear interpolation along its edge. In the ambiguous saddle cells (diagonal corners on
/// the same side) the mean of the four corners stands for the centre, and the two corners on its side are
/// joined through the middle: either choice keeps lines from crossing, the centre picks the one nearer the
/// surface. Segments are then joined into polylines through their shared edge crossings. Cells with any
/// non-finite corner are skipped, so lines end at the border of a non-finite region and never cross it.
/// Accuracy: a crossing point p is exact for a linear f and otherwise |f(p) - level| <= h^2 / 8 * max |f''|
/// along the edge (h the node spacing along it), the linear interpolation error.
std::vector<ContourLine> traceContours(const SurfaceGrid &grid, const std::vector<double> &levels);

} // namespace gdviz
