// The cost surface widget: the colour map holds the objective, zooming recomputes it, paths grow and stay
// bounded, a click picks a start point and a drag does not.

#include "AnalyticFunctions.h"
#include "ExpressionObjective.h"
#include "Run.h"
#include "RunPalette.h"
#include "SurfaceView.h"
#include "TestSupport.h"

#include <QSignalSpy>
#include <QTest>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <set>

using namespace gdviz;

namespace {

constexpr int kSurfaceTimeout = 30000; // ms; generous for sanitizer builds

std::shared_ptr<const Objective> analytic(AnalyticKind kind)
{
    return std::make_shared<AnalyticObjective>(kind, std::map<std::string, double>{});
}

// The records of a real run: plain gradient descent from start.
QList<StepRecord> descent(std::shared_ptr<const Objective> objective, const Vec2 &start, double lr, long steps)
{
    RunSettings settings;
    settings.optimizer.lr = lr;
    settings.start = start;
    StopRules stop;
    stop.maxSteps = steps;
    Run run(std::move(objective), settings, stop);
    QList<StepRecord> records{run.current()};
    while (run.isRunning())
        records.append(run.step());
    return records;
}

template <class T>
T *child(const SurfaceView &view, const QString &name)
{
    return view.plot()->findChild<T *>(name);
}

bool sameWindow(const QCPRange &x, const QCPRange &y, const ViewWindow &w)
{
    return x.lower == w.xMin && x.upper == w.xMax && y.lower == w.yMin && y.upper == w.yMax;
}

// The pixel of a point of parameter space, as QCustomPlot maps it.
QPoint pixelOf(const SurfaceView &view, double x, double y)
{
    return QPoint(qRound(view.plot()->xAxis->coordToPixel(x)), qRound(view.plot()->yAxis->coordToPixel(y)));
}

} // namespace

class TestSurfaceView : public QObject {
    Q_OBJECT

private slots:
    void colourMapHoldsTheObjective_data();
    void colourMapHoldsTheObjective();
    void axesAreLabelledWithTheParameterNames();
    void zoomingRecomputesTheSurface();
    void nonFiniteValuesAreGaps();
    void pathGrowsAndTheMarkerFollows();
    void arrowsShowTheNextUpdate_data();
    void arrowsShowTheNextUpdate();
    void clickPicksAStartPoint();
    void dragPansWithoutPicking();
    void longPathsStayBoundedAndExactAtTheEnds();
    void runsCanBeHiddenRecolouredAndRemoved();
    void fontChangesReachTheAxes();
    void drawsAPicture();
    void destroyingWhileComputingIsSafe();
};

void TestSurfaceView::colourMapHoldsTheObjective_data()
{
    QTest::addColumn<double>("xMin");
    QTest::addColumn<double>("xMax");
    QTest::addColumn<double>("yMin");
    QTest::addColumn<double>("yMax");
    QTest::addColumn<bool>("logScale");
    // 0.5 (x^2 + 10 y^2): around its minimum it spans decades (logarithmic colours); away from it, it does not.
    QTest::newRow("around the minimum") << -2.0 << 2.0 << -2.0 << 2.0 << true;
    QTest::newRow("away from the minimum") << 1.0 << 3.0 << 1.0 << 3.0 << false;
}

