// Contour levels lie strictly inside the range, and marching squares draws iso-lines where f equals the
// level: circles for a bowl, straight lines for a plane, both axes for a saddle, joined into long polylines
// that stop at non-finite gaps. References are the true functions, evaluated at every traced point.

#include "ContourLines.h"
#include "ExpressionObjective.h"
#include "SurfaceGrid.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>

using namespace gdviz;
using Function = std::function<double(double, double)>;
Q_DECLARE_METATYPE(Function)
Q_DECLARE_METATYPE(gdviz::ViewWindow)
Q_DECLARE_METATYPE(std::vector<double>)

namespace {

// f(x, y) from a plain function, so the references share no code with the named functions or formulas.
class FunctionObjective final : public Objective {
public:
    explicit FunctionObjective(Function f) : m_f(std::move(f)) {}
    double evaluate(const Vec2 &theta, Vec2 *) const override { return m_f(theta[0], theta[1]); }

private:
    Function m_f;
};

SurfaceGrid sample(const Function &f, const ViewWindow &window, int nx, int ny)
{
    return sampleSurface(FunctionObjective(f), window, nx, ny);
}

const Function bowl = [](double x, double y) { return x * x + y * y; };
const Function rosenbrock = [](double x, double y) { return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x); };
const Function himmelblau = [](double x, double y) { return std::pow(x * x + y - 11, 2) + std::pow(x + y * y - 7, 2); };

double spacingX(const SurfaceGrid &g) { return (g.window.xMax - g.window.xMin) / (g.nx - 1); }
double spacingY(const SurfaceGrid &g) { return (g.window.yMax - g.window.yMin) / (g.ny - 1); }

// Whether the cell holding the midpoint of a segment has four finite corners.
bool inFiniteCell(const SurfaceGrid &g, const Vec2 &a, const Vec2 &b)
{
    const Vec2 m = (a + b) / 2;
    const int i = std::clamp(int((m.x() - g.window.xMin) / spacingX(g)), 0, g.nx - 2);
    const int j = std::clamp(int((m.y() - g.window.yMin) / spacingY(g)), 0, g.ny - 2);
    return std::isfinite(g.at(i, j)) && std::isfinite(g.at(i + 1, j)) && std::isfinite(g.at(i, j + 1)) && std::isfinite(g.at(i + 1, j + 1));
}

// Whether segments pq and rs cross at a point interior to both (touching at an end does not count).
bool crossProperly(const Vec2 &p, const Vec2 &q, const Vec2 &r, const Vec2 &s)
{
    auto side = [](const Vec2 &a, const Vec2 &b, const Vec2 &c) { return (b - a).x() * (c - a).y() - (b - a).y() * (c - a).x(); };
    return side(p, q, r) * side(p, q, s) < 0 && side(r, s, p) * side(r, s, q) < 0;
}

} // namespace

class TestContourLines : public QObject {
    Q_OBJECT
private slots:
    void levelsAreStrictlyInsideAndIncreasing_data();
    void levelsAreStrictlyInsideAndIncreasing();
    void degenerateSurfacesHaveNoLevels();
    void linesFollowTheCallersLevelOrder();
    void rosenbrockLogLevelsDrawTheValley();
    void bowlGivesClosedCircles_data();
    void bowlGivesClosedCircles();
    void planeGivesStraightLines_data();
    void planeGivesStraightLines();
    void pointsLieOnTheLevel_data();
    void pointsLieOnTheLevel();
    void saddleGivesBothAxesWithoutCrossings_data();
    void saddleGivesBothAxesWithoutCrossings();
    void saddleCellFollowsItsCentre_data();
    void saddleCellFollowsItsCentre();
    void linesStopAtNonFiniteGaps_data();
    void linesStopAtNonFiniteGaps();
    void segmentsAreJoinedIntoContinuousLines();
    void formulaGapsHoldNoVertex_data();
    void formulaGapsHoldNoVertex();
};

void TestContourLines::levelsAreStrictlyInsideAndIncreasing_data()
{
    QTest::addColumn<Function>("f");
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("logSpaced");
    const std::pair<const char *, Function> surfaces[] = {
        {"rosenbrock", rosenbrock},
        {"raised-bowl", [](double x, double y) { return 5 + x * x + y * y; }},
        {"negative-ripples", [](double x, double y) { return std::sin(5 * x) * std::cos(3 * y) - 2; }},
        {"exp", [](double x, double y) { return std::exp(20 * x) + y; }},
    };
    for (bool logSpaced : {false, true})
        for (int count : {1, 2, 12, 40})
            for (const auto &[name, f] : surfaces)
                QTest::addRow("%s-%s-%d", name, logSpaced ? "log" : "linear", count) << f << count << logSpaced;
}

