#include "LossView.h"

#include <qcustomplot.h>

#include <QEvent>
#include <QVBoxLayout>

#include <cmath>
#include <functional>
#include <map>
#include <vector>

// Graphs carry object names so tests (and the window) can find them: "loss/<id>" (the full loss, in the
// legend), "batchLoss/<id>" (only for runs whose batch loss differs from the full loss) and "changes/<id>"
// (a diamond where a setting changed). Graph data is rebuilt lazily, once per replot (beforeReplot), from
// the exact per-run records kept here.

namespace gdviz {

namespace {

// A graph gets at most this many points (plus the last one) however long the run: when the kept points
// exceed it, every second one is dropped and the stride for new points doubles.
constexpr std::size_t maxDrawnPoints = 4000;
constexpr double curveWidth = 2.5;
constexpr int batchAlpha = 60;

/// Calls back when the watched widget's font changes (the window's Ctrl++ / Ctrl+- for projectors).
class FontChangeWatcher : public QObject {
public:
    FontChangeWatcher(QWidget *watched, std::function<void()> onChange)
        : QObject(watched)
        , m_onChange(std::move(onChange))
    {
        watched->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::FontChange)
            m_onChange();
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_onChange;
};

/// Logarithmic ticks that stay labelled on narrow ranges, as loss curves near convergence have: over three
/// decades or more, powers of ten (QCPAxisTickerLog); between one and three, 1-2-5 in each decade; within
/// one decade, the linear ticker's readable steps (a log axis is nearly linear there).
class LossLogTicker : public QCPAxisTickerLog {
protected:
    enum class Mode { Powers, OneTwoFive, Linear };

    int getSubTickCount(double tickStep) override
    {
        switch (m_mode) {
        case Mode::Powers: return QCPAxisTickerLog::getSubTickCount(tickStep);
        case Mode::OneTwoFive: return 0;
        case Mode::Linear: return QCPAxisTicker::getSubTickCount(tickStep);
        }
        return 0;
    }

    QVector<double> createTickVector(double tickStep, const QCPRange &range) override
    {
        const double decades = range.lower > 0 ? std::log10(range.upper / range.lower) : 99.0;
        m_mode = decades >= 3 ? Mode::Powers : decades >= 1 ? Mode::OneTwoFive : Mode::Linear;
        if (m_mode == Mode::Powers)
            return QCPAxisTickerLog::createTickVector(tickStep, range);
        if (m_mode == Mode::Linear)
            return QCPAxisTicker::createTickVector(tickStep, range);
        QVector<double> ticks;
        for (int e = int(std::floor(std::log10(range.lower))); e <= int(std::ceil(std::log10(range.upper))); ++e)
            for (double m : {1.0, 2.0, 5.0})
                ticks.append(m * std::pow(10.0, e));
        return ticks; // the caller trims them to the range
    }

private:
    Mode m_mode = Mode::Powers;
};

struct LossRecord {
    long step;
    double epoch;
    double loss;
    double batchLoss;
    bool settingsChanged;
};

/// Whether a batch loss is not just a copy of a full loss (up to rounding).
bool differs(double a, double b)
{
    return std::abs(a - b) > 1e-12 * std::max(std::abs(a), std::abs(b));
}

} // namespace

struct LossView::Private {
    struct RunCurve {
        QString name;
        QColor color;
        bool visible = true;
        std::vector<LossRecord> records; // every record, exact: re-plotted in another unit on demand
        std::vector<std::size_t> shown; // indices drawn: the multiples of stride (and the last record)
        std::vector<std::size_t> changes; // indices of records with settingsChanged
        std::size_t stride = 1;
        bool dirty = true; // graph data behind records
        QCPGraph *full = nullptr;
        QCPGraph *batch = nullptr; // created once the batch loss differs from the full loss
        QCPGraph *marks = nullptr;
    };

    LossView *q;
    QCustomPlot *plot;
    std::map<RunId, RunCurve> runs; // ids are handed out in order, so this is also the legend's order
    std::size_t sampleCount = 0;
    XAxis requestedAxis = XAxis::Updates;
    bool logarithmic = true;
    bool batchVisible = true;
    bool autoRange = true; // false once the user drags or zooms; a double-click sets it again
    bool settingRange = false; // our own range changes, which are not the user's

