// The surface's picture (SurfaceMap: colour map and contour lines, kept as one image on screen): on screen it
// shows what an export draws straight onto its picture; while the user pans or zooms, the earlier image moved
// puts the contour lines where they are (circles of known radius, checked against their closed form, within a
// pixel or two); new cells, new lines or a new size draw it afresh.

#include "AnalyticFunctions.h"
#include "SurfaceColorScale.h"
#include "SurfaceComputation.h"
#include "SurfaceMap.h"

#include <QSignalSpy>

#include <QTest>

#include <qcustomplot.h>

#include <cmath>
#include <numbers>

using namespace gdviz;

class TestSurfaceMap : public QObject {
    Q_OBJECT
private slots:
    void screenShowsWhatAnExportDraws();
    void movedImagePutsTheLinesWhereTheyAre_data();
    void movedImagePutsTheLinesWhereTheyAre();
    void newCellsLinesOrSizeDrawAfresh();
    void cellsColouredOffTheGuiThreadLookAsQCPColorMapColoursThem_data();
    void cellsColouredOffTheGuiThreadLookAsQCPColorMapColoursThem();
    void pictureDrawnOffTheGuiThreadIsWhatTheFrameWouldDraw();
};

namespace {

constexpr double kRadii[] = {0.5, 1.0, 1.5};
const QPointF kCentre(0.3, 1.1);

/// The plot replotted and grabbed: what the screen shows.
QImage onScreen(QCustomPlot &plot)
{
    plot.replot();
    return plot.grab().toImage().convertToFormat(QImage::Format_RGB32);
}

/// Gives map the cells of layers (a copy of its own) on their colour scale, and with coloured, that image as the
/// cells coloured off the GUI thread (SurfaceMap::setColouredCells()).
void setCellsOf(SurfaceMap *map, const SurfaceLayers &layers, const QImage *coloured)
{
    const QCPAxis::ScaleType scale = layers.logScale ? QCPAxis::stLogarithmic : QCPAxis::stLinear;
    map->setData(new QCPColorMapData(*layers.cells), false);
    map->setDataScaleType(scale);
    map->setDataRange(layers.colorRange);
    if (coloured)
        map->setColouredCells(*coloured, map->data(), layers.colorRange, scale, surfaceGradient());
}

/// A plot of 640 x 480 showing x in [-2, 2], y in [-1, 3], with a SurfaceMap whose cells hold value(x, y) on a
/// grey scale (0 black, 1 white) and whose lines are circles about kCentre of radii kRadii, in pure blue.
struct Fixture {
    QCustomPlot plot;
    SurfaceMap *map = nullptr;

    template <typename Value>
    explicit Fixture(Value value)
    {
        plot.resize(640, 480);
        plot.setBackground(Qt::white);
        plot.xAxis->setRange(-2, 2);
        plot.yAxis->setRange(-1, 3);
        map = new SurfaceMap(plot.xAxis, plot.yAxis);
        setCells(value);
        map->setGradient(QCPColorGradient::gpGrayscale);
        map->setDataRange(QCPRange(0, 1));
        map->setInterpolate(true);
        QVector<QPolygonF> circles;
        for (double r : kRadii) {
            QPolygonF &circle = circles.emplace_back();
            for (int k = 0; k <= 720; ++k) {
                const double a = 2 * std::numbers::pi * k / 720;
                circle.append(QPointF(kCentre.x() + r * std::cos(a), kCentre.y() + r * std::sin(a)));
            }
        }
        map->setContours(circles);
        map->setContourPen(QPen(Qt::blue, 2));
    }

    template <typename Value>
    void setCells(Value value)
    {
        auto *cells = new QCPColorMapData(200, 200, QCPRange(-2, 2), QCPRange(-1, 3));
        for (int i = 0; i < 200; ++i)
            for (int j = 0; j < 200; ++j) {
                double x, y;
                cells->cellToCoord(i, j, &x, &y);
                cells->setCell(i, j, value(x, y));
            }
        map->setData(cells, false);
    }

