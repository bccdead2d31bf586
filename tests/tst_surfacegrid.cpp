// The sampled surface holds f at exactly the documented nodes, however many threads sample it, keeps
// non-finite values as they are, stops when cancelled, and picks a log colour scale only for wide ranges.

#include "AnalyticFunctions.h"
#include "ExpressionObjective.h"
#include "SurfaceGrid.h"
#include "WorkerPools.h"

#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <numbers>

using namespace gdviz;

namespace {

// f(x, y) from a plain function: an objective that shares no code with the named functions or formulas.
class FunctionObjective final : public Objective {
public:
    explicit FunctionObjective(std::function<double(double, double)> f) : m_f(std::move(f)) {}
    double evaluate(const Vec2 &theta, Vec2 *grad) const override
    {
        if (grad)
            grad->setZero();
        return m_f(theta[0], theta[1]);
    }

private:
    std::function<double(double, double)> m_f;
};

// "named:<kind>" or "expr:<formula>".
std::unique_ptr<Objective> makeObjective(const QString &spec)
{
    const QString body = spec.section(QLatin1Char(':'), 1);
    if (spec.startsWith(QLatin1String("named:")))
        return std::make_unique<AnalyticObjective>(findAnalyticFunction(body.toStdString())->kind, std::map<std::string, double>{});
    auto expression = Expression::parse(body.toStdString(), nullptr);
    return expression ? std::make_unique<ExpressionObjective>(std::move(*expression), ViewWindow{}) : nullptr;
}

bool sameValue(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// Sets the surface pool's thread count for a test and restores it when the test ends, whether it passes or not.
struct PoolThreads {
    explicit PoolThreads(int count) { workerPools::surfaces().setMaxThreadCount(count); }
    ~PoolThreads() { workerPools::surfaces().setMaxThreadCount(m_saved); }
    int m_saved = workerPools::surfaces().maxThreadCount();
};

} // namespace

class TestSurfaceGrid : public QObject {
    Q_OBJECT
private slots:
    void valuesEqualDirectEvaluation_data();
    void valuesEqualDirectEvaluation();
    void nodesFollowTheFormula_data();
    void nodesFollowTheFormula();
    void nonFiniteValuesAreKeptAndFlagged_data();
    void nonFiniteValuesAreKeptAndFlagged();
    void cancelStopsEarly();
    void presetCancelSamplesNothing();
    void lowScaleIsTheLowQuantile_data();
    void lowScaleIsTheLowQuantile();
    void prefersLogScaleForWideRanges_data();
    void prefersLogScaleForWideRanges();
};

void TestSurfaceGrid::valuesEqualDirectEvaluation_data()
{
    QTest::addColumn<QString>("objective");
    QTest::addColumn<double>("xMin");
    QTest::addColumn<double>("xMax");
    QTest::addColumn<double>("yMin");
    QTest::addColumn<double>("yMax");
    QTest::addColumn<int>("nx");
    QTest::addColumn<int>("ny");
    QTest::addColumn<int>("threads");
    for (int threads : {1, 4}) {
        const QByteArray t = "-threads" + QByteArray::number(threads);
        QTest::newRow("rosenbrock-256" + t) << "named:rosenbrock" << -2.0 << 2.0 << -1.0 << 3.0 << 256 << 256 << threads;
        QTest::newRow("ackley-odd" + t) << "named:ackley" << -5.0 << 5.0 << -5.0 << 5.0 << 97 << 131 << threads;
        QTest::newRow("goldstein-wide-rows" + t) << "named:goldstein_price" << -2.0 << 2.0 << -3.0 << 1.0 << 513 << 7 << threads;
        QTest::newRow("expr-himmelblau" + t) << "expr:(x^2 + y - 11)^2 + (x + y^2 - 7)^2" << -5.0 << 5.0 << -5.0 << 5.0 << 300 << 200 << threads;
        QTest::newRow("expr-trig-long-rows" + t) << "expr:sin(3*x)*cos(2*y) + tanh(x*y)" << -2.0 << 2.0 << -1.0 << 1.0 << 1000 << 9 << threads;
        QTest::newRow("expr-log-nonfinite" + t) << "expr:log(x) + sqrt(y)" << -1.0 << 1.0 << -1.0 << 1.0 << 64 << 64 << threads;
        QTest::newRow("expr-2x2" + t) << "expr:x*y - 3" << 0.5 << 1.5 << -2.0 << 2.0 << 2 << 2 << threads;
        QTest::newRow("reversed-window" + t) << "named:himmelblau" << 5.0 << -5.0 << 4.0 << -4.0 << 33 << 17 << threads;
    }
}

void TestSurfaceGrid::valuesEqualDirectEvaluation()
{
    QFETCH(QString, objective);
    QFETCH(double, xMin);
    QFETCH(double, xMax);
    QFETCH(double, yMin);
    QFETCH(double, yMax);
    QFETCH(int, nx);
    QFETCH(int, ny);
    QFETCH(int, threads);
    const auto f = makeObjective(objective);
    QVERIFY(f);
    const ViewWindow window{xMin, xMax, yMin, yMax};
    PoolThreads pool(threads);
    const SurfaceGrid grid = sampleSurface(*f, window, nx, ny);
    QVERIFY(grid.complete);
    QCOMPARE(grid.nx, nx);
    QCOMPARE(grid.ny, ny);
    QCOMPARE(grid.values.size(), std::size_t(nx) * ny);
    // The reference: one plain loop, node by node through evaluate(); formulas must agree bit for bit with
    // their vectorized path.
    double lo = INFINITY, hi = -INFINITY;
    bool nonFinite = false;
    for (int j = 0; j < ny; ++j) {
        for (int i = 0; i < nx; ++i) {
            const double x = xMin + i * (xMax - xMin) / (nx - 1), y = yMin + j * (yMax - yMin) / (ny - 1);
            const double expected = f->evaluate(Vec2(x, y), nullptr);
            const double got = grid.values[std::size_t(j) * nx + i];
            QVERIFY2(sameValue(got, expected), qPrintable(QStringLiteral("node (%1, %2): %3 vs %4").arg(i).arg(j).arg(got, 0, 'g', 17).arg(expected, 0, 'g', 17)));
            QVERIFY(sameValue(grid.at(i, j), got));
            if (std::isfinite(expected)) {
                lo = std::min(lo, expected);
                hi = std::max(hi, expected);
            } else {
                nonFinite = true;
            }
        }
    }
    QVERIFY(grid.minFinite == lo);
    QVERIFY(grid.maxFinite == hi);
    QCOMPARE(grid.hasNonFinite, nonFinite);
}

void TestSurfaceGrid::nodesFollowTheFormula_data()
{
    QTest::addColumn<bool>("formula"); // ExpressionObjective (row-at-a-time path) or a plain function
    QTest::addColumn<int>("nx");
    QTest::addColumn<int>("ny");
    QTest::newRow("function-40x30") << false << 40 << 30;
    QTest::newRow("formula-40x30") << true << 40 << 30;
    QTest::newRow("formula-3x700") << true << 3 << 700;
    QTest::newRow("too-small-is-raised-to-2") << false << 1 << 0;
}

void TestSurfaceGrid::nodesFollowTheFormula()
{
    QFETCH(bool, formula);
    QFETCH(int, nx);
    QFETCH(int, ny);
    const ViewWindow window{-1.3, 2.9, 0.25, 7.5};
    std::unique_ptr<Objective> xOf, yOf;
    if (formula) {
        xOf = makeObjective(QStringLiteral("expr:x"));
        yOf = makeObjective(QStringLiteral("expr:y"));
    } else {
        xOf = std::make_unique<FunctionObjective>([](double x, double) { return x; });
        yOf = std::make_unique<FunctionObjective>([](double, double y) { return y; });
    }
    const SurfaceGrid xs = sampleSurface(*xOf, window, nx, ny), ys = sampleSurface(*yOf, window, nx, ny);
    nx = std::max(nx, 2);
    ny = std::max(ny, 2);
    QCOMPARE(xs.nx, nx);
    QCOMPARE(xs.ny, ny);
    for (int j = 0; j < ny; ++j) {
        for (int i = 0; i < nx; ++i) {
            // Row-major: values[j * nx + i] was sampled at (x_i, y_j).
            QVERIFY(xs.values[std::size_t(j) * nx + i] == window.xMin + i * (window.xMax - window.xMin) / (nx - 1));
            QVERIFY(ys.values[std::size_t(j) * nx + i] == window.yMin + j * (window.yMax - window.yMin) / (ny - 1));
            QVERIFY(xs.x(i) == xs.at(i, j));
            QVERIFY(ys.y(j) == ys.at(i, j));
        }
    }
    // The grid spans the window, edges included.
    QVERIFY(xs.x(0) == window.xMin);
    QVERIFY(xs.y(0) == window.yMin);
    QVERIFY(std::abs(xs.x(nx - 1) - window.xMax) <= 4e-16 * std::abs(window.xMax));
    QVERIFY(std::abs(xs.y(ny - 1) - window.yMax) <= 4e-16 * std::abs(window.yMax));
}

void TestSurfaceGrid::nonFiniteValuesAreKeptAndFlagged_data()
{
    QTest::addColumn<QString>("formula");
    QTest::addColumn<double>("xMin");
    QTest::addColumn<double>("xMax");
    QTest::addColumn<bool>("anyFinite");
    // 41 nodes over [-1, 1] put one exactly at x = 0.
    QTest::newRow("log-nan-and-minus-inf") << "log(x)" << -1.0 << 1.0 << true;
    QTest::newRow("reciprocal-inf") << "1/x" << -1.0 << 1.0 << true;
    QTest::newRow("exp-overflow") << "exp(x)" << 0.0 << 1000.0 << true;
    QTest::newRow("all-nan") << "sqrt(x)" << -2.0 << -1.0 << false;
}

void TestSurfaceGrid::nonFiniteValuesAreKeptAndFlagged()
{
    QFETCH(QString, formula);
    QFETCH(double, xMin);
    QFETCH(double, xMax);
    QFETCH(bool, anyFinite);
    const auto f = makeObjective(QStringLiteral("expr:") + formula);
    QVERIFY(f);
    const SurfaceGrid grid = sampleSurface(*f, {xMin, xMax, -1, 1}, 41, 11);
    QVERIFY(grid.complete);
    QVERIFY(grid.hasNonFinite);
    QCOMPARE(grid.hasFinite(), anyFinite);
    double lo = INFINITY, hi = -INFINITY;
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i) {
            const double expected = f->evaluate(Vec2(grid.x(i), grid.y(j)), nullptr);
            QVERIFY(sameValue(grid.at(i, j), expected)); // NaN stays NaN, -inf stays -inf
            if (std::isfinite(expected)) {
                lo = std::min(lo, expected);
                hi = std::max(hi, expected);
            }
        }
    }
    if (anyFinite) {
        QVERIFY(grid.minFinite == lo);
        QVERIFY(grid.maxFinite == hi);
        QVERIFY(std::isfinite(grid.lowScale) && grid.lowScale > 0);
    } else {
        QVERIFY(std::isnan(grid.minFinite) && std::isnan(grid.maxFinite));
        QCOMPARE(grid.lowScale, 0.0);
        QVERIFY(!prefersLogScale(grid));
    }
    if (formula == QLatin1String("log(x)")) {
        QVERIFY(std::isnan(grid.at(0, 0)));
        QCOMPARE(grid.at(20, 0), -INFINITY);
        QVERIFY(grid.minFinite == std::log(grid.x(21)));
        QVERIFY(grid.maxFinite == 0.0);
    }
}

