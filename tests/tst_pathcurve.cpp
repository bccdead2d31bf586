// The drawn path while the user pans and zooms: the frames that show the earlier picture moved and scaled
// (instead of stroking the whole path again) put the path where a fresh drawing at the new ranges puts it,
// within one pixel.

#include "PathCurve.h"

#include <QTest>

#include <qcustomplot.h>

#include <cmath>

using namespace gdviz;

class TestPathCurve : public QObject {
    Q_OBJECT
private slots:
    void movedImageMatchesAFreshDrawing_data();
    void movedImageMatchesAFreshDrawing();
    void farMovesShowTheMovedImageUntilTheNewOneIsReady_data();
    void farMovesShowTheMovedImageUntilTheNewOneIsReady();
};

namespace {

/// Pixels the path covers at least half: the pen is pure blue on a white plot.
QImage inkOf(const QImage &picture)
{
    const QImage rgb = picture.convertToFormat(QImage::Format_RGB32);
    QImage ink(rgb.size(), QImage::Format_Grayscale8);
    ink.fill(0);
    for (int y = 0; y < rgb.height(); ++y)
        for (int x = 0; x < rgb.width(); ++x) {
            const QRgb c = rgb.pixel(x, y);
            if (qRed(c) < 128 && qBlue(c) > 200)
                ink.setPixel(x, y, 255);
        }
    return ink;
}

/// How many ink pixels of a have none in b within one pixel (the 3 x 3 block around them).
int unmatched(const QImage &a, const QImage &b)
{
    int count = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            if (!qGray(a.pixel(x, y)))
                continue;
            bool found = false;
            for (int dy = -1; dy <= 1 && !found; ++dy)
                for (int dx = -1; dx <= 1 && !found; ++dx)
                    found = b.valid(x + dx, y + dy) && qGray(b.pixel(x + dx, y + dy));
            count += found ? 0 : 1;
        }
    return count;
}

/// A white 640 x 480 plot of x in [-2, 2], y in [-1, 3], with an empty path in a pure blue pen 3 px wide.
PathCurve *bluePathOn(QCustomPlot &plot)
{
    plot.resize(640, 480);
    plot.setBackground(Qt::white);
    plot.xAxis->setRange(-2, 2);
    plot.yAxis->setRange(-1, 3);
    auto *path = new PathCurve(plot.xAxis, plot.yAxis);
    path->setPen(QPen(Qt::blue, 3));
    path->setAntialiased(true);
    return path;
}

int inkCount(const QImage &ink)
{
    int count = 0;
    for (int y = 0; y < ink.height(); ++y)
        for (int x = 0; x < ink.width(); ++x)
            count += qGray(ink.pixel(x, y)) ? 1 : 0;
    return count;
}

} // namespace

void TestPathCurve::movedImageMatchesAFreshDrawing_data()
{
    QTest::addColumn<double>("dx"); // shift of the x range, in parts of its size
    QTest::addColumn<double>("dy");
    QTest::addColumn<double>("scale"); // new range size / old
    QTest::newRow("pan") << 0.031 << -0.023 << 1.0;
    QTest::newRow("pan far") << -0.37 << 0.29 << 1.0;
    QTest::newRow("zoom in") << 0.0 << 0.0 << 0.87;
    QTest::newRow("zoom out") << 0.0 << 0.0 << 1.3;
    QTest::newRow("zoom in off centre") << 0.05 << 0.04 << 0.93;
}

void TestPathCurve::movedImageMatchesAFreshDrawing()
{
    QFETCH(double, dx);
    QFETCH(double, dy);
    QFETCH(double, scale);
    QCustomPlot plot;
    PathCurve *path = bluePathOn(plot);
    // A spiral into (0.3, 1.1): turns of every size, as a descent that circles its minimum.
    auto at = [](int k) {
        const double t = 0.01 * k, r = 1.6 * std::exp(-0.05 * t);
        return Vec2(0.3 + r * std::cos(t), 1.1 + r * std::sin(3 * t) * 0.8);
    };
    path->restart(at(0));
    for (int k = 1; k <= 6000; ++k)
        path->append(at(k));
    plot.replot();
    QVERIFY(!path->isShowingMovedImage());

    for (QCPAxis *axis : {plot.xAxis, plot.yAxis})
        axis->scaleRange(scale);
    plot.xAxis->moveRange(dx * plot.xAxis->range().size());
    plot.yAxis->moveRange(dy * plot.yAxis->range().size());
    plot.replot();
    QVERIFY(path->isShowingMovedImage()); // this frame is the earlier picture, moved
    const QImage moved = inkOf(plot.grab().toImage());

    QTRY_VERIFY(!path->isShowingMovedImage()); // settled: drawn afresh
    plot.replot();
    const QImage fresh = inkOf(plot.grab().toImage());
    const int total = inkCount(fresh);
    QVERIFY2(total > 2000, qPrintable(QStringLiteral("only %1 path pixels").arg(total)));
    const int missing = unmatched(fresh, moved), extra = unmatched(moved, fresh);
    QVERIFY2(missing <= total / 200 && extra <= total / 200,
             qPrintable(QStringLiteral("%1 of %2 path pixels missing, %3 extra").arg(missing).arg(total).arg(extra)));
}

void TestPathCurve::farMovesShowTheMovedImageUntilTheNewOneIsReady_data()
{
    QTest::addColumn<double>("dx");
    QTest::addColumn<double>("scale");
    QTest::newRow("zoom in threefold") << 0.0 << 1 / 3.0;
    QTest::newRow("zoom out threefold") << 0.0 << 3.0;
    QTest::newRow("pan beyond the image") << 0.6 << 1.0;
}

void TestPathCurve::farMovesShowTheMovedImageUntilTheNewOneIsReady()
{
    // Beyond what the moved image can stand for, the path is stroked afresh on the thread pool: the frame
    // itself still shows the earlier image, moved; the new image arrives by itself (a replot of its own) and
    // then shows what an export, which strokes the path straight onto its picture, shows.
    QFETCH(double, dx);
    QFETCH(double, scale);
    QCustomPlot plot;
    PathCurve *path = bluePathOn(plot);
    path->restart(Vec2(-1.5, 2.5));
    for (int k = 1; k <= 3000; ++k) { // a zig-zag down a valley, as plain GD takes it
        const double t = k / 3000.0;
        path->append(Vec2(-1.5 + 2.5 * t + 0.15 * std::cos(0.5 * k), 2.5 - 3 * t));
    }
    plot.replot();
    for (QCPAxis *axis : {plot.xAxis, plot.yAxis})
        axis->scaleRange(scale);
    plot.xAxis->moveRange(dx * plot.xAxis->range().size());
    plot.replot();
    QVERIFY(path->isShowingMovedImage());
    QTRY_VERIFY(!path->isShowingMovedImage()); // no replot by the test: the new image asked for it
    const QImage screen = inkOf(plot.grab().toImage());
    const QImage exported = inkOf(plot.toPixmap(640, 480, 1.0).toImage());
    const int total = inkCount(exported);
    QVERIFY2(total > 300, qPrintable(QStringLiteral("only %1 path pixels").arg(total)));
    const int missing = unmatched(exported, screen), extra = unmatched(screen, exported);
    QVERIFY2(missing <= total / 200 && extra <= total / 200,
             qPrintable(QStringLiteral("%1 of %2 path pixels missing, %3 extra").arg(missing).arg(total).arg(extra)));
}

QTEST_MAIN(TestPathCurve)
#include "tst_pathcurve.moc"