    QImage onScreen() { return ::onScreen(plot); }
};

bool isInk(QRgb c)
{
    return qBlue(c) > 160 && qRed(c) < 120 && qGreen(c) < 120;
}

/// The distance in pixels from pixel (px, py) to the nearest circle, measured through the axes' ranges. (Pixel
/// (px, py) spans [px, px + 1) x [py, py + 1); QCPPainter draws antialiased lines half a pixel down and right of
/// coordToPixel(), so the pixel's centre is px + 0.5 - 0.5 in coordToPixel's terms.)
double pixelsFromCircles(const QCustomPlot &plot, int px, int py)
{
    const double x = plot.xAxis->pixelToCoord(px), y = plot.yAxis->pixelToCoord(py);
    const double perPixelX = plot.xAxis->range().size() / plot.axisRect()->width();
    const double perPixelY = plot.yAxis->range().size() / plot.axisRect()->height();
    const double dx = (x - kCentre.x()) / perPixelX, dy = (y - kCentre.y()) / perPixelY; // in pixels
    double best = 1e9;
    for (double r : kRadii) { // the circle in pixels is an ellipse of semi-axes r / perPixel; near enough to
        const double rx = r / perPixelX, ry = r / perPixelY; // it, its distance is |d - r| along the radius
        const double angle = std::atan2(dy / ry, dx / rx);
        const double ex = rx * std::cos(angle), ey = ry * std::sin(angle);
        best = std::min(best, std::hypot(dx - ex, dy - ey));
    }
    return best;
}

/// Counts ink pixels farther than tolerance from every circle, and the points along the circles (inside the
/// axis rect) with no ink within tolerance.
void checkLines(const QCustomPlot &plot, const QImage &image, double tolerance, int &stray, int &missing, int &checked)
{
    stray = missing = checked = 0;
    const QRect rect = plot.axisRect()->rect().adjusted(2, 2, -2, -2);
    for (int py = rect.top(); py <= rect.bottom(); ++py)
        for (int px = rect.left(); px <= rect.right(); ++px)
            if (isInk(image.pixel(px, py)) && pixelsFromCircles(plot, px, py) > tolerance)
                ++stray;
    const int reach = int(std::ceil(tolerance));
    for (double r : kRadii)
        for (int k = 0; k < 360; ++k) {
            const double a = 2 * std::numbers::pi * k / 360;
            const QPoint p(int(plot.xAxis->coordToPixel(kCentre.x() + r * std::cos(a))),
                           int(plot.yAxis->coordToPixel(kCentre.y() + r * std::sin(a))));
            if (!rect.adjusted(reach, reach, -reach, -reach).contains(p))
                continue;
            ++checked;
            bool found = false;
            for (int dy = -reach; dy <= reach && !found; ++dy)
                for (int dx = -reach; dx <= reach && !found; ++dx)
                    found = isInk(image.pixel(p.x() + dx, p.y() + dy));
            missing += found ? 0 : 1;
        }
}

/// The largest difference of a colour channel between a and b inside rect.
int largestDifference(const QImage &a, const QImage &b, const QRect &rect)
{
    int largest = 0;
    for (int y = rect.top(); y <= rect.bottom(); ++y)
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            largest = std::max({largest, std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)),
                                std::abs(qBlue(p) - qBlue(q))});
        }
    return largest;
}

double ramp(double x, double y)
{
    return std::clamp(0.25 * (x + 2) + 0.1 * (y + 1) * 0.5, 0.0, 1.0);
}

} // namespace

void TestSurfaceMap::screenShowsWhatAnExportDraws()
{
    Fixture f(ramp);
    const QImage screen = f.onScreen();
    QVERIFY(!f.map->isShowingMovedImage());
    const QImage exported = f.plot.toPixmap(640, 480, 1.0).toImage().convertToFormat(QImage::Format_RGB32);
    QCOMPARE(screen.size(), exported.size());
    const QRect inside = f.plot.axisRect()->rect().adjusted(1, 0, -1, -1); // inside the axes' lines
    QCOMPARE(largestDifference(screen, exported, inside), 0);
    // And both show the ramp: grey rising to the right, and the three circles.
    const int y = inside.center().y();
    QVERIFY(qGray(screen.pixel(inside.left() + 3, y)) + 60 < qGray(screen.pixel(inside.right() - 3, y)));
    int stray, missing, checked;
    checkLines(f.plot, screen, 1.5, stray, missing, checked);
    QVERIFY2(checked > 500 && stray == 0 && missing == 0,
             qPrintable(QStringLiteral("%1 stray ink pixels, %2 of %3 circle points without ink").arg(stray).arg(missing).arg(checked)));
}