void TestSurfaceGrid::cancelStopsEarly()
{
    // Raises the flag itself after 2000 evaluations, mid-way through a 200 x 200 grid.
    std::atomic<bool> cancel{false};
    std::atomic<int> evaluations{0};
    FunctionObjective f([&](double x, double y) {
        if (evaluations.fetch_add(1) + 1 == 2000)
            cancel = true;
        return x * x + y;
    });
    PoolThreads pool(4);
    const SurfaceGrid grid = sampleSurface(f, {-1, 1, -1, 1}, 200, 200, &cancel);
    QVERIFY(!grid.complete);
    // Each task finishes at most the row it is in: far fewer evaluations than the 40000 nodes.
    QVERIFY2(evaluations.load() < 2000 + 8 * 200, qPrintable(QString::number(evaluations.load())));
    int sampled = 0;
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i) {
            const double v = grid.at(i, j);
            if (std::isnan(v))
                continue; // not reached
            ++sampled;
            QVERIFY(v == grid.x(i) * grid.x(i) + grid.y(j)); // what was sampled is right
        }
    }
    QCOMPARE(sampled, evaluations.load());
    QVERIFY(grid.hasNonFinite); // the unsampled NaN nodes
}

void TestSurfaceGrid::presetCancelSamplesNothing()
{
    std::atomic<bool> cancel{true};
    std::atomic<int> evaluations{0};
    FunctionObjective f([&](double x, double) { ++evaluations; return x; });
    const SurfaceGrid cancelled = sampleSurface(f, {}, 50, 50, &cancel);
    QVERIFY(!cancelled.complete);
    QCOMPARE(evaluations.load(), 0);
    QVERIFY(std::all_of(cancelled.values.begin(), cancelled.values.end(), [](double v) { return std::isnan(v); }));
    QVERIFY(!cancelled.hasFinite());

    cancel = false; // a flag that is never raised changes nothing
    const SurfaceGrid whole = sampleSurface(f, {}, 50, 50, &cancel);
    QVERIFY(whole.complete);
    QCOMPARE(evaluations.load(), 2500);
}