void TestSurfaceView::colourMapHoldsTheObjective()
{
    QFETCH(double, xMin);
    QFETCH(double, xMax);
    QFETCH(double, yMin);
    QFETCH(double, yMax);
    QFETCH(bool, logScale);
    const ViewWindow window{xMin, xMax, yMin, yMax};
    const auto quadratic = analytic(AnalyticKind::Quadratic);
    SurfaceView view;
    QSignalSpy ready(&view, &SurfaceView::surfaceReady);
    view.setObjective(quadratic, window, "x", "y");
    QTRY_VERIFY_WITH_TIMEOUT(view.isSurfaceComplete(), kSurfaceTimeout);
    QVERIFY(!ready.isEmpty());
    QCOMPARE(ready.last().at(0).toBool(), true);
    QCOMPARE(ready.first().at(0).toBool(), false); // the coarse grid came first

    auto *map = child<QCPColorMap>(view, "surface");
    QVERIFY(map);
    QCPColorMapData *data = map->data();
    QVERIFY(sameWindow(data->keyRange(), data->valueRange(), window));
    QVERIFY(data->keySize() >= 64 && data->valueSize() >= 64);
    auto *scale = child<QCPColorScale>(view, "colorScale");
    QCOMPARE(scale->dataScaleType() == QCPAxis::stLogarithmic, logScale);
    QCOMPARE(scale->axis()->label().contains("log"), logScale);

    // Every cell against the objective at its centre. Linear colours hold f itself; logarithmic ones hold
    // f - min + offset, so differences between cells are differences of f, and every cell is positive.
    double x0, y0;
    data->cellToCoord(0, 0, &x0, &y0);
    const double f0 = quadratic->evaluate(Vec2(x0, y0), nullptr), c0 = data->cell(0, 0);
    for (int j = 0; j < data->valueSize(); ++j) {
        for (int i = 0; i < data->keySize(); ++i) {
            double x, y;
            data->cellToCoord(i, j, &x, &y);
            const double f = quadratic->evaluate(Vec2(x, y), nullptr), c = data->cell(i, j);
            if (!logScale) {
                QVERIFY2(std::abs(c - f) <= 1e-12 * std::abs(f), qPrintable(QString("cell %1,%2").arg(i).arg(j)));
            } else {
                QVERIFY(c > 0);
                QVERIFY2(std::abs((c - c0) - (f - f0)) <= 1e-12 * 100,
                         qPrintable(QString("cell %1,%2: %3 vs %4").arg(i).arg(j).arg(c - c0).arg(f - f0)));
            }
        }
    }
}

void TestSurfaceView::axesAreLabelledWithTheParameterNames()
{
    SurfaceView view;
    view.setObjective(analytic(AnalyticKind::Booth), {-10, 10, -10, 10}, "w", "b");
    QCOMPARE(view.plot()->xAxis->label(), QString("w"));
    QCOMPARE(view.plot()->yAxis->label(), QString("b"));
    QVERIFY(sameWindow(view.plot()->xAxis->range(), view.plot()->yAxis->range(), {-10, 10, -10, 10}));
    view.setObjective(analytic(AnalyticKind::Rosenbrock), {-2, 2, -1, 3}, "x", "y");
    QCOMPARE(view.plot()->xAxis->label(), QString("x"));
    QCOMPARE(view.plot()->yAxis->label(), QString("y"));
}

void TestSurfaceView::zoomingRecomputesTheSurface()
{
    const auto rosenbrock = analytic(AnalyticKind::Rosenbrock);
    SurfaceView view;
    view.setObjective(rosenbrock, {-2, 2, -1, 3}, "x", "y");
    QTRY_VERIFY_WITH_TIMEOUT(view.isSurfaceComplete(), kSurfaceTimeout);
    QSignalSpy ready(&view, &SurfaceView::surfaceReady);
    QSignalSpy windowChanged(&view, &SurfaceView::viewWindowChanged);
    auto *map = child<QCPColorMap>(view, "surface");

    // Through the view's own setter, then through the axes as a wheel or a drag moves them.
    const ViewWindow zoomed{0.5, 1.5, 0.25, 1.75};
    view.setViewWindow(zoomed);
    QVERIFY(!view.isSurfaceComplete());
    QTRY_VERIFY_WITH_TIMEOUT(view.isSurfaceComplete(), kSurfaceTimeout);
    QVERIFY(sameWindow(map->data()->keyRange(), map->data()->valueRange(), zoomed));
    QVERIFY(ready.contains(QList<QVariant>{true}));
    QCOMPARE(windowChanged.size(), 1);
    const auto reported = windowChanged.last().at(0).value<ViewWindow>();
    QVERIFY(sameWindow(QCPRange(reported.xMin, reported.xMax), QCPRange(reported.yMin, reported.yMax), zoomed));

    view.plot()->xAxis->setRange(0.9, 1.1);
    view.plot()->yAxis->setRange(0.9, 1.2);
    QVERIFY(!view.isSurfaceComplete());
    QTRY_VERIFY_WITH_TIMEOUT(view.isSurfaceComplete(), kSurfaceTimeout);
    QVERIFY(sameWindow(map->data()->keyRange(), map->data()->valueRange(), {0.9, 1.1, 0.9, 1.2}));
    QCOMPARE(windowChanged.size(), 2);
    // The new cells are the objective over the new window: differences of cells are differences of f, with
    // linear and logarithmic colours alike.
    QCPColorMapData *data = map->data();
    double x0, y0, x1, y1;
    data->cellToCoord(0, 0, &x0, &y0);
    data->cellToCoord(data->keySize() - 1, data->valueSize() - 1, &x1, &y1);
    const double df = rosenbrock->evaluate(Vec2(x1, y1), nullptr) - rosenbrock->evaluate(Vec2(x0, y0), nullptr);
    QVERIFY(std::abs(data->cell(data->keySize() - 1, data->valueSize() - 1) - data->cell(0, 0) - df) < 1e-9);
}

