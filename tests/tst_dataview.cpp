// The data view against the data and parameters given here: the model curve is w*x + b (or its sigmoid)
// at every drawn point, every drawn sample is a real sample (all of them for small data, a bounded
// subsample for a million), and no data clears the view.

#include "DataView.h"

#include <qcustomplot.h>

#include <QSet>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

using namespace gdviz;

class TestDataView : public QObject {
    Q_OBJECT
private slots:
    void linearModelIsTheLine();
    void logisticModelIsTheSigmoid();
    void smallDataIsDrawnWhole_data();
    void smallDataIsDrawnWhole();
    void largeDataIsSubsampled();
    void noDataClearsTheView();
    void removeRunRemovesItsCurve();
    void fontChangeReachesTheAxes();
    void grabIsNotBlank();
};

namespace {

std::shared_ptr<const DataSet> linearData(std::size_t n, std::uint64_t seed = 1)
{
    DataGeneratorSettings s;
    s.n = n;
    s.seed = seed;
    return std::make_shared<const DataSet>(generateLinearData(s));
}

std::shared_ptr<const DataSet> logisticData(std::size_t n)
{
    DataGeneratorSettings s;
    s.n = n;
    s.seed = 3;
    return std::make_shared<const DataSet>(generateLogisticData(s));
}

QCPGraph *graphNamed(QCustomPlot *plot, const QString &name)
{
    for (int i = 0; i < plot->graphCount(); ++i)
        if (plot->graph(i)->objectName() == name)
            return plot->graph(i);
    return nullptr;
}

std::vector<std::pair<double, double>> drawnSamples(QCustomPlot *plot)
{
    std::vector<std::pair<double, double>> points;
    for (int i = 0; i < plot->graphCount(); ++i)
        if (plot->graph(i)->objectName().startsWith(QStringLiteral("data")))
            for (const QCPGraphData &p : *plot->graph(i)->data())
                points.emplace_back(p.key, p.value);
    return points;
}

std::vector<std::pair<double, double>> samples(const DataSet &data)
{
    std::vector<std::pair<double, double>> points;
    for (std::size_t i = 0; i < data.size(); ++i)
        points.emplace_back(data.x[i], data.y[i]);
    std::sort(points.begin(), points.end());
    return points;
}

} // namespace

void TestDataView::linearModelIsTheLine()
{
    DataView view;
    const auto data = linearData(50);
    view.setData(data, false);
    view.addRun(4, QStringLiteral("BGD"), Qt::blue);
    QCPGraph *model = graphNamed(view.plot(), QStringLiteral("model/4"));
    QVERIFY(model);
    QCOMPARE(model->data()->size(), 0); // no parameters yet

    const double w = 1.5, b = -0.5;
    view.setModel(4, Vec2(w, b));
    QVERIFY(model->data()->size() >= 2);
    for (const QCPGraphData &p : *model->data())
        QVERIFY(std::abs(p.value - (w * p.key + b)) <= 1e-12 * (1 + std::abs(p.value)));
    // Drawn over the whole data range.
    const auto [xMin, xMax] = std::minmax_element(data->x.begin(), data->x.end());
    QVERIFY(model->data()->at(0)->key <= *xMin);
    QVERIFY(model->data()->at(model->data()->size() - 1)->key >= *xMax);
    QCOMPARE(model->pen().color(), QColor(Qt::blue));
    QCOMPARE(view.plot()->yAxis->label(), QStringLiteral("y"));
    QVERIFY(!view.plot()->legend->visible());
}

void TestDataView::logisticModelIsTheSigmoid()
{
    DataView view;
    view.setData(logisticData(200), true);
    view.addRun(0, QStringLiteral("SGD"), Qt::red);
    const double w = 2.0, b = 0.3;
    view.setModel(0, Vec2(w, b));
    QCPGraph *model = graphNamed(view.plot(), QStringLiteral("model/0"));
    QVERIFY(model->data()->size() > 50); // smooth
    for (const QCPGraphData &p : *model->data())
        QVERIFY(std::abs(p.value - 1.0 / (1.0 + std::exp(-(w * p.key + b)))) <= 1e-12);
    QCOMPARE(view.plot()->yAxis->label(), QStringLiteral("P(label = 1)"));
    QVERIFY(view.plot()->yAxis->range().contains(0.0) && view.plot()->yAxis->range().contains(1.0));
    auto *half = view.plot()->findChild<QCPItemStraightLine *>(QStringLiteral("half"));
    QVERIFY(half && half->visible());
    QCOMPARE(half->point1->coords().y(), 0.5);

    // A steep model does not overflow.
    view.setModel(0, Vec2(1e6, 0));
    for (const QCPGraphData &p : *model->data())
        QVERIFY(p.value >= 0 && p.value <= 1);
}