void TestSurfaceMap::movedImagePutsTheLinesWhereTheyAre_data()
{
    QTest::addColumn<double>("dx"); // shift of the x range, in parts of its size
    QTest::addColumn<double>("dy");
    QTest::addColumn<double>("scale"); // new range size / old
    QTest::addColumn<double>("tolerance"); // pixels: the line is 2 px wide, and a zoom in widens it
    // Tolerances: half the width of the line, its antialiased edge, and half a pixel (a pan moves the image by
    // whole pixels); a zoom in widens the line by 1 / scale.
    QTest::newRow("pan") << 0.031 << -0.023 << 1.0 << 2.0;
    QTest::newRow("pan far") << -0.27 << 0.19 << 1.0 << 2.0;
    QTest::newRow("zoom in") << 0.0 << 0.0 << 0.8 << 2.5;
    QTest::newRow("zoom out") << 0.0 << 0.0 << 1.4 << 2.0;
    QTest::newRow("zoom in off centre") << 0.05 << 0.04 << 0.9 << 2.5;
}

void TestSurfaceMap::movedImagePutsTheLinesWhereTheyAre()
{
    QFETCH(double, dx);
    QFETCH(double, dy);
    QFETCH(double, scale);
    QFETCH(double, tolerance);
    Fixture f([](double, double) { return 1.0; }); // white: the lines alone
    f.onScreen();
    for (QCPAxis *axis : {f.plot.xAxis, f.plot.yAxis})
        axis->scaleRange(scale);
    f.plot.xAxis->moveRange(dx * f.plot.xAxis->range().size());
    f.plot.yAxis->moveRange(dy * f.plot.yAxis->range().size());
    const QImage moved = f.onScreen();
    QVERIFY(f.map->isShowingMovedImage()); // the earlier picture, moved: nothing drawn afresh
    int stray, missing, checked;
    checkLines(f.plot, moved, tolerance, stray, missing, checked);
    // The circles lie inside the earlier view, so every part of them in today's view is in the moved image.
    QVERIFY2(checked > 300 && stray == 0 && missing == 0,
             qPrintable(QStringLiteral("%1 stray ink pixels, %2 of %3 circle points without ink").arg(stray).arg(missing).arg(checked)));
}

void TestSurfaceMap::newCellsLinesOrSizeDrawAfresh()
{
    Fixture f(ramp);
    f.onScreen();
    f.plot.xAxis->moveRange(0.1);
    f.onScreen();
    QVERIFY(f.map->isShowingMovedImage());

    // New cells for the new view: drawn afresh, and what is drawn is the new cells (black).
    f.setCells([](double, double) { return 0.0; });
    QImage screen = f.onScreen();
    QVERIFY(!f.map->isShowingMovedImage());
    const QPoint inside = f.plot.axisRect()->rect().center() + QPoint(0, 7);
    QVERIFY2(qGray(screen.pixel(inside)) < 10, qPrintable(QString::number(qGray(screen.pixel(inside)))));

    // New lines: the old circles are gone.
    f.plot.xAxis->moveRange(-0.1);
    f.onScreen();
    f.map->setContours({});
    screen = f.onScreen();
    QVERIFY(!f.map->isShowingMovedImage());
    int stray, missing, checked;
    checkLines(f.plot, screen, 1.5, stray, missing, checked);
    QCOMPARE(missing, checked);

    // A new data range, exported before the screen is drawn again: the screen still shows the new colours.
    f.setCells(ramp);
    f.onScreen();
    f.map->setDataRange(QCPRange(0, 4));
    const QImage exportedFirst = f.plot.toPixmap(640, 480, 1.0).toImage().convertToFormat(QImage::Format_RGB32);
    screen = f.onScreen();
    QVERIFY(!f.map->isShowingMovedImage());
    QCOMPARE(largestDifference(screen, exportedFirst, f.plot.axisRect()->rect().adjusted(1, 0, -1, -1)), 0);

    // A new size, same ranges: drawn afresh at it, not stretched.
    f.plot.resize(500, 400);
    screen = f.onScreen();
    QVERIFY(!f.map->isShowingMovedImage());
    const QImage exported = f.plot.toPixmap(500, 400, 1.0).toImage().convertToFormat(QImage::Format_RGB32);
    QCOMPARE(largestDifference(screen, exported, f.plot.axisRect()->rect().adjusted(1, 0, -1, -1)), 0);
}