void TestSurfaceView::nonFiniteValuesAreGaps()
{
    ExpressionError error;
    auto expression = Expression::parse("log(x) + y^2", &error);
    QVERIFY(expression);
    const ViewWindow window{-1, 1, -1, 1};
    SurfaceView view;
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setObjective(std::make_shared<ExpressionObjective>(*expression, window), window, "x", "y");
    QTRY_VERIFY_WITH_TIMEOUT(view.isSurfaceComplete(), kSurfaceTimeout);

    QCPColorMapData *data = child<QCPColorMap>(view, "surface")->data();
    QVERIFY(std::isnan(data->data(-0.5, 0.5))); // log of a negative
    QVERIFY(std::isfinite(data->data(0.5, 0.5)));
    view.plot()->replot();
    const QImage image = view.plot()->grab().toImage();
    QCOMPARE(image.pixelColor(pixelOf(view, -0.5, 0.5)), QColor(Qt::white)); // the background shows through
    QVERIFY(image.pixelColor(pixelOf(view, 0.5, 0.5)) != QColor(Qt::white));
}

void TestSurfaceView::pathGrowsAndTheMarkerFollows()
{
    const auto quadratic = analytic(AnalyticKind::Quadratic);
    const QList<StepRecord> records = descent(quadratic, Vec2(-1.5, 1), 0.05, 10);
    SurfaceView view;
    view.setObjective(quadratic, {-2, 2, -2, 2}, "x", "y");
    view.addRun(7, "GD", runColor(0));
    view.restartPath(7, records.first());
    auto *path = child<QCPCurve>(view, "path:7");
    auto *current = child<QCPCurve>(view, "current:7");
    auto *start = child<QCPCurve>(view, "start:7");
    QVERIFY(path && current && start);
    QCOMPARE(path->dataCount(), 1);
    QCOMPARE(path->pen().color(), runColor(0));

    view.appendSteps(7, records.mid(1, 4));
    QCOMPARE(path->dataCount(), 5);
    view.appendSteps(7, records.mid(5));
    QCOMPARE(path->dataCount(), records.size());
    for (int k = 0; k < records.size(); ++k) {
        QCOMPARE((path->data()->constBegin() + k)->key, records[k].theta.x());
        QCOMPARE((path->data()->constBegin() + k)->value, records[k].theta.y());
    }
    QCOMPARE(current->dataCount(), 1);
    QCOMPARE(current->data()->constBegin()->key, records.last().theta.x());
    QCOMPARE(current->data()->constBegin()->value, records.last().theta.y());
    QCOMPARE(start->data()->constBegin()->key, -1.5);
    QCOMPARE(start->data()->constBegin()->value, 1.0);

    // A restart leaves only the new start point.
    StepRecord again = records.first();
    again.theta = Vec2(1, -1);
    view.restartPath(7, again);
    QCOMPARE(path->dataCount(), 1);
    QCOMPARE(current->data()->constBegin()->key, 1.0);
    QCOMPARE(start->data()->constBegin()->value, -1.0);
}