void TestSurfaceGrid::lowScaleIsTheLowQuantile_data()
{
    // References from the area below a level: for a plane f = x over [0, 1], 1% of the window lies below
    // 0.01; for the bowl x^2 + y^2 over [-1, 1]^2 the disc r^2 < c covers pi c / 4 of the square, so 1% of it
    // lies below c = 0.04 / pi. A 100 x 100 grid resolves both to within a node spacing.
    QTest::addColumn<QString>("formula");
    QTest::addColumn<double>("xMin");
    QTest::addColumn<double>("expected");
    QTest::addColumn<double>("tolerance");
    QTest::newRow("plane") << "x" << 0.0 << 0.01 << 0.002;
    QTest::newRow("bowl") << "x^2 + y^2" << -1.0 << 0.04 / std::numbers::pi << 0.2 * 0.04 / std::numbers::pi;
    QTest::newRow("bowl-raised") << "1e6 + x^2 + y^2" << -1.0 << 0.04 / std::numbers::pi << 0.2 * 0.04 / std::numbers::pi;
    // Half of the window is a flat floor at the minimum: lowScale measures the rise above it instead of 0.
    QTest::newRow("flat-floor") << "abs(x) + x" << -1.0 << 0.02 << 0.002;
}

void TestSurfaceGrid::lowScaleIsTheLowQuantile()
{
    QFETCH(QString, formula);
    QFETCH(double, xMin);
    QFETCH(double, expected);
    QFETCH(double, tolerance);
    const auto f = makeObjective(QStringLiteral("expr:") + formula);
    const double yMin = xMin;
    const SurfaceGrid grid = sampleSurface(*f, {xMin, 1, yMin, 1}, 100, 100);
    QVERIFY2(std::abs(grid.lowScale - expected) <= tolerance,
             qPrintable(QStringLiteral("lowScale %1, expected %2").arg(grid.lowScale).arg(expected)));
}