void TestSurfaceMap::cellsColouredOffTheGuiThreadLookAsQCPColorMapColoursThem_data()
{
    QTest::addColumn<QString>("function");
    QTest::addColumn<bool>("logScale");
    QTest::newRow("rosenbrock (log scale)") << QStringLiteral("rosenbrock") << true;
    QTest::newRow("rastrigin (linear scale)") << QStringLiteral("rastrigin") << false;
    QTest::newRow("saddle (linear scale)") << QStringLiteral("saddle") << false;
}

void TestSurfaceMap::cellsColouredOffTheGuiThreadLookAsQCPColorMapColoursThem()
{
    // The fine surface as SurfaceView gets it, drawn twice: once coloured by QCPColorMap itself, once from the
    // image SurfaceComputation coloured on its thread. The pictures are the same pixel for pixel.
    QFETCH(QString, function);
    QFETCH(bool, logScale);
    const auto *info = findAnalyticFunction(function.toStdString());
    QVERIFY(info);
    auto objective = std::make_shared<const AnalyticObjective>(info->kind, std::map<std::string, double>{});
    SurfaceComputation computation;
    std::shared_ptr<const SurfaceLayers> fine, coarse;
    connect(&computation, &SurfaceComputation::surfaceComputed, this,
            [&](const std::shared_ptr<const SurfaceLayers> &layers) { (layers->fine ? fine : coarse) = layers; });
    computation.request(objective, objective->defaultView(), QSize(300, 260), 12);
    QTRY_VERIFY(fine && coarse);
    QCOMPARE(fine->logScale, logScale);

    auto picture = [](const SurfaceLayers &layers, const QImage *coloured) {
        QCustomPlot plot;
        plot.resize(500, 420);
        plot.xAxis->setRange(layers.window.xMin, layers.window.xMax);
        plot.yAxis->setRange(layers.window.yMin, layers.window.yMax);
        auto *map = new SurfaceMap(plot.xAxis, plot.yAxis);
        map->setInterpolate(true);
        map->setGradient(surfaceGradient());
        setCellsOf(map, layers, coloured);
        return onScreen(plot);
    };
    const QImage own = picture(*fine, nullptr), offThread = picture(*fine, &fine->cellImage);
    QCOMPARE(offThread.size(), own.size());
    QVERIFY(own == offThread);
    // The coarse grid's image comes blown up 8 times (smoothly, so that the GUI thread does not scale 64 x 64
    // up to the plot): the same picture up to the interpolation's rounding.
    QCOMPARE(coarse->cellImage.size(), QSize(8 * coarse->grid.nx, 8 * coarse->grid.ny));
    const QImage coarseOwn = picture(*coarse, nullptr), coarseOffThread = picture(*coarse, &coarse->cellImage);
    const int coarseDifference = largestDifference(coarseOwn, coarseOffThread, coarseOwn.rect().adjusted(30, 30, -30, -30));
    QVERIFY2(coarseDifference <= 3, qPrintable(QString::number(coarseDifference)));

    // The image is really what is drawn (so that the comparison above means something): a red one shows red.
    QImage red(fine->cellImage.size(), QImage::Format_ARGB32_Premultiplied);
    red.fill(Qt::red);
    const QImage redPicture = picture(*fine, &red);
    const QRgb middle = redPicture.pixel(redPicture.width() / 2, redPicture.height() / 2);
    QVERIFY2(qRed(middle) > 240 && qGreen(middle) < 15, qPrintable(QString::number(middle, 16)));
}