void TestSurfaceView::arrowsShowTheNextUpdate_data()
{
    QTest::addColumn<QString>("rule"); // "sgd", "momentum" (0.9), "adam"
    QTest::addColumn<double>("lr");
    QTest::addColumn<int>("stepsBefore"); // updates made before the one drawn (0: the very first)
    QTest::newRow("plain SGD at step 0") << "sgd" << 0.05 << 0;
    QTest::newRow("momentum after 3 updates") << "momentum" << 0.02 << 3;
    QTest::newRow("Adam at step 0") << "adam" << 0.1 << 0;
    QTest::newRow("a tiny rate: drawn 10^k times longer") << "sgd" << 1e-5 << 2;
}

// The arrows at the selected run's point come from the core's explanation of its next update (a real Run here):
// the update from theta_k to theta_k+1 and the plain step -lr g, to scale (one factor for all, said in a note
// when it is not 1); for momentum and Adam the rule's part from the plain step's tip to the update's. Drawn only
// while the run stands where the explanation starts.
void TestSurfaceView::arrowsShowTheNextUpdate()
{
    QFETCH(QString, rule);
    QFETCH(double, lr);
    QFETCH(int, stepsBefore);
    const auto quadratic = analytic(AnalyticKind::Quadratic);
    RunSettings settings;
    settings.optimizer.lr = lr;
    if (rule == QLatin1String("momentum"))
        settings.optimizer.momentum = 0.9;
    if (rule == QLatin1String("adam"))
        settings.optimizer = OptimizerSettings::defaultsFor(OptimizerKind::Adam), settings.optimizer.lr = lr;
    settings.start = Vec2(-1.5, 1);
    StopRules stop;
    stop.maxSteps = 100;
    Run run(quadratic, settings, stop);
    QList<StepRecord> records{run.current()};
    for (int i = 0; i < stepsBefore; ++i)
        records.append(run.step());
    const UpdateExplanation e = run.explainNextUpdate();
    QVERIFY(e.valid);

    SurfaceView view;
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setObjective(quadratic, {-2, 2, -2, 2}, "x", "y");
    view.plot()->replot(); // lays out the axis rect: arrows are scaled in pixels
    view.addRun(1, "Run", runColor(0));
    view.setSelectedRun(1);
    view.setArrowsVisible(true);
    view.restartPath(1, records.first());
    if (records.size() > 1)
        view.appendSteps(1, records.mid(1));
    QVERIFY(!view.arrowsShown()); // nothing explained yet
    view.setNextUpdate(1, e);
    QVERIFY(view.arrowsShown());

    auto *update = child<QCPItemLine>(view, "updateArrow");
    auto *plain = child<QCPItemLine>(view, "plainStepArrow");
    auto *ruleArrow = child<QCPItemLine>(view, "ruleArrow");
    auto *scaleNote = child<QCPItemText>(view, "arrowScaleLabel");
    QVERIFY(update && plain && ruleArrow && scaleNote);
    const Vec2 from = records.last().theta;
    QCOMPARE(update->start->coords(), QPointF(from.x(), from.y()));
    // One scale: 1 when the steps are long enough to see, else the power of ten the note names.
    const QPointF drawn = update->end->coords() - update->start->coords();
    const Vec2 step = e.thetaAfter - from;
    const double scale = std::abs(step.x()) > std::abs(step.y()) ? drawn.x() / step.x() : drawn.y() / step.y();
    const double power = std::round(std::log10(scale));
    QVERIFY2(std::abs(scale - std::pow(10.0, power)) <= 1e-9 * scale, qPrintable(QString::number(scale)));
    QVERIFY(test::closeRelative(drawn.x(), scale * step.x(), 1e-12, 1e-15));
    QVERIFY(test::closeRelative(drawn.y(), scale * step.y(), 1e-12, 1e-15));
    QCOMPARE(scaleNote->visible(), scale > 1);
    if (lr < 1e-3) {
        QVERIFY(scale >= 100);
        QVERIFY2(scaleNote->text().contains(QStringLiteral("\u00d7%L1").arg(scale, 0, 'f', 0)), qPrintable(scaleNote->text()));
    } else {
        QCOMPARE(scale, 1.0);
    }
    const QString updateLabel = child<QCPItemText>(view, "updateLabel")->text();
    if (rule == QLatin1String("sgd")) {
        // Plain SGD: the update is the plain step; one arrow says both.
        QVERIFY(!plain->visible());
        QVERIFY(!ruleArrow->visible());
        QVERIFY2(updateLabel.endsWith(QStringLiteral(" next update = \u2212lr\u00b7g")), qPrintable(updateLabel));
    } else {
        // The plain step -lr g to scale, and the rule's part from its tip to the update's.
        const Vec2 plainStep = -e.lr * e.gradient;
        QCOMPARE(plain->start->coords(), QPointF(from.x(), from.y()));
        QVERIFY(test::closeRelative(plain->end->coords().x() - from.x(), scale * plainStep.x(), 1e-12, 1e-15));
        QVERIFY(test::closeRelative(plain->end->coords().y() - from.y(), scale * plainStep.y(), 1e-12, 1e-15));
        QVERIFY(ruleArrow->visible());
        QCOMPARE(ruleArrow->start->coords(), plain->end->coords());
        QVERIFY(test::closeRelative(ruleArrow->end->coords().x(), update->end->coords().x(), 1e-12, 1e-15));
        QVERIFY(child<QCPItemText>(view, "ruleLabel")->text().endsWith(
            rule == QLatin1String("momentum") ? QStringLiteral(" + momentum") : QStringLiteral(" rescaled by Adam")));
    }

    // The run moves on: the explanation no longer starts where it stands, and its arrows go.
    view.appendSteps(1, {run.step()});
    QVERIFY(!view.arrowsShown());
    view.setNextUpdate(1, run.explainNextUpdate());
    QVERIFY(view.arrowsShown());
    view.setArrowsVisible(false);
    QVERIFY(!view.arrowsShown());
    view.setArrowsVisible(true);
    view.setSelectedRun(2); // no such run
    QVERIFY(!view.arrowsShown());
}