void TestContourLines::levelsAreStrictlyInsideAndIncreasing()
{
    QFETCH(Function, f);
    QFETCH(int, count);
    QFETCH(bool, logSpaced);
    const SurfaceGrid grid = sample(f, {-1, 1, -1, 1}, 64, 64);
    const std::vector<double> levels = contourLevels(grid, count, logSpaced);
    QCOMPARE(int(levels.size()), count);
    const double lo = grid.minFinite, range = grid.maxFinite - grid.minFinite;
    for (std::size_t k = 0; k < levels.size(); ++k) {
        QVERIFY(levels[k] > grid.minFinite && levels[k] < grid.maxFinite);
        if (k > 0)
            QVERIFY(levels[k] > levels[k - 1]);
        if (!logSpaced) // evenly spaced, neither end included
            QVERIFY(std::abs(levels[k] - (lo + range * double(k + 1) / (count + 1))) <= 1e-12 * (std::abs(lo) + range));
    }
    if (logSpaced) {
        // f - min grows by one common factor from level to level, from lowScale (at most 1% of the range) up.
        QVERIFY(std::abs(levels[0] - lo - std::min(grid.lowScale, 0.01 * range)) <= 1e-9 * range);
        const double factor = std::pow(range / (levels[0] - lo), 1.0 / count);
        for (std::size_t k = 1; k < levels.size(); ++k)
            QVERIFY(std::abs((levels[k] - lo) / (levels[k - 1] - lo) / factor - 1) <= 1e-6);
    }
}

void TestContourLines::degenerateSurfacesHaveNoLevels()
{
    const SurfaceGrid constant = sample([](double, double) { return 4.0; }, {}, 20, 20);
    QVERIFY(contourLevels(constant, 12, false).empty() && contourLevels(constant, 12, true).empty());
    const SurfaceGrid nothingFinite = sample([](double, double) { return NAN; }, {}, 20, 20);
    QVERIFY(contourLevels(nothingFinite, 12, true).empty());
    QVERIFY(traceContours(nothingFinite, {0.0, 1.0}).empty());
    const SurfaceGrid plane = sample([](double x, double) { return x; }, {}, 20, 20);
    QVERIFY(contourLevels(plane, 0, false).empty());
    QVERIFY(traceContours(plane, {}).empty());
    QVERIFY(traceContours(plane, {-5.0, 5.0}).empty()); // levels outside the range cross nothing
}

void TestContourLines::linesFollowTheCallersLevelOrder()
{
    const SurfaceGrid grid = sample(bowl, {-1, 1, -1, 1}, 50, 50);
    const std::vector<ContourLine> lines = traceContours(grid, {0.5, 0.1, NAN, 0.3, INFINITY});
    QCOMPARE(lines.size(), std::size_t(3)); // non-finite levels are ignored
    QCOMPARE(lines[0].level, 0.5);
    QCOMPARE(lines[1].level, 0.1);
    QCOMPARE(lines[2].level, 0.3);
}

void TestContourLines::rosenbrockLogLevelsDrawTheValley()
{
    const double b = 100;
    const SurfaceGrid grid = sample(rosenbrock, {-2, 2, -1, 3}, 256, 256);
    // Linear levels put the lowest one at range / 13 ~ 190: the whole valley is one blank region.
    QVERIFY(contourLevels(grid, 12, false).front() > 100);
    const std::vector<double> levels = contourLevels(grid, 12, true);
    QVERIFY(levels.front() < 1);
    const double h = std::max(spacingX(grid), spacingY(grid));
    for (int k = 0; k < 3; ++k) {
        // Each of the lowest levels draws a banana along the floor y = x^2: on it b (y - x^2)^2 <= L, and it
        // reaches along the floor from x = 1 - sqrt(L), where (1 - x)^2 = L, to 1 + sqrt(L) or the top of the
        // window at x = sqrt(3), whichever comes first (only the lowest, L ~ 0.5, closes inside the window).
        // Where the banana's tip is narrower than a cell the grid may break off a few tiny islands.
        const double level = levels[k];
        const std::vector<ContourLine> lines = traceContours(grid, {level});
        QVERIFY(!lines.empty());
        std::size_t points = 0, longest = 0;
        double xMin = INFINITY, xMax = -INFINITY;
        for (std::size_t l = 0; l < lines.size(); ++l) {
            const ContourLine &line = lines[l];
            points += line.points.size();
            if (line.points.size() > lines[longest].points.size())
                longest = l;
            for (const Vec2 &p : line.points) {
                QVERIFY(std::abs(p.y() - p.x() * p.x()) <= std::sqrt(level / b) + 2 * h);
                xMin = std::min(xMin, p.x());
                xMax = std::max(xMax, p.x());
            }
        }
        QVERIFY(lines[longest].points.size() >= 0.9 * points);
        QCOMPARE(lines[longest].closed, k == 0);
        const double reach = std::min(1 + std::sqrt(level), std::sqrt(3.0)) - (1 - std::sqrt(level));
        QVERIFY2(xMax - xMin >= 0.95 * reach, qPrintable(QStringLiteral("%1 < %2").arg(xMax - xMin).arg(reach)));
    }
}