void TestSurfaceGrid::prefersLogScaleForWideRanges_data()
{
    QTest::addColumn<QString>("objective");
    QTest::addColumn<bool>("logScale");
    // Narrow valleys and huge ranges: a linear colour map would paint the basin one flat colour.
    QTest::newRow("rosenbrock") << "named:rosenbrock" << true;
    QTest::newRow("beale") << "named:beale" << true;
    QTest::newRow("goldstein-price") << "named:goldstein_price" << true;
    QTest::newRow("himmelblau") << "named:himmelblau" << true;
    QTest::newRow("matyas") << "named:matyas" << true;
    // Structure spread over the whole range.
    QTest::newRow("rastrigin") << "named:rastrigin" << false;
    QTest::newRow("ackley") << "named:ackley" << false;
    QTest::newRow("saddle") << "named:saddle" << false;
    QTest::newRow("plane") << "expr:2*x + y" << false;
    QTest::newRow("cone") << "expr:sqrt(x^2 + y^2)" << false;
    QTest::newRow("constant") << "expr:3" << false;
    QTest::newRow("exp-13-decades") << "expr:exp(30*x)" << true;
}

void TestSurfaceGrid::prefersLogScaleForWideRanges()
{
    QFETCH(QString, objective);
    QFETCH(bool, logScale);
    const auto f = makeObjective(objective);
    const ViewWindow window = objective.startsWith(QLatin1String("named:")) ? f->defaultView() : ViewWindow{0, 1, 0, 1};
    const SurfaceGrid grid = sampleSurface(*f, window, 256, 256);
    const double ratio = (grid.maxFinite - grid.minFinite) / grid.lowScale;
    QVERIFY2(prefersLogScale(grid) == logScale, qPrintable(QStringLiteral("range / lowScale = %1").arg(ratio)));
    if (logScale)
        QVERIFY(ratio > 100); // the documented rule
}

QTEST_APPLESS_MAIN(TestSurfaceGrid)
#include "tst_surfacegrid.moc"