void TestSurfaceView::clickPicksAStartPoint()
{
    SurfaceView view;
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setObjective(analytic(AnalyticKind::Himmelblau), {-5, 5, -5, 5}, "x", "y");
    QTRY_VERIFY_WITH_TIMEOUT(view.isSurfaceComplete(), kSurfaceTimeout);
    view.plot()->replot();
    QSignalSpy picked(&view, &SurfaceView::startPointPicked);
    QSignalSpy windowChanged(&view, &SurfaceView::viewWindowChanged);
    // A pixel's worth of parameter space in each direction, twice: the click lands on a whole pixel.
    const double tolerance = 10.0 / view.plot()->axisRect()->width() + 10.0 / view.plot()->axisRect()->height();

    QTest::mouseClick(view.plot(), Qt::LeftButton, Qt::NoModifier, pixelOf(view, 1.5, -2.0));
    QCOMPARE(picked.size(), 0); // not yet: a second click would make it a double-click, which resets the view
    QTRY_COMPARE(picked.size(), 1);
    auto point = picked.last().at(0).value<Vec2>();
    QVERIFY2(std::abs(point.x() - 1.5) <= tolerance && std::abs(point.y() + 2.0) <= tolerance,
             qPrintable(QString("%1, %2").arg(point.x()).arg(point.y())));
    QCOMPARE(picked.last().at(1).toBool(), false);

    QTest::mouseClick(view.plot(), Qt::LeftButton, Qt::ShiftModifier, pixelOf(view, -3.0, 4.0));
    QTRY_COMPARE(picked.size(), 2);
    point = picked.last().at(0).value<Vec2>();
    QVERIFY(std::abs(point.x() + 3.0) <= tolerance && std::abs(point.y() - 4.0) <= tolerance);
    QCOMPARE(picked.last().at(1).toBool(), true); // Shift: every run's start point

    // A click on the axis labels, outside the plot area, picks nothing.
    QTest::mouseClick(view.plot(), Qt::LeftButton, Qt::NoModifier, QPoint(5, view.plot()->height() - 5));
    QTest::qWait(QApplication::doubleClickInterval() + 100);
    QCOMPARE(picked.size(), 2);
    QCOMPARE(windowChanged.size(), 0); // clicks do not pan
}