void TestContourLines::bowlGivesClosedCircles_data()
{
    QTest::addColumn<double>("radius");
    for (double r : {0.1, 0.35, 0.5, 0.77, 0.95})
        QTest::addRow("r=%g", r) << r;
}

void TestContourLines::bowlGivesClosedCircles()
{
    QFETCH(double, radius);
    const SurfaceGrid grid = sample(bowl, {-1, 1, -1, 1}, 200, 200);
    const std::vector<ContourLine> lines = traceContours(grid, {radius * radius});
    QCOMPARE(lines.size(), std::size_t(1));
    const ContourLine &circle = lines[0];
    QCOMPARE(circle.level, radius * radius);
    QVERIFY(circle.closed);
    QVERIFY(circle.points.front() == circle.points.back());
    double area = 0, turned = 0;
    for (std::size_t k = 0; k < circle.points.size(); ++k) {
        const Vec2 &p = circle.points[k];
        QVERIFY2(std::abs(p.norm() - radius) < 1e-3, qPrintable(QString::number(p.norm() - radius)));
        if (k > 0) {
            const Vec2 &q = circle.points[k - 1];
            area += (q.x() * p.y() - p.x() * q.y()) / 2; // shoelace
            turned += std::remainder(std::atan2(p.y(), p.x()) - std::atan2(q.y(), q.x()), 2 * std::numbers::pi);
        }
    }
    QVERIFY(std::abs(std::abs(turned) - 2 * std::numbers::pi) < 1e-9); // once around the centre
    QVERIFY(std::abs(std::abs(area) / (std::numbers::pi * radius * radius) - 1) < 1e-2);
}

void TestContourLines::planeGivesStraightLines_data()
{
    QTest::addColumn<double>("level");
    QTest::addColumn<int>("column"); // >= 0: the level is that node column's x exactly
    QTest::newRow("x=-0.73") << -0.73 << -1;
    QTest::newRow("x=0.31") << 0.31 << -1;
    QTest::newRow("x=0.999") << 0.999 << -1;
    QTest::newRow("through-node-column") << 0.0 << 10;
}

void TestContourLines::planeGivesStraightLines()
{
    QFETCH(double, level);
    QFETCH(int, column);
    const SurfaceGrid grid = sample([](double x, double) { return x; }, {-1, 1, -2, 3}, 50, 40);
    if (column >= 0)
        level = grid.x(column);
    const std::vector<ContourLine> lines = traceContours(grid, {level});
    QCOMPARE(lines.size(), std::size_t(1));
    const ContourLine &line = lines[0];
    QVERIFY(!line.closed);
    // One point per grid row, from the bottom edge of the window to the top, all at x = level.
    QCOMPARE(int(line.points.size()), grid.ny);
    QCOMPARE(std::min(line.points.front().y(), line.points.back().y()), grid.window.yMin);
    QCOMPARE(std::max(line.points.front().y(), line.points.back().y()), grid.y(grid.ny - 1));
    for (const Vec2 &p : line.points)
        QVERIFY2(std::abs(p.x() - level) <= 1e-15, qPrintable(QString::number(p.x() - level)));

    // A tilted plane: its iso-lines are straight too, exactly where x + 2y = level.
    const SurfaceGrid tilted = sample([](double x, double y) { return x + 2 * y; }, {-1, 1, -1, 1}, 37, 23);
    for (const ContourLine &l : traceContours(tilted, {-1.3, 0.2, 2.5}))
        for (const Vec2 &p : l.points)
            QVERIFY(std::abs(p.x() + 2 * p.y() - l.level) <= 1e-14);
}