    // Analytic objectives (sampleCount 0) have no epochs: the view then plots against updates and
    // xAxis() says so, but keeps the requested unit and returns to it when a data objective comes back.
    XAxis effectiveAxis() const { return sampleCount > 0 ? requestedAxis : XAxis::Updates; }
    double xOf(const LossRecord &r) const
    {
        switch (effectiveAxis()) {
        case XAxis::Updates: return double(r.step);
        case XAxis::Epochs: return r.epoch;
        case XAxis::Samples: return std::round(r.epoch * double(sampleCount)); // samples seen, a whole number
        }
        return 0;
    }
    // A log axis cannot show zero or negative losses; nothing shows infinities or NaN (a diverged run).
    bool drawable(double loss) const { return std::isfinite(loss) && (!logarithmic || loss > 0); }

    RunCurve *find(RunId id)
    {
        const auto it = runs.find(id);
        return it == runs.end() ? nullptr : &it->second;
    }
    void replot() { plot->replot(QCustomPlot::rpQueuedReplot); }
    void markAllDirty()
    {
        for (auto &[id, run] : runs)
            run.dirty = true;
    }

    void append(RunId id, RunCurve &run, const StepRecord &s);
    void resetRecords(RunCurve &run);
    void styleRun(RunCurve &run);
    void sync(RunCurve &run);
    void applyAutoRange();
    void applyAxes();
    void applyFonts();
    void rebuildLegend();
};

void LossView::Private::append(RunId id, RunCurve &run, const StepRecord &s)
{
    const std::size_t i = run.records.size();
    run.records.push_back({s.step, s.epoch, s.loss, s.batchLoss, s.settingsChanged});
    if (s.settingsChanged)
        run.changes.push_back(i);
    // Full batches copy the previous record's loss into batchLoss (the loss at the theta the update
    // started from); only stochastic and mini-batch runs have a batch loss worth drawing.
    if (i > 0 && !run.batch && differs(s.batchLoss, s.loss) && differs(s.batchLoss, run.records[i - 1].loss)
        && std::isfinite(s.batchLoss)) {
        run.batch = plot->addGraph();
        run.batch->setObjectName(QStringLiteral("batchLoss/%1").arg(id));
        run.batch->setLayer(QStringLiteral("batch"));
        run.batch->removeFromLegend();
        styleRun(run);
    }
    if (i % run.stride == 0) {
        run.shown.push_back(i);
        if (run.shown.size() > maxDrawnPoints) {
            run.stride *= 2; // keep the multiples of the new stride: every second index, the first included
            std::size_t kept = 0;
            for (std::size_t k = 0; k < run.shown.size(); k += 2)
                run.shown[kept++] = run.shown[k];
            run.shown.resize(kept);
        }
    }
    run.dirty = true;
}

void LossView::Private::resetRecords(RunCurve &run)
{
    run.records.clear();
    run.shown.clear();
    run.changes.clear();
    run.stride = 1;
    run.dirty = true;
    if (run.batch) {
        plot->removeGraph(run.batch);
        run.batch = nullptr;
    }
}

void LossView::Private::styleRun(RunCurve &run)
{
    QPen pen(run.color, curveWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    run.full->setPen(pen);
    run.full->setName(run.name);
    run.full->setVisible(run.visible);
    if (run.batch) {
        QColor faint = run.color;
        faint.setAlpha(batchAlpha);
        run.batch->setPen(QPen(faint, 1.0));
        run.batch->setVisible(run.visible && batchVisible);
    }
    run.marks->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::white, 1.5), run.color, 12));
    run.marks->setVisible(run.visible);
}

void LossView::Private::sync(RunCurve &run)
{
    if (!run.dirty)
        return;
    QVector<QCPGraphData> full, batch, marks;
    full.reserve(int(run.shown.size() + 1));
    auto add = [&](std::size_t i) {
        const LossRecord &r = run.records[i];
        if (drawable(r.loss))
            full.append(QCPGraphData(xOf(r), r.loss));
        // A batch loss is the loss at the theta the update started from: drawn where that theta is, on
        // the previous record's x, so its scatter is around the full loss at the same parameters.
        if (run.batch && i > 0 && drawable(r.batchLoss))
            batch.append(QCPGraphData(xOf(run.records[i - 1]), r.batchLoss));
    };
    for (std::size_t i : run.shown)
        add(i);
    if (!run.records.empty() && run.shown.back() != run.records.size() - 1)
        add(run.records.size() - 1); // the current point is always drawn
    for (std::size_t i : run.changes)
        if (drawable(run.records[i].loss))
            marks.append(QCPGraphData(xOf(run.records[i]), run.records[i].loss));
    run.full->data()->set(full, true);
    if (run.batch)
        run.batch->data()->set(batch, true);
    run.marks->data()->set(marks, true);
    run.dirty = false;
}