void TestSurfaceView::dragPansWithoutPicking()
{
    SurfaceView view;
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setObjective(analytic(AnalyticKind::Himmelblau), {-5, 5, -5, 5}, "x", "y");
    QTRY_VERIFY_WITH_TIMEOUT(view.isSurfaceComplete(), kSurfaceTimeout);
    view.plot()->replot();
    QSignalSpy picked(&view, &SurfaceView::startPointPicked);
    QSignalSpy windowChanged(&view, &SurfaceView::viewWindowChanged);

    const QPoint from = pixelOf(view, 0, 0);
    QTest::mousePress(view.plot(), Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(view.plot(), from + QPoint(2, 0));
    QTest::mouseMove(view.plot(), from + QPoint(25, 0));
    QTest::mouseMove(view.plot(), from + QPoint(50, 0));
    QTest::mouseRelease(view.plot(), Qt::LeftButton, Qt::NoModifier, from + QPoint(50, 0));
    QCOMPARE(picked.size(), 0);
    QVERIFY(view.plot()->xAxis->range().lower < -5); // the view moved right by 50 px: it shows more of x < -5
    QTRY_COMPARE_WITH_TIMEOUT(windowChanged.size(), 1, kSurfaceTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(view.isSurfaceComplete(), kSurfaceTimeout);
}

void TestSurfaceView::longPathsStayBoundedAndExactAtTheEnds()
{
    const auto rosenbrock = analytic(AnalyticKind::Rosenbrock);
    const QList<StepRecord> records = descent(rosenbrock, Vec2(-1.5, 2), 1e-3, 100000);
    QCOMPARE(records.size(), 100001);
    SurfaceView view;
    view.setObjective(rosenbrock, {-2, 2, -1, 3}, "x", "y");
    view.addRun(0, "GD", runColor(0));
    view.addRun(1, "GD in one go", runColor(1));
    view.restartPath(0, records.first());
    view.restartPath(1, records.first());
    for (qsizetype k = 1; k < records.size(); k += 997) // as the engine reports: in batches
        view.appendSteps(0, records.mid(k, 997));
    view.appendSteps(1, records.mid(1));

    for (const char *name : {"path:0", "path:1"}) {
        auto *path = child<QCPCurve>(view, name);
        QVERIFY(path->dataCount() > 1000);
        QVERIFY(path->dataCount() < 10000);
        // Every point drawn is a step of the run, at its step number; the first and the last are there.
        const auto first = path->data()->constBegin(), last = path->data()->constEnd() - 1;
        QCOMPARE(first->t, 0.0);
        QCOMPARE(last->t, 100000.0);
        for (auto it = first; it != path->data()->constEnd(); ++it) {
            const StepRecord &record = records[qsizetype(it->t)];
            QVERIFY(it->key == record.theta.x() && it->value == record.theta.y());
        }
        // And the drawn line keeps the run's shape: every step lies within 0.2% of the view (2 px of a
        // 1000 px plot) of the drawn segment that spans it.
        double worst = 0;
        for (auto it = first; it != last; ++it) {
            const Vec2 a(it->key, it->value), b((it + 1)->key, (it + 1)->value);
            for (qsizetype k = qsizetype(it->t) + 1; k < qsizetype((it + 1)->t); ++k) {
                const Vec2 p = records[k].theta;
                const double t = (b - a).squaredNorm() > 0 ? std::clamp((p - a).dot(b - a) / (b - a).squaredNorm(), 0.0, 1.0) : 0.0;
                worst = std::max(worst, (a + t * (b - a) - p).norm());
            }
        }
        QVERIFY2(worst < 0.002 * 4, qPrintable(QString("%1 off the path").arg(worst)));
    }
    auto *current = child<QCPCurve>(view, "current:0");
    QCOMPARE(current->data()->constBegin()->key, records.last().theta.x());
    QCOMPARE(current->data()->constBegin()->value, records.last().theta.y());
}

void TestSurfaceView::runsCanBeHiddenRecolouredAndRemoved()
{
    const auto quadratic = analytic(AnalyticKind::Quadratic);
    const QList<StepRecord> records = descent(quadratic, Vec2(1, 1), 0.05, 3);
    SurfaceView view;
    view.setObjective(quadratic, {-2, 2, -2, 2}, "x", "y");
    view.addRun(3, "A", runColor(0));
    view.addRun(4, "B", runColor(1));
    view.restartPath(3, records.first());
    view.appendSteps(3, records.mid(1));

    view.setRunVisible(3, false);
    QVERIFY(!child<QCPCurve>(view, "path:3")->visible());
    QVERIFY(!child<QCPCurve>(view, "current:3")->visible());
    QVERIFY(child<QCPCurve>(view, "path:4")->visible());
    view.setRunVisible(3, true);
    QVERIFY(child<QCPCurve>(view, "path:3")->visible());

    view.setRunColor(3, runColor(2));
    QCOMPARE(child<QCPCurve>(view, "path:3")->pen().color(), runColor(2));

    view.removeRun(3);
    QVERIFY(!child<QCPCurve>(view, "path:3"));
    QVERIFY(child<QCPCurve>(view, "path:4"));
    view.appendSteps(3, records); // an unknown run: ignored
    view.clearRuns();
    QVERIFY(!child<QCPCurve>(view, "path:4"));
    QVERIFY(view.plot()->legend == nullptr || !view.plot()->legend->visible());
}

void TestSurfaceView::fontChangesReachTheAxes()
{
    SurfaceView view;
    QFont font = view.font();
    font.setPointSizeF(20);
    view.setFont(font);
    QCOMPARE(view.plot()->xAxis->tickLabelFont().pointSizeF(), 20.0);
    QVERIFY(view.plot()->yAxis->labelFont().pointSizeF() > 20.0);
    font.setPointSizeF(6); // never below a size a classroom can read
    view.setFont(font);
    QVERIFY(view.plot()->xAxis->tickLabelFont().pointSizeF() >= 11.0);
}

void TestSurfaceView::drawsAPicture()
{
    const auto rosenbrock = analytic(AnalyticKind::Rosenbrock);
    SurfaceView view;
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setObjective(rosenbrock, {-2, 2, -1, 3}, "x", "y");
    view.addRun(0, "GD", runColor(0));
    const QList<StepRecord> records = descent(rosenbrock, Vec2(-1.5, 2), 1e-3, 300);
    view.restartPath(0, records.first());
    view.appendSteps(0, records.mid(1));
    QTRY_VERIFY_WITH_TIMEOUT(view.isSurfaceComplete(), kSurfaceTimeout);
    view.plot()->replot();
    const QImage image = view.grab().toImage();
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 200, qPrintable(QString::number(colours.size())));
    // The path is drawn in its colour.
    const QPoint mid = pixelOf(view, records[150].theta.x(), records[150].theta.y());
    bool found = false;
    for (int dy = -3; dy <= 3 && !found; ++dy)
        for (int dx = -3; dx <= 3 && !found; ++dx)
            found = image.pixelColor(view.plot()->mapTo(&view, mid + QPoint(dx, dy))) == runColor(0);
    QVERIFY(found);
}

void TestSurfaceView::destroyingWhileComputingIsSafe()
{
    // A costly objective: the task must stop within a row and release its copy of the objective.
    ExpressionError error;
    auto expression = Expression::parse("sin(x*y) + cos(x) + sin(x + y) + cos(y * x * x) + sqrt(abs(x*y))", &error);
    QVERIFY(expression);
    auto objective = std::make_shared<const ExpressionObjective>(*expression, ViewWindow{-3, 3, -3, 3});
    for (int k = 0; k < 5; ++k) {
        auto view = std::make_unique<SurfaceView>();
        view->setObjective(objective, {-3, 3, -3, 3}, "x", "y");
        if (k % 2)
            view->setViewWindow({-1, 1, -1, 1});
        QCoreApplication::processEvents();
        view.reset();
        QCOMPARE(objective.use_count(), 1L);
    }
}

QTEST_MAIN(TestSurfaceView)
#include "tst_surfaceview.moc"