void TestContourLines::pointsLieOnTheLevel_data()
{
    // Linear interpolation along an edge of length h misses f by at most h^2 / 8 * max |f''| along it, so
    // maxCurvature bounds |f_xx| and |f_yy| over the window.
    QTest::addColumn<Function>("f");
    QTest::addColumn<ViewWindow>("window");
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("maxCurvature");
    QTest::newRow("bowl") << bowl << ViewWindow{-1, 1, -1, 1} << 200 << 2.0;
    // f_xx = 12x^2 + 4y - 42, f_yy = 12y^2 + 4x - 26: at most 294 on [-5, 5]^2.
    QTest::newRow("himmelblau") << himmelblau << ViewWindow{-5, 5, -5, 5} << 128 << 294.0;
    // f_xx = 2 - 400y + 1200x^2 <= 5202, f_yy = 200.
    QTest::newRow("rosenbrock") << rosenbrock << ViewWindow{-2, 2, -1, 3} << 256 << 5202.0;
    QTest::newRow("waves") << Function([](double x, double y) { return std::sin(3 * x) * std::cos(2 * y); }) << ViewWindow{-2, 2, -2, 2} << 100 << 9.0;
}

void TestContourLines::pointsLieOnTheLevel()
{
    QFETCH(Function, f);
    QFETCH(ViewWindow, window);
    QFETCH(int, n);
    QFETCH(double, maxCurvature);
    const SurfaceGrid grid = sample(f, window, n, n);
    const double h = std::max(spacingX(grid), spacingY(grid));
    const double range = grid.maxFinite - grid.minFinite;
    const double tolerance = maxCurvature * h * h / 8 + 1e-12 * (std::abs(grid.minFinite) + range);
    for (bool logSpaced : {false, true}) {
        const std::vector<ContourLine> lines = traceContours(grid, contourLevels(grid, 12, logSpaced));
        QVERIFY(!lines.empty());
        for (const ContourLine &line : lines) {
            for (const Vec2 &p : line.points) {
                QVERIFY(p.x() >= window.xMin && p.x() <= window.xMax + 1e-12 && p.y() >= window.yMin && p.y() <= window.yMax + 1e-12);
                const double miss = std::abs(f(p.x(), p.y()) - line.level);
                QVERIFY2(miss <= tolerance, qPrintable(QStringLiteral("level %1: f misses by %2 > %3").arg(line.level).arg(miss).arg(tolerance)));
            }
        }
    }
}

void TestContourLines::saddleGivesBothAxesWithoutCrossings_data()
{
    QTest::addColumn<int>("n");
    QTest::newRow("axes-between-nodes") << 100; // the centre cell is an ambiguous saddle
    QTest::newRow("axes-through-nodes") << 101; // f is exactly 0 on whole node rows and columns
}

void TestContourLines::saddleGivesBothAxesWithoutCrossings()
{
    QFETCH(int, n);
    const SurfaceGrid grid = sample([](double x, double y) { return x * y; }, {-1, 1, -1, 1}, n, n);
    const double h = spacingX(grid);
    const std::vector<ContourLine> lines = traceContours(grid, {0.0});
    QCOMPARE(lines.size(), std::size_t(2)); // two corners, each turning from one axis onto the other
    std::vector<std::pair<Vec2, Vec2>> segments;
    std::vector<double> alongX{0}, alongY{0}; // where the points lie along each axis
    double total = 0;
    for (const ContourLine &line : lines) {
        QVERIFY(!line.closed);
        for (std::size_t k = 0; k < line.points.size(); ++k) {
            const Vec2 &p = line.points[k];
            QVERIFY2(std::abs(p.x()) <= 1e-15 || std::abs(p.y()) <= 1e-15, qPrintable(QStringLiteral("(%1, %2)").arg(p.x()).arg(p.y())));
            std::abs(p.y()) <= 1e-15 ? alongX.push_back(p.x()) : alongY.push_back(p.y());
            if (k > 0) {
                segments.emplace_back(line.points[k - 1], p);
                total += (p - line.points[k - 1]).norm();
            }
        }
    }
    // Both axes from border to border; only the corners near the centre, within a cell, are cut.
    for (const auto &along : {alongX, alongY})
        QVERIFY(*std::min_element(along.begin(), along.end()) == -1 && *std::max_element(along.begin(), along.end()) == 1);
    QVERIFY2(total >= 4 - 2 * h && total <= 4, qPrintable(QString::number(total))); // no piece drawn twice
    for (std::size_t a = 0; a < segments.size(); ++a)
        for (std::size_t b = a + 1; b < segments.size(); ++b)
            QVERIFY(!crossProperly(segments[a].first, segments[a].second, segments[b].first, segments[b].second));
}