void LossView::Private::applyAutoRange()
{
    if (!autoRange)
        return;
    bool any = false;
    QCPRange x(0, 1), y(logarithmic ? 0.1 : 0.0, logarithmic ? 10.0 : 1.0);
    for (auto &[id, run] : runs) {
        if (!run.visible || run.full->data()->isEmpty())
            continue;
        bool found = false;
        const QCPRange keys = run.full->getKeyRange(found);
        const QCPRange values = run.full->getValueRange(found);
        x = any ? QCPRange(std::min(x.lower, keys.lower), std::max(x.upper, keys.upper)) : keys;
        y = any ? QCPRange(std::min(y.lower, values.lower), std::max(y.upper, values.upper)) : values;
        any = true;
    }
    if (x.upper <= x.lower)
        x.upper = x.lower + 1;
    // Headroom above and a little below, so a curve never runs along the frame. The batch loss is left
    // out: a single sample's loss can be far off the full loss, and would squash the curves that matter.
    if (logarithmic) {
        const double decades = any ? std::log10(y.upper / y.lower) : 2.0;
        y = QCPRange(y.lower / std::pow(10.0, 0.04 * decades + 0.02), y.upper * std::pow(10.0, 0.08 * decades + 0.03));
    } else {
        const double span = y.upper > y.lower ? y.upper - y.lower : std::max(std::abs(y.upper), 1e-12);
        y = QCPRange(y.lower - 0.04 * span, y.upper + 0.08 * span);
    }
    settingRange = true;
    plot->xAxis->setRange(x);
    plot->yAxis->setRange(y);
    settingRange = false;
}

