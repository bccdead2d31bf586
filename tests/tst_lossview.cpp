// The loss curves against records built here: the same losses against updates, epochs and samples seen,
// log scale skipping what it cannot show, the faint batch loss only where it differs from the full loss,
// markers where settings changed, and long runs drawn with a bounded number of points.

#include "LossView.h"

#include <qcustomplot.h>

#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace gdviz;

class TestLossView : public QObject {
    Q_OBJECT
private slots:
    void appendedStepsAreCurvePoints();
    void xAxisReplotsTheSameLosses_data();
    void xAxisReplotsTheSameLosses();
    void analyticObjectivesPlotUpdates();
    void logScaleSkipsWhatItCannotShow();
    void batchLossOnlyWhereItDiffers();
    void lossAboveTheMinimum();
    void longRunsDrawBoundedPoints();
    void zoomingInDrawsEveryRecordInView();
    void longNoisyRunsKeepTheirExtremes();
    void removeRunRemovesItsGraphs();
    void settingsChangeLeavesAMarker();
    void userZoomIsKeptUntilDoubleClick();
    void fontChangeReachesTheAxes();
    void grabIsNotBlank();
};

namespace {

/// A mini-batch run of batchSize samples per update on n samples: loss 10 * 0.9^k, its batch loss the
/// full loss at the previous theta times a wobble (noisy) or exactly that loss (full batch).
QList<StepRecord> makeRecords(int count, long batchSize, std::size_t n, bool noisy)
{
    QList<StepRecord> records;
    for (int k = 0; k < count; ++k) {
        StepRecord r;
        r.step = k;
        r.epoch = double(k * batchSize) / double(n);
        r.loss = 10 * std::pow(0.9, k);
        r.batchLoss = k == 0 ? r.loss : 10 * std::pow(0.9, k - 1) * (noisy ? 1.0 + 0.3 * std::sin(k) : 1.0);
        records.append(r);
    }
    return records;
}

void fill(LossView &view, RunId id, const QList<StepRecord> &records)
{
    view.restartCurve(id, records.first());
    view.appendSteps(id, records.mid(1));
}

QCPGraph *graphNamed(QCustomPlot *plot, const QString &name)
{
    for (int i = 0; i < plot->graphCount(); ++i)
        if (plot->graph(i)->objectName() == name)
            return plot->graph(i);
    return nullptr;
}

} // namespace

void TestLossView::appendedStepsAreCurvePoints()
{
    LossView view;
    view.setSampleCount(100);
    view.addRun(3, QStringLiteral("SGD"), Qt::blue);
    const QList<StepRecord> records = makeRecords(50, 10, 100, false);
    fill(view, 3, records);
    QCOMPARE(view.xAxis(), LossView::XAxis::Updates);
    const QList<QPointF> points = view.curvePoints(3);
    QCOMPARE(points.size(), records.size());
    for (int k = 0; k < records.size(); ++k)
        QCOMPARE(points[k], QPointF(double(records[k].step), records[k].loss));
    QVERIFY(view.curvePoints(99).isEmpty());
}

void TestLossView::xAxisReplotsTheSameLosses_data()
{
    QTest::addColumn<LossView::XAxis>("axis");
    QTest::addColumn<QString>("label");
    QTest::newRow("epochs") << LossView::XAxis::Epochs << QStringLiteral("epochs");
    QTest::newRow("samples") << LossView::XAxis::Samples << QStringLiteral("samples seen");
    QTest::newRow("updates") << LossView::XAxis::Updates << QStringLiteral("updates");
}

void TestLossView::xAxisReplotsTheSameLosses()
{
    QFETCH(LossView::XAxis, axis);
    QFETCH(QString, label);
    const std::size_t n = 70;
    const long batch = 32; // epochs are fractions: 32/70, 64/70, ...
    LossView view;
    view.setSampleCount(n);
    view.addRun(0, QStringLiteral("mini-batch"), Qt::red);
    const QList<StepRecord> records = makeRecords(200, batch, n, true);
    fill(view, 0, records);
    view.setXAxis(LossView::XAxis::Samples == axis ? LossView::XAxis::Epochs : LossView::XAxis::Samples);

    QSignalSpy changed(&view, &LossView::xAxisChanged);
    view.setXAxis(axis);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().value<LossView::XAxis>(), axis);
    view.setXAxis(axis);
    QCOMPARE(changed.size(), 1); // no change, no signal
    QCOMPARE(view.plot()->xAxis->label(), label);

    const QList<QPointF> points = view.curvePoints(0);
    QCOMPARE(points.size(), records.size());
    for (int k = 0; k < records.size(); ++k) {
        const double seen = double(k * batch);
        const double x = axis == LossView::XAxis::Updates ? double(k) : axis == LossView::XAxis::Epochs ? seen / double(n) : seen;
        QCOMPARE(points[k].x(), x);
        QCOMPARE(points[k].y(), records[k].loss);
    }
}