void TestContourLines::saddleCellFollowsItsCentre_data()
{
    QTest::addColumn<double>("c");
    QTest::newRow("centre-above") << 0.3;
    QTest::newRow("centre-below") << -0.3;
}

void TestContourLines::saddleCellFollowsItsCentre()
{
    // One cell, corners f = xy + c at (+-1, +-1): 1 + c on one diagonal, -1 + c on the other, an ambiguous case.
    // The true zero set xy = -c is a hyperbola in the quadrants where xy has the sign of -c, cutting off the
    // two corners there; the centre value c picks the same pair.
    QFETCH(double, c);
    const SurfaceGrid grid = sample([&](double x, double y) { return x * y + c; }, {-1, 1, -1, 1}, 2, 2);
    const std::vector<ContourLine> lines = traceContours(grid, {0.0});
    QCOMPARE(lines.size(), std::size_t(2));
    for (const ContourLine &line : lines) {
        QCOMPARE(line.points.size(), std::size_t(2));
        const Vec2 middle = (line.points[0] + line.points[1]) / 2;
        QVERIFY(middle.x() * middle.y() * c < 0);
        for (const Vec2 &p : line.points) // on the cell's edges f is linear, so the ends are exact
            QVERIFY(std::abs(p.x() * p.y() + c) <= 1e-15);
    }
}

void TestContourLines::linesStopAtNonFiniteGaps_data()
{
    QTest::addColumn<Function>("f");
    QTest::addColumn<std::vector<double>>("levels");
    QTest::addColumn<int>("linesExpected");
    // A plane f = y with a square hole of NaN nodes (|x|, |y| <= 0.2): the line y = 0.05 breaks in two at the
    // hole, the line y = 0.75 passes clear of it.
    QTest::newRow("hole") << Function([](double x, double y) { return std::max(std::abs(x), std::abs(y)) < 0.21 ? NAN : y; })
                          << std::vector<double>{0.05, 0.75} << 3;
    // NaN for x < 0, finite from the node column at x = 0: three curves y = L - sqrt(x) ending at x = 0.
    QTest::newRow("sqrt") << Function([](double x, double y) { return std::sqrt(x) + y; }) << std::vector<double>{-0.5, 0.0, 0.5} << 3;
    // NaN left of x = 0 and -inf on it: the lines x = exp(L - y) stay right of the first finite column.
    QTest::newRow("log") << Function([](double x, double y) { return std::log(x) + y; }) << std::vector<double>{-0.5, 0.0, 0.5} << 3;
    // 1/x changes sign across its pole without ever being 0: no line at level 0, and none across the pole.
    QTest::newRow("pole") << Function([](double x, double) { return 1 / x; }) << std::vector<double>{0.0} << 0;
}

void TestContourLines::linesStopAtNonFiniteGaps()
{
    QFETCH(Function, f);
    QFETCH(std::vector<double>, levels);
    QFETCH(int, linesExpected);
    const SurfaceGrid grid = sample(f, {-1, 1, -1, 1}, 101, 101); // node column 50 is x = 0
    QVERIFY(grid.hasNonFinite);
    const std::vector<ContourLine> lines = traceContours(grid, levels);
    QCOMPARE(int(lines.size()), linesExpected);
    for (const ContourLine &line : lines)
        for (std::size_t k = 1; k < line.points.size(); ++k)
            QVERIFY(inFiniteCell(grid, line.points[k - 1], line.points[k]));
}