void TestDataView::smallDataIsDrawnWhole_data()
{
    QTest::addColumn<bool>("logistic");
    QTest::newRow("linear") << false;
    QTest::newRow("logistic") << true;
}

void TestDataView::smallDataIsDrawnWhole()
{
    QFETCH(bool, logistic);
    DataView view;
    const auto data = logistic ? logisticData(300) : linearData(300);
    view.setData(data, logistic);
    auto drawn = drawnSamples(view.plot());
    std::sort(drawn.begin(), drawn.end());
    QVERIFY(drawn == samples(*data));
    if (logistic) { // each class in its own tone
        for (const QCPGraphData &p : *graphNamed(view.plot(), QStringLiteral("data/label0"))->data())
            QCOMPARE(p.value, 0.0);
        for (const QCPGraphData &p : *graphNamed(view.plot(), QStringLiteral("data/label1"))->data())
            QCOMPARE(p.value, 1.0);
    }
}

void TestDataView::largeDataIsSubsampled()
{
    DataView view;
    const auto data = linearData(1000000, 9);
    view.setData(data, false);
    const auto drawn = drawnSamples(view.plot());
    QVERIFY(drawn.size() <= 5000);
    QVERIFY(drawn.size() >= 4000);
    const auto all = samples(*data);
    for (const auto &p : drawn)
        QVERIFY(std::binary_search(all.begin(), all.end(), p));
    // The axes still cover all the data, not just the drawn part.
    const auto [xMin, xMax] = std::minmax_element(data->x.begin(), data->x.end());
    QVERIFY(view.plot()->xAxis->range().lower <= *xMin && view.plot()->xAxis->range().upper >= *xMax);
}

void TestDataView::noDataClearsTheView()
{
    DataView view;
    view.setData(logisticData(100), true);
    view.addRun(0, QStringLiteral("SGD"), Qt::red);
    view.setModel(0, Vec2(1, 0));
    view.setData(nullptr, false);
    QVERIFY(drawnSamples(view.plot()).empty());
    QCOMPARE(graphNamed(view.plot(), QStringLiteral("model/0"))->data()->size(), 0);
    QVERIFY(!view.plot()->findChild<QCPItemStraightLine *>(QStringLiteral("half"))->visible());
    view.setModel(0, Vec2(2, 1)); // still no data: nothing to draw over
    QCOMPARE(graphNamed(view.plot(), QStringLiteral("model/0"))->data()->size(), 0);

    // New data draws the last model again.
    view.setData(linearData(20), false);
    QCOMPARE(graphNamed(view.plot(), QStringLiteral("model/0"))->data()->size(), 2);
    view.setData(std::make_shared<const DataSet>(), false); // empty is no data
    QVERIFY(drawnSamples(view.plot()).empty());
}

void TestDataView::removeRunRemovesItsCurve()
{
    DataView view;
    view.setData(linearData(20), false);
    view.addRun(0, QStringLiteral("A"), Qt::red);
    view.addRun(1, QStringLiteral("B"), Qt::blue);
    view.removeRun(0);
    QVERIFY(!graphNamed(view.plot(), QStringLiteral("model/0")));
    QVERIFY(graphNamed(view.plot(), QStringLiteral("model/1")));
    view.setRunVisible(1, false);
    QVERIFY(!graphNamed(view.plot(), QStringLiteral("model/1"))->visible());
    view.clearRuns();
    QVERIFY(!graphNamed(view.plot(), QStringLiteral("model/1")));
    QCOMPARE(drawnSamples(view.plot()).size(), std::size_t(20));
}

void TestDataView::fontChangeReachesTheAxes()
{
    DataView view;
    QFont font = view.font();
    font.setPointSize(font.pointSize() + 9);
    view.setFont(font);
    QCOMPARE(view.plot()->xAxis->tickLabelFont().pointSize(), font.pointSize());
    QCOMPARE(view.plot()->yAxis->labelFont().pointSize(), font.pointSize());
}

void TestDataView::grabIsNotBlank()
{
    DataView view;
    view.resize(700, 500);
    view.setData(linearData(200), false);
    const QColor colors[] = {QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x9E, 0x73)};
    for (int id = 0; id < 3; ++id) {
        view.addRun(id, QStringLiteral("run %1").arg(id), colors[id]);
        view.setModel(id, Vec2(0.5 + id * 0.7, -1.0 + id * 0.4));
    }
    view.plot()->replot();
    const QImage image = view.grab().toImage();
    QSet<QRgb> distinct;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            distinct.insert(image.pixel(x, y));
    QVERIFY2(distinct.size() > 50, qPrintable(QString::number(distinct.size())));
    for (const QColor &c : colors)
        QVERIFY(distinct.contains(c.rgb()));
}

QTEST_MAIN(TestDataView)
#include "tst_dataview.moc"