void LossView::Private::applyAxes()
{
    static const QString labels[] = {tr("updates"), tr("epochs"), tr("samples seen")};
    plot->xAxis->setLabel(labels[int(effectiveAxis())]);
    plot->yAxis->setLabel(tr("loss (full data)"));
    settingRange = true;
    if (logarithmic) {
        plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
        plot->yAxis->setTicker(QSharedPointer<LossLogTicker>::create());
    } else {
        plot->yAxis->setScaleType(QCPAxis::stLinear);
        plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    settingRange = false;
}

void LossView::Private::applyFonts()
{
    const QFont font = q->font();
    for (QCPAxis *axis : {plot->xAxis, plot->yAxis}) {
        axis->setTickLabelFont(font);
        axis->setLabelFont(font);
    }
    plot->legend->setFont(font);
    const int h = QFontMetrics(font).height();
    plot->legend->setIconSize(2 * h, h);
    replot();
}

void LossView::Private::rebuildLegend()
{
    plot->legend->clearItems();
    for (auto &[id, run] : runs)
        if (run.visible)
            run.full->addToLegend();
    plot->legend->setVisible(plot->legend->itemCount() > 0);
}

LossView::LossView(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->plot = new QCustomPlot(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->plot);

    QCustomPlot *plot = d->plot;
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->addLayer(QStringLiteral("batch"), plot->layer(QStringLiteral("main")), QCustomPlot::limBelow);
    plot->addLayer(QStringLiteral("marks"), plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    const QColor ink(60, 60, 60), frame(150, 150, 150);
    for (QCPAxis *axis : {plot->xAxis, plot->yAxis}) {
        axis->setBasePen(QPen(frame, 1));
        axis->setTickPen(QPen(frame, 1));
        axis->setSubTickPen(QPen(frame, 1));
        axis->setTickLabelColor(ink);
        axis->setLabelColor(ink);
        axis->grid()->setPen(QPen(QColor(0, 0, 0, 28), 1));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plot->legend->setBrush(QColor(255, 255, 255, 200));
    plot->legend->setBorderPen(QPen(QColor(0, 0, 0, 50), 1));
    plot->legend->setTextColor(ink);
    plot->legend->setVisible(false);
    d->applyAxes();
    d->applyFonts();
    d->applyAutoRange();

    auto userRange = [this](const QCPRange &) {
        if (!d->settingRange)
            d->autoRange = false;
    };
    connect(plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, userRange);
    connect(plot->yAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, userRange);
    connect(plot, &QCustomPlot::mouseDoubleClick, this, [this] {
        d->autoRange = true;
        d->replot();
    });
    connect(plot, &QCustomPlot::beforeReplot, this, [this] {
        for (auto &[id, run] : d->runs)
            d->sync(run);
        d->applyAutoRange();
    });
    new FontChangeWatcher(this, [this] { d->applyFonts(); });
}

LossView::~LossView() = default;

QCustomPlot *LossView::plot() const { return d->plot; }

void LossView::setSampleCount(std::size_t sampleCount)
{
    if (sampleCount == d->sampleCount)
        return;
    const XAxis before = xAxis();
    d->sampleCount = sampleCount;
    d->applyAxes();
    d->markAllDirty();
    d->autoRange = true;
    d->replot();
    if (xAxis() != before)
        emit xAxisChanged(xAxis());
}

void LossView::addRun(RunId id, const QString &name, const QColor &color)
{
    if (d->find(id))
        removeRun(id);
    Private::RunCurve &run = d->runs[id];
    run.name = name;
    run.color = color;
    run.full = d->plot->addGraph();
    run.full->setObjectName(QStringLiteral("loss/%1").arg(id));
    run.marks = d->plot->addGraph();
    run.marks->setObjectName(QStringLiteral("changes/%1").arg(id));
    run.marks->setLayer(QStringLiteral("marks"));
    run.marks->setLineStyle(QCPGraph::lsNone);
    run.marks->removeFromLegend();
    d->styleRun(run);
    d->rebuildLegend();
    d->replot();
}

void LossView::removeRun(RunId id)
{
    Private::RunCurve *run = d->find(id);
    if (!run)
        return;
    for (QCPGraph *graph : {run->full, run->batch, run->marks})
        if (graph)
            d->plot->removeGraph(graph);
    d->runs.erase(id);
    d->rebuildLegend();
    d->replot();
}

void LossView::clearRuns()
{
    while (!d->runs.empty())
        removeRun(d->runs.begin()->first);
    d->autoRange = true;
}

void LossView::setRunColor(RunId id, const QColor &color)
{
    if (Private::RunCurve *run = d->find(id)) {
        run->color = color;
        d->styleRun(*run);
        d->replot();
    }
}

void LossView::setRunVisible(RunId id, bool visible)
{
    if (Private::RunCurve *run = d->find(id)) {
        run->visible = visible;
        d->styleRun(*run);
        d->rebuildLegend();
        d->replot();
    }
}

void LossView::restartCurve(RunId id, const StepRecord &start)
{
    if (Private::RunCurve *run = d->find(id)) {
        d->resetRecords(*run);
        d->append(id, *run, start);
        d->replot();
    }
}

void LossView::appendSteps(RunId id, const QList<StepRecord> &steps)
{
    Private::RunCurve *run = d->find(id);
    if (!run || steps.isEmpty())
        return;
    run->records.reserve(run->records.size() + std::size_t(steps.size()));
    for (const StepRecord &s : steps)
        d->append(id, *run, s);
    d->replot();
}

void LossView::setXAxis(XAxis axis)
{
    const XAxis before = xAxis();
    d->requestedAxis = axis;
    if (xAxis() == before)
        return;
    d->applyAxes();
    d->markAllDirty();
    d->autoRange = true; // a range in other units means nothing here
    d->replot();
    emit xAxisChanged(xAxis());
}

LossView::XAxis LossView::xAxis() const { return d->effectiveAxis(); }

void LossView::setLogarithmic(bool logarithmic)
{
    if (logarithmic == d->logarithmic)
        return;
    d->logarithmic = logarithmic;
    d->applyAxes();
    d->markAllDirty(); // which losses are drawable depends on the scale
    d->autoRange = true;
    d->replot();
    emit logarithmicChanged(logarithmic);
}

bool LossView::isLogarithmic() const { return d->logarithmic; }

void LossView::setBatchLossVisible(bool visible)
{
    d->batchVisible = visible;
    for (auto &[id, run] : d->runs)
        d->styleRun(run);
    d->replot();
}

QList<QPointF> LossView::curvePoints(RunId id) const
{
    QList<QPointF> points;
    Private::RunCurve *run = d->find(id);
    if (!run)
        return points;
    d->sync(*run);
    points.reserve(run->full->data()->size());
    for (const QCPGraphData &p : *run->full->data())
        points.append(QPointF(p.key, p.value));
    return points;
}

} // namespace gdviz
