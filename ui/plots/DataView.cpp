#include "DataView.h"

#include "PlotStyle.h"

#include <qcustomplot.h>

#include <QEvent>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

// Graphs carry object names so tests can find them: "data" (linear regression samples), "data/label0" and
// "data/label1" (logistic regression samples by class), "model/<id>" (a run's current model).
// No legend: the window's run list names the colours, and a legend box would hide data points.

namespace gdviz {

namespace {

// At most this many samples are drawn: every k-th sample, k = ceil(n / maxDrawnSamples), so a million
// samples draw 5,000 real ones, the same ones on every redraw. Beyond that a scatter is only a blot.
constexpr std::size_t maxDrawnSamples = 5000;
constexpr int sigmoidPoints = 241;
constexpr double curveWidth = 2.5;

/// 1 / (1 + e^-z), without overflow for large |z|.
double sigmoid(double z)
{
    if (z >= 0)
        return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

QCPScatterStyle sampleStyle(const QColor &pen, const QColor &fill)
{
    return QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(pen, 1.2), fill, 7);
}

/// The part of the line y = w x + b over xs that lies within ten spans of ys above and below: a
/// diverged model (w = 1e200) would otherwise hand the painter coordinates so far off the plot that
/// stroking the line stalls the GUI thread. Nothing when the line misses that band or is not finite.
std::optional<std::pair<QPointF, QPointF>> lineInBand(double w, double b, const QCPRange &xs, const QCPRange &ys)
{
    const double lo = ys.lower - 10 * ys.size(), hi = ys.upper + 10 * ys.size();
    double x0 = xs.lower, x1 = xs.upper;
    if (w != 0) { // the x where the line crosses each edge of the band
        const double a = (lo - b) / w, c = (hi - b) / w;
        x0 = std::max(x0, std::min(a, c));
        x1 = std::min(x1, std::max(a, c));
    }
    const double y0 = w * x0 + b, y1 = w * x1 + b;
    if (!(x0 <= x1) || !std::isfinite(y0) || !std::isfinite(y1) || std::max(y0, y1) < lo || std::min(y0, y1) > hi)
        return std::nullopt;
    return std::make_pair(QPointF(x0, std::clamp(y0, lo, hi)), QPointF(x1, std::clamp(y1, lo, hi)));
}

} // namespace

// A QObject to watch the view's font: the window's Ctrl++ / Ctrl+- for projectors.
struct DataView::Private : QObject {
    struct Model {
        QString name;
        QColor color;
        bool visible = true;
        bool hasTheta = false;
        Vec2 theta = Vec2::Zero();
        QCPGraph *graph = nullptr;
    };

    DataView *q = nullptr;
    QCustomPlot *plot = nullptr;
    std::shared_ptr<const DataSet> data; // null or non-empty
    bool logistic = false;
    QCPRange xRange{-1, 1}; // the data's x range with a margin: where models are drawn
    std::vector<QCPGraph *> sampleGraphs;
    QCPGraph *batch = nullptr; // rings around the next update's batch
    QCPItemStraightLine *halfLine = nullptr; // p = 0.5, for logistic regression
    std::map<RunId, Model> runs;

    Model *find(RunId id)
    {
        const auto it = runs.find(id);
        return it == runs.end() ? nullptr : &it->second;
    }
    // A hidden view (analytic objectives have no data) is not redrawn: its paint buffers are empty.
    void replot()
    {
        if (plot->isVisible())
            plot->replot(QCustomPlot::rpQueuedReplot);
    }
    QCPGraph *addSampleGraph(const QString &name, const QColor &pen, const QColor &fill);
    void drawSamples();
    void drawModel(Model &model);
    void applyFonts();
    /// As many x ticks as their labels ("-2.5") have room for: "-3-2-1 0 1" ran together at large text.
    void fitTickCount()
    {
        const int characters = q->width() / QFontMetrics(q->font()).averageCharWidth();
        plot->xAxis->ticker()->setTickCount(std::clamp(characters / 7, 2, 6));
    }
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::FontChange)
            applyFonts();
        if (event->type() == QEvent::FontChange || event->type() == QEvent::Resize)
            fitTickCount();
        return QObject::eventFilter(watched, event);
    }
};