void TestLossView::analyticObjectivesPlotUpdates()
{
    LossView view;
    view.addRun(0, QStringLiteral("GD"), Qt::blue);
    QList<StepRecord> records = makeRecords(20, 1, 1, false);
    for (StepRecord &r : records)
        r.epoch = 0; // analytic objectives have no epochs
    fill(view, 0, records);

    QSignalSpy changed(&view, &LossView::xAxisChanged);
    view.setXAxis(LossView::XAxis::Epochs);
    QCOMPARE(view.xAxis(), LossView::XAxis::Updates);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(view.plot()->xAxis->label(), QStringLiteral("updates"));
    QCOMPARE(view.curvePoints(0).last(), QPointF(19, records.last().loss));

    // A data objective again: the requested unit comes back.
    view.setSampleCount(10);
    QCOMPARE(view.xAxis(), LossView::XAxis::Epochs);
    QCOMPARE(changed.size(), 1);
}

void TestLossView::logScaleSkipsWhatItCannotShow()
{
    // A log axis cannot show a loss <= 0 (the saddle's, the six-hump camel's): the axis turns linear, says
    // why, and every finite loss is drawn; NaN and infinities never are.
    LossView view;
    view.setSampleCount(10);
    QVERIFY(view.isLogarithmic());
    QCOMPARE(view.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    view.addRun(0, QStringLiteral("GD"), Qt::blue);
    QList<StepRecord> records = makeRecords(8, 1, 10, false);
    records[2].loss = 0;
    records[3].loss = -1;
    records[4].loss = std::numeric_limits<double>::quiet_NaN();
    records[5].loss = std::numeric_limits<double>::infinity();
    fill(view, 0, records);
    view.plot()->replot();

    QVERIFY(view.isLogarithmic()); // still what was asked for
    QVERIFY(!view.isLogarithmicShown());
    QCOMPARE(view.plot()->yAxis->scaleType(), QCPAxis::stLinear);
    QVERIFY(view.yAxisLabel().contains(QStringLiteral("linear")));
    QList<double> steps;
    for (const QPointF &p : view.curvePoints(0))
        steps.append(p.x());
    QCOMPARE(steps, (QList<double>{0, 1, 2, 3, 6, 7}));

    QSignalSpy changed(&view, &LossView::logarithmicChanged);
    view.setLogarithmic(false);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().toBool(), false);
    view.plot()->replot();
    QCOMPARE(view.plot()->yAxis->scaleType(), QCPAxis::stLinear);
    QCOMPARE(view.yAxisLabel(), QStringLiteral("loss (full data)")); // linear as asked: nothing to explain

    // Only positive losses again (the run restarted): the log axis asked for comes back.
    view.setLogarithmic(true);
    QCOMPARE(changed.size(), 2);
    fill(view, 0, makeRecords(8, 1, 10, false));
    view.plot()->replot();
    QVERIFY(view.isLogarithmicShown());
    QCOMPARE(view.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(view.plot()->yAxis->range().lower > 0);
}

void TestLossView::lossAboveTheMinimum()
{
    // f - f*: the curve is the loss less the known minimum; without a known minimum, the plain loss.
    LossView view;
    view.addRun(0, QStringLiteral("GD"), Qt::blue);
    const QList<StepRecord> records = makeRecords(10, 1, 10, false);
    fill(view, 0, records);
    view.setAboveMinimum(true);
    QCOMPARE(view.curvePoints(0).back().y(), records.back().loss); // f* unknown
    view.setMinimumValue(1.5);
    const QList<QPointF> points = view.curvePoints(0);
    QCOMPARE(points.size(), records.size());
    for (int i = 0; i < points.size(); ++i)
        QCOMPARE(points[i].y(), records[i].loss - 1.5);
    QVERIFY(view.yAxisLabel().contains(QStringLiteral("f*")));
    view.setAboveMinimum(false);
    QCOMPARE(view.curvePoints(0).back().y(), records.back().loss);
}

void TestLossView::batchLossOnlyWhereItDiffers()
{
    LossView view;
    view.setSampleCount(100);
    view.addRun(0, QStringLiteral("full batch"), Qt::blue);
    view.addRun(1, QStringLiteral("batch = loss"), Qt::green);
    view.addRun(2, QStringLiteral("stochastic"), Qt::red);
    fill(view, 0, makeRecords(30, 100, 100, false)); // batchLoss = the previous loss, as core's full batch
    QList<StepRecord> same = makeRecords(30, 100, 100, false);
    for (StepRecord &r : same)
        r.batchLoss = r.loss;
    fill(view, 1, same);
    fill(view, 2, makeRecords(30, 1, 100, true));
    view.plot()->replot();

    QVERIFY(!graphNamed(view.plot(), QStringLiteral("batchLoss/0")));
    QVERIFY(!graphNamed(view.plot(), QStringLiteral("batchLoss/1")));
    QCPGraph *batch = graphNamed(view.plot(), QStringLiteral("batchLoss/2"));
    QVERIFY(batch);
    // The band: each bucket of 4 updates (at least 4; 29 updates make 8 buckets) from its least to its greatest
    // batch loss, computed here from the records themselves.
    const QList<StepRecord> noisy = makeRecords(30, 1, 100, true);
    QCOMPARE(batch->data()->size(), 8);
    for (int bucket = 0; bucket < 8; ++bucket) {
        double least = 1e300, greatest = -1e300;
        for (int k = 1 + 4 * bucket; k < std::min(30, 5 + 4 * bucket); ++k) {
            least = std::min(least, noisy[k].batchLoss);
            greatest = std::max(greatest, noisy[k].batchLoss);
        }
        QCOMPARE(batch->data()->at(bucket)->value, greatest);
        QCOMPARE(graphNamed(view.plot(), QStringLiteral("batchLossLow/2"))->data()->at(bucket)->value, least);
    }
    QVERIFY(batch->visible());
    QCOMPARE(batch->pen().style(), Qt::NoPen); // a light fill, no outline
    QVERIFY(graphNamed(view.plot(), QStringLiteral("batchLossLow/2"))->brush().color().lightness() > QColor(Qt::red).lightness()); // lighter than the run
    QCPGraph *low = graphNamed(view.plot(), QStringLiteral("batchLossLow/2"));
    QVERIFY(low);
    QCOMPARE(low->channelFillGraph(), batch); // drawn as a band from the least to the greatest batch loss
    for (int i = 0; i < batch->data()->size(); ++i)
        QVERIFY(low->data()->at(i)->value <= batch->data()->at(i)->value);
    // The runs, and one entry for every band.
    QCOMPARE(view.legendNames(), (QStringList{"full batch", "batch = loss", "stochastic", "batch loss (range)"}));

    view.setBatchLossVisible(false);
    QVERIFY(!batch->visible());
    view.setBatchLossVisible(true);
    QVERIFY(batch->visible());

    // Restarted as a full-batch run, it has no batch loss to draw any more.
    view.restartCurve(2, makeRecords(1, 100, 100, false).first());
    QVERIFY(!graphNamed(view.plot(), QStringLiteral("batchLoss/2")));
}

void TestLossView::longRunsDrawBoundedPoints()
{
    LossView view;
    view.setSampleCount(1000);
    view.addRun(0, QStringLiteral("SGD"), Qt::blue);
    const int total = 100001; // step 0 and 100,000 updates
    auto lossAt = [](int k) { return 5.0 / (1.0 + 0.001 * k) + 0.1; };
    QList<StepRecord> chunk;
    for (int k = 0; k < total; ++k) {
        StepRecord r;
        r.step = k;
        r.epoch = double(k) / 1000.0;
        r.loss = r.batchLoss = lossAt(k);
        chunk.append(r);
        if (chunk.size() == 997 || k == total - 1) { // as the engine reports: chunks of steps
            if (k < 997)
                view.restartCurve(0, chunk.takeFirst());
            view.appendSteps(0, chunk);
            chunk.clear();
            QVERIFY(view.curvePoints(0).size() < 10000);
        }
    }
    const QList<QPointF> points = view.curvePoints(0);
    QVERIFY(points.size() < 10000);
    QVERIFY(points.size() > 1000); // bounded, not starved
    QCOMPARE(points.first(), QPointF(0, lossAt(0)));
    QCOMPARE(points.last(), QPointF(total - 1, lossAt(total - 1)));
    for (int i = 0; i < points.size(); ++i) { // every drawn point is a real record, in order
        const int k = int(points[i].x());
        QCOMPARE(points[i].x(), double(k));
        QCOMPARE(points[i].y(), lossAt(k));
        if (i > 0)
            QVERIFY(points[i].x() > points[i - 1].x());
    }
}

void TestLossView::zoomingInDrawsEveryRecordInView()
{
    LossView view;
    view.resize(600, 400);
    view.addRun(0, QStringLiteral("GD"), Qt::blue);
    QList<StepRecord> records;
    for (int k = 0; k <= 100000; ++k) {
        StepRecord r;
        r.step = k;
        r.loss = r.batchLoss = 1.0 + 1.0 / (1 + k);
        records.append(r);
    }
    fill(view, 0, records);
    QVERIFY(view.curvePoints(0).size() < 5000); // decimated while the view follows the data

    view.plot()->xAxis->setRange(1000.5, 1100.5); // the user zooms in on a hundred updates
    view.plot()->replot();
    const QList<QPointF> points = view.curvePoints(0);
    QVERIFY(points.size() < 10000);
    QList<double> inView;
    for (const QPointF &p : points)
        if (p.x() >= 1000 && p.x() <= 1101)
            inView.append(p.x());
    QCOMPARE(inView.size(), 102); // every update from 1000 (just outside, left) to 1101 (right)
    QCOMPARE(inView.first(), 1000.0);
    QCOMPARE(inView.last(), 1101.0);
    QCOMPARE(points.first(), QPointF(0, records.first().loss));
    QCOMPARE(points.last(), QPointF(100000, records.last().loss));
}

void TestLossView::longNoisyRunsKeepTheirExtremes()
{
    // 600,000 updates of a stochastic run: more than the view keeps, so its older records are thinned. The
    // curve still shows the lowest and the highest loss of the whole run, the start and the latest, and only
    // real records.
    LossView view;
    view.addRun(0, QStringLiteral("SGD"), Qt::blue);
    std::mt19937_64 random(3);
    std::normal_distribution<double> noise(0.0, 0.25);
    const long total = 600'000;
    std::vector<double> losses;
    QList<StepRecord> chunk;
    for (long k = 0; k < total; ++k) {
        StepRecord r;
        r.step = k;
        r.loss = r.batchLoss = (3.0 / (1.0 + 1e-4 * double(k)) + 0.5) * std::exp(noise(random));
        losses.push_back(r.loss);
        chunk.append(r);
        if (chunk.size() == 4096 || k == total - 1) {
            if (k < 4096)
                view.restartCurve(0, chunk.takeFirst());
            view.appendSteps(0, chunk);
            chunk.clear();
        }
    }
    const QList<QPointF> points = view.curvePoints(0);
    QVERIFY(points.size() < 10000);
    QCOMPARE(points.first(), QPointF(0, losses.front()));
    QCOMPARE(points.last(), QPointF(double(total - 1), losses.back()));
    const long lowest = long(std::min_element(losses.begin(), losses.end()) - losses.begin());
    const long highest = long(std::max_element(losses.begin(), losses.end()) - losses.begin());
    QVERIFY2(points.contains(QPointF(double(lowest), losses[std::size_t(lowest)])), qPrintable(QString::number(lowest)));
    QVERIFY2(points.contains(QPointF(double(highest), losses[std::size_t(highest)])), qPrintable(QString::number(highest)));
    for (const QPointF &p : points)
        QCOMPARE(p.y(), losses[std::size_t(p.x())]);
}

void TestLossView::removeRunRemovesItsGraphs()
{
    LossView view;
    view.setSampleCount(100);
    view.addRun(0, QStringLiteral("A"), Qt::blue);
    view.addRun(1, QStringLiteral("B"), Qt::red);
    fill(view, 0, makeRecords(10, 1, 100, true));
    fill(view, 1, makeRecords(10, 1, 100, true));
    const int before = view.plot()->graphCount();
    QVERIFY(graphNamed(view.plot(), QStringLiteral("batchLoss/1")));
    view.removeRun(1);
    QCOMPARE(view.plot()->graphCount(), before - 4); // full loss, the batch-loss band's two edges, markers
    for (const QString &name : {QStringLiteral("loss/1"), QStringLiteral("batchLoss/1"), QStringLiteral("changes/1")})
        QVERIFY(!graphNamed(view.plot(), name));
    QVERIFY(view.curvePoints(1).isEmpty());
    QCOMPARE(view.curvePoints(0).size(), 10);
    QCOMPARE(view.legendNames(), (QStringList{"A", "batch loss (range)"}));
    view.clearRuns();
    QCOMPARE(view.plot()->graphCount(), 1); // the band's legend key alone
    QVERIFY(!view.plot()->legend->visible());
}

void TestLossView::settingsChangeLeavesAMarker()
{
    LossView view;
    view.addRun(0, QStringLiteral("GD"), Qt::blue);
    QList<StepRecord> records = makeRecords(20, 1, 10, false);
    records[7].settingsChanged = true;
    fill(view, 0, records);
    view.plot()->replot();
    QCPGraph *marks = graphNamed(view.plot(), QStringLiteral("changes/0"));
    QVERIFY(marks);
    QCOMPARE(marks->data()->size(), 1);
    QCOMPARE(marks->data()->at(0)->key, 7.0);
    QCOMPARE(marks->data()->at(0)->value, records[7].loss);
    QCOMPARE(marks->scatterStyle().shape(), QCPScatterStyle::ssDiamond);
}

void TestLossView::userZoomIsKeptUntilDoubleClick()
{
    LossView view;
    view.resize(600, 400);
    view.addRun(0, QStringLiteral("GD"), Qt::blue);
    fill(view, 0, makeRecords(50, 1, 10, false));
    view.plot()->replot();
    QCOMPARE(view.plot()->xAxis->range().upper, 49.0); // follows the data
    QVERIFY(view.plot()->yAxis->range().upper > 10.0); // with headroom

    view.plot()->xAxis->setRange(5, 20); // as a drag or a wheel zoom does
    view.appendSteps(0, makeRecords(80, 1, 10, false).mid(50));
    view.plot()->replot();
    QCOMPARE(view.plot()->xAxis->range(), QCPRange(5, 20));

    QTest::mouseDClick(view.plot(), Qt::LeftButton, {}, QPoint(300, 200));
    view.plot()->replot();
    QCOMPARE(view.plot()->xAxis->range().upper, 79.0);
}

void TestLossView::fontChangeReachesTheAxes()
{
    LossView view;
    QFont font = view.font();
    font.setPointSize(font.pointSize() + 9);
    view.setFont(font);
    QCOMPARE(view.plot()->xAxis->tickLabelFont().pointSize(), font.pointSize());
    QCOMPARE(view.plot()->yAxis->labelFont().pointSize(), font.pointSize());
    QCOMPARE(view.plot()->legend->font().pointSize(), font.pointSize());
}

void TestLossView::grabIsNotBlank()
{
    LossView view;
    view.resize(800, 500);
    view.setSampleCount(100);
    const QColor colors[] = {QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x9E, 0x73)};
    for (int id = 0; id < 3; ++id) {
        view.addRun(id, QStringLiteral("run %1").arg(id), colors[id]);
        QList<StepRecord> records = makeRecords(200, 1 + 20 * id, 100, id > 0);
        for (StepRecord &r : records)
            r.loss *= 1 + id;
        fill(view, id, records);
    }
    view.plot()->replot();
    const QImage image = view.grab().toImage();
    QSet<QRgb> distinct;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            distinct.insert(image.pixel(x, y));
    QVERIFY2(distinct.size() > 50, qPrintable(QString::number(distinct.size())));
    for (const QColor &c : colors) // each run's colour is there, solid, in the middle of its curve
        QVERIFY(distinct.contains(c.rgb()));
}

QTEST_MAIN(TestLossView)
#include "tst_lossview.moc"