void TestContourLines::segmentsAreJoinedIntoContinuousLines()
{
    const SurfaceGrid grid = sample(himmelblau, {-5, 5, -5, 5}, 256, 256);
    const std::vector<ContourLine> lines = traceContours(grid, contourLevels(grid, 12, true));
    const double diagonal = std::hypot(spacingX(grid), spacingY(grid));
    std::size_t points = 0;
    auto onBorder = [&](const Vec2 &p) {
        return p.x() == grid.x(0) || p.x() == grid.x(grid.nx - 1) || p.y() == grid.y(0) || p.y() == grid.y(grid.ny - 1);
    };
    for (std::size_t a = 0; a < lines.size(); ++a) {
        const ContourLine &line = lines[a];
        points += line.points.size();
        // Consecutive points are distinct and at most one cell apart: one continuous curve.
        for (std::size_t k = 1; k < line.points.size(); ++k) {
            const double step = (line.points[k] - line.points[k - 1]).norm();
            QVERIFY(step > 0 && step <= diagonal * (1 + 1e-9));
        }
        if (line.closed) {
            QVERIFY(line.points.front() == line.points.back());
            continue;
        }
        // On a grid without gaps a line can only end at the window's border; and no two lines of a level
        // end at the same point (they would have been one line).
        QVERIFY(onBorder(line.points.front()) && onBorder(line.points.back()));
        for (std::size_t b = a + 1; b < lines.size(); ++b)
            if (lines[b].level == line.level && !lines[b].closed)
                for (const Vec2 &end : {lines[b].points.front(), lines[b].points.back()})
                    QVERIFY(end != line.points.front() && end != line.points.back());
    }
    QVERIFY2(lines.size() < 50 && points > 20 * lines.size(), qPrintable(QStringLiteral("%1 lines, %2 points").arg(lines.size()).arg(points)));
}

void TestContourLines::formulaGapsHoldNoVertex_data()
{
    QTest::addColumn<QString>("formula");
    QTest::newRow("log(x)") << "log(x)"; // NaN for x < 0, -inf on the node column x = 0
    QTest::newRow("sqrt(x*y)") << "sqrt(x*y) + 0.1*x"; // NaN in the second and fourth quadrants
    QTest::newRow("1/x") << "1/x + y"; // inf on the node column x = 0
    QTest::newRow("log(1 - x^2 - y^2)") << "log(1 - x^2 - y^2)"; // NaN outside the unit disc
    QTest::newRow("exp(100*x)") << "exp(100*x) + y"; // overflows to inf for x > 7.09
}

void TestContourLines::formulaGapsHoldNoVertex()
{
    // Every vertex of a contour line lies on a grid edge between two finite nodes (so in no non-finite cell
    // and on no edge of one), and the formula is finite there.
    QFETCH(QString, formula);
    ExpressionError error;
    auto expression = Expression::parse(formula.toStdString(), &error);
    QVERIFY(expression);
    const ViewWindow window{-2, 8, -2, 2};
    const ExpressionObjective objective(std::move(*expression), window);
    const SurfaceGrid grid = sampleSurface(objective, window, 101, 81); // node columns at x = 0 and 7.1, row at y = 0
    QVERIFY(grid.hasNonFinite && grid.hasFinite());
    const std::vector<ContourLine> lines = traceContours(grid, contourLevels(grid, 12, prefersLogScale(grid)));
    QVERIFY(!lines.empty());
    const double hx = spacingX(grid), hy = spacingY(grid);
    auto onFiniteEdge = [&](const Vec2 &p) {
        const double fi = (p.x() - window.xMin) / hx, fj = (p.y() - window.yMin) / hy;
        const int i = int(std::lround(fi)), j = int(std::lround(fj));
        if (std::abs(fi - i) <= 1e-9) { // on node column i, between rows j0 and j0 + 1
            const int j0 = std::clamp(int(std::floor(fj)), 0, grid.ny - 2);
            return std::isfinite(grid.at(i, j0)) && std::isfinite(grid.at(i, j0 + 1));
        }
        if (std::abs(fj - j) <= 1e-9) {
            const int i0 = std::clamp(int(std::floor(fi)), 0, grid.nx - 2);
            return std::isfinite(grid.at(i0, j)) && std::isfinite(grid.at(i0 + 1, j));
        }
        return false; // inside a cell: marching squares never puts a vertex there
    };
    for (const ContourLine &line : lines)
        for (const Vec2 &p : line.points) {
            QVERIFY2(onFiniteEdge(p), qPrintable(QStringLiteral("(%1, %2)").arg(p.x()).arg(p.y())));
            QVERIFY(std::isfinite(objective.evaluate(p, nullptr)));
        }
}

QTEST_APPLESS_MAIN(TestContourLines)
#include "tst_contourlines.moc"