void TestSurfaceMap::pictureDrawnOffTheGuiThreadIsWhatTheFrameWouldDraw()
{
    // SurfaceComputation draws the picture for the plot's axis rect at the requested view. Shown through
    // setPicture(), the frame is the same, pixel for pixel, as the frame that draws the picture itself; moved, it
    // is moved as a frame's own image is; and the picture is really what the frame shows (a red one shows red).
    const auto *info = findAnalyticFunction("rosenbrock");
    QVERIFY(info);
    auto objective = std::make_shared<const AnalyticObjective>(info->kind, std::map<std::string, double>{});
    const ViewWindow window = objective->defaultView();
    const QPen pen(QColor(0x30, 0x40, 0x48, 110), 1);
    auto makePlot = [&](QCustomPlot &plot) {
        plot.resize(560, 430);
        plot.xAxis->setRange(window.xMin, window.xMax);
        plot.yAxis->setRange(window.yMin, window.yMax);
        auto *map = new SurfaceMap(plot.xAxis, plot.yAxis);
        map->setInterpolate(true);
        map->setGradient(surfaceGradient());
        map->setContourPen(pen);
        plot.grab(); // the hidden widget takes its size: the axis rect is laid out at it
        return map;
    };
    auto show = [](SurfaceMap *map, const SurfaceLayers &layers) {
        setCellsOf(map, layers, &layers.cellImage);
        map->setContours(layers.contours);
    };

    QCustomPlot own, given;
    SurfaceMap *ownMap = makePlot(own), *givenMap = makePlot(given);
    SurfaceComputation computation;
    std::shared_ptr<const SurfaceLayers> fine;
    connect(&computation, &SurfaceComputation::surfaceComputed, this,
            [&](const std::shared_ptr<const SurfaceLayers> &layers) { if (layers->fine) fine = layers; });
    computation.request(objective, window, QSize(320, 320), 12,
                        {given.axisRect()->rect(), given.bufferDevicePixelRatio(), pen});
    QTRY_VERIFY(fine);
    QVERIFY(!fine->picture.isNull());
    QCOMPARE(fine->pictureView.rect, given.axisRect()->rect());

    show(ownMap, *fine);
    show(givenMap, *fine);
    const QRect inside = given.axisRect()->rect().adjusted(1, 0, -1, -1);

    // The picture given is what the frame shows, as it is (a red one shows red).
    QImage red(fine->picture.size(), QImage::Format_ARGB32_Premultiplied);
    red.fill(Qt::red);
    red.setDevicePixelRatio(fine->picture.devicePixelRatio());
    QVERIFY(givenMap->setPicture(red, fine->pictureView));
    const QImage redFrame = onScreen(given);
    QVERIFY(!givenMap->isShowingMovedImage());
    for (const QPoint &p : {inside.topLeft() + QPoint(2, 2), inside.center(), inside.bottomRight() - QPoint(2, 2)}) {
        const QRgb c = redFrame.pixel(p);
        QVERIFY2(qRed(c) > 240 && qGreen(c) < 15, qPrintable(QString::number(c, 16)));
    }

    // The real picture: the same frame, pixel for pixel, as the one that draws the picture itself.
    QVERIFY(givenMap->setPicture(fine->picture, fine->pictureView));
    const QImage ownFrame = onScreen(own), givenFrame = onScreen(given);
    QVERIFY(!givenMap->isShowingMovedImage());
    QCOMPARE(largestDifference(ownFrame, givenFrame, inside), 0);

    // Moved by a pan, both show their image moved, alike.
    for (QCustomPlot *plot : {&own, &given})
        plot->xAxis->moveRange(0.05 * plot->xAxis->range().size());
    const QImage ownMoved = onScreen(own), givenMoved = onScreen(given);
    QVERIFY(givenMap->isShowingMovedImage());
    QCOMPARE(largestDifference(ownMoved, givenMoved, inside), 0);

    // Without coloured cells that stand for the map's own, a picture is refused: the frame draws its own.
    givenMap->setData(new QCPColorMapData(*fine->cells), false);
    QVERIFY(!givenMap->setPicture(red, fine->pictureView));
}

QTEST_MAIN(TestSurfaceMap)
#include "tst_surfacemap.moc"