QCPGraph *DataView::Private::addSampleGraph(const QString &name, const QColor &pen, const QColor &fill)
{
    QCPGraph *graph = plot->addGraph();
    graph->setObjectName(name);
    graph->setLayer(QStringLiteral("samples"));
    graph->setLineStyle(QCPGraph::lsNone);
    graph->setScatterStyle(sampleStyle(pen, fill));
    graph->setAdaptiveSampling(false); // draw exactly the chosen samples
    sampleGraphs.push_back(graph);
    return graph;
}

void DataView::Private::drawSamples()
{
    for (QCPGraph *graph : sampleGraphs)
        plot->removeGraph(graph);
    sampleGraphs.clear();
    halfLine->setVisible(false);
    if (!data)
        return;

    // Drawn in the file's units: standardized x (feature scaling) is what the runs see, not what the class reads.
    const std::size_t n = data->size();
    const XScaling &scaling = data->xScaling;
    const auto [xMinScaled, xMaxScaled] = std::minmax_element(data->x.begin(), data->x.end());
    const double xLow = scaling.toFileUnits(*xMinScaled), xHigh = scaling.toFileUnits(*xMaxScaled);
    const double *xMin = &xLow, *xMax = &xHigh;
    const auto [yMin, yMax] = std::minmax_element(data->y.begin(), data->y.end());
    const double xSpan = *xMax > *xMin ? *xMax - *xMin : 1.0;
    xRange = QCPRange(*xMin - 0.05 * xSpan, *xMax + 0.05 * xSpan);

    QCPGraph *label0 = nullptr, *label1 = nullptr;
    if (logistic) {
        // Two neutral tones, so the run colours stay the only colours on the plot: label 1 dark and
        // filled, label 0 a lighter ring (told apart in greyscale and on a washed-out projector too).
        label0 = addSampleGraph(QStringLiteral("data/label0"), QColor(110, 118, 130, 200), QColor(255, 255, 255, 150));
        label1 = addSampleGraph(QStringLiteral("data/label1"), QColor(40, 45, 55, 190), QColor(40, 45, 55, 110));
    } else {
        label1 = addSampleGraph(QStringLiteral("data"), QColor(70, 70, 70, 150), QColor(70, 70, 70, 75));
    }
    const std::size_t k = (n + maxDrawnSamples - 1) / maxDrawnSamples;
    QVector<QCPGraphData> points0, points1;
    points1.reserve(int(n / k + 1));
    for (std::size_t i = 0; i < n; i += k)
        (logistic && data->y[i] < 0.5 ? points0 : points1).append(QCPGraphData(scaling.toFileUnits(data->x[i]), data->y[i]));
    label1->data()->set(points1);
    if (label0)
        label0->data()->set(points0);

    plot->xAxis->setRange(xRange);
    if (logistic) {
        plot->yAxis->setRange(-0.08, 1.08);
        auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
        ticker->setTickStep(0.25);
        plot->yAxis->setTicker(ticker);
        const QString label = data->yName == "y" ? QStringLiteral("label") : QString::fromStdString(data->yName); // 0/1 labels
        plot->yAxis->setLabel(DataView::tr("P(%1 = 1)").arg(label));
        halfLine->setVisible(true);
    } else {
        const double ySpan = *yMax > *yMin ? *yMax - *yMin : 1.0;
        plot->yAxis->setRange(*yMin - 0.08 * ySpan, *yMax + 0.08 * ySpan);
        plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        plot->yAxis->setLabel(QString::fromStdString(data->yName));
    }
    plot->xAxis->setLabel(QString::fromStdString(data->xName));
}

void DataView::Private::drawModel(Model &model)
{
    model.graph->setPen(QPen(model.color, curveWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    model.graph->setName(model.name);
    model.graph->setVisible(model.visible);
    QVector<QCPGraphData> points;
    if (data && model.hasTheta) {
        const Vec2 line = lineInFileUnits(*data, model.theta); // the run's (w, b) on standardized x, in the file's units
        const double w = line[0], b = line[1];
        if (logistic) { // sampled finely enough to look smooth when steep
            for (int i = 0; i < sigmoidPoints; ++i) {
                const double x = xRange.lower + (xRange.upper - xRange.lower) * i / (sigmoidPoints - 1);
                if (const double y = sigmoid(w * x + b); std::isfinite(y))
                    points.append(QCPGraphData(x, y));
            }
        } else if (const auto ends = lineInBand(w, b, xRange, plot->yAxis->range())) {
            points = {QCPGraphData(ends->first.x(), ends->first.y()), QCPGraphData(ends->second.x(), ends->second.y())};
        }
    }
    model.graph->data()->set(points, true);
}

void DataView::Private::applyFonts()
{
    const QFont font = q->font();
    for (QCPAxis *axis : {plot->xAxis, plot->yAxis}) {
        axis->setTickLabelFont(font);
        axis->setLabelFont(font);
    }
    const int h = QFontMetrics(font).height();
    plot->axisRect()->setMinimumMargins(QMargins(0, h / 2, 3 * h / 2, 0)); // room for the last tick label
    replot();
}

DataView::DataView(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->plot = new QCustomPlot(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->plot);

    QCustomPlot *plot = d->plot;
    plot->addLayer(QStringLiteral("samples"), plot->layer(QStringLiteral("main")), QCustomPlot::limBelow);
    applyQuietAxes(plot);
    plot->xAxis->setLabel(tr("x"));
    plot->yAxis->setLabel(tr("y"));

    d->halfLine = new QCPItemStraightLine(plot);
    d->halfLine->setObjectName(QStringLiteral("half"));
    d->halfLine->setLayer(QStringLiteral("samples"));
    d->halfLine->setPen(QPen(QColor(0, 0, 0, 90), 1.5, Qt::DashLine));
    d->halfLine->point1->setCoords(0, 0.5);
    d->halfLine->point2->setCoords(1, 0.5);
    d->halfLine->setVisible(false);

    d->applyFonts();
    installEventFilter(d.get());
}

DataView::~DataView() = default;

QCustomPlot *DataView::plot() const { return d->plot; }

void DataView::setData(std::shared_ptr<const DataSet> data, bool logistic)
{
    d->data = data && data->size() > 0 ? std::move(data) : nullptr;
    d->logistic = logistic;
    d->drawSamples();
    if (d->batch)
        d->batch->data()->clear(); // another data set's indices
    for (auto &[id, model] : d->runs)
        d->drawModel(model);
    d->replot();
}

void DataView::setBatch(const std::vector<SampleIndex> &batch, const QColor &color)
{
    if (!d->batch) {
        d->batch = d->plot->addGraph();
        d->batch->setObjectName(QStringLiteral("batch"));
        d->batch->setLineStyle(QCPGraph::lsNone);
        d->batch->setAdaptiveSampling(false);
    }
    d->batch->setLayer(QStringLiteral("samples"));
    d->batch->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(color, 2), Qt::NoBrush, 11));
    QVector<QCPGraphData> points;
    if (d->data) {
        const std::size_t shown = std::min<std::size_t>(batch.size(), 2000);
        points.reserve(int(shown));
        for (std::size_t i = 0; i < shown; ++i)
            if (batch[i] < d->data->size())
                points.append(QCPGraphData(d->data->xScaling.toFileUnits(d->data->x[batch[i]]), d->data->y[batch[i]]));
    }
    d->batch->data()->set(points, false); // in the batch's order; lsNone draws no line between them
    d->replot();
}

void DataView::addRun(RunId id, const QString &name, const QColor &color)
{
    if (d->find(id))
        removeRun(id);
    Private::Model &model = d->runs[id];
    model.name = name;
    model.color = color;
    model.graph = d->plot->addGraph();
    model.graph->setObjectName(QStringLiteral("model/%1").arg(id));
    d->drawModel(model);
    d->replot();
}

void DataView::removeRun(RunId id)
{
    if (Private::Model *model = d->find(id)) {
        d->plot->removeGraph(model->graph);
        d->runs.erase(id);
        d->replot();
    }
}

void DataView::clearRuns()
{
    for (auto &[id, model] : d->runs)
        d->plot->removeGraph(model.graph);
    d->runs.clear();
    d->replot();
}

void DataView::setRunColor(RunId id, const QColor &color)
{
    if (Private::Model *model = d->find(id)) {
        model->color = color;
        model->graph->setPen(QPen(color, curveWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        d->replot();
    }
}

void DataView::setRunVisible(RunId id, bool visible)
{
    if (Private::Model *model = d->find(id)) {
        model->visible = visible;
        model->graph->setVisible(visible);
        d->replot();
    }
}

void DataView::setModel(RunId id, const Vec2 &theta)
{
    if (Private::Model *model = d->find(id)) {
        model->theta = theta;
        model->hasTheta = true;
        d->drawModel(*model);
        d->replot();
    }
}

} // namespace gdviz
