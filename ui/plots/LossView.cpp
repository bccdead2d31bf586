#include "LossView.h"

#include "LossHistory.h"
#include "PlotStyle.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QEvent>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <cmath>
#include <map>
#include <ranges>
#include <utility>
#include <vector>

// Each run's records (step, epoch, losses, settingsChanged) are kept in a LossHistory, bounded and thinned
// with their extremes kept, so a change of unit or scale re-plots without asking the engine. Graphs are fed
// the history's drawn points (each bucket's least and greatest loss), rebuilt at most once per replot
// (beforeReplot). Graphs are named for tests and the window: "loss/<id>" (full loss, in the
// legend), "batchLoss/<id>" (only where the batch loss differs from the full loss), "changes/<id>".

namespace gdviz {

namespace {

// At most about this many points are drawn per curve (LossHistory: twice its buckets).
constexpr std::size_t maxDrawnPoints = 2 * LossHistory::defaultMaxBuckets;
constexpr double curveWidth = 2.5;
constexpr int batchAlpha = 45; // the batch-loss band: lighter than any curve
constexpr std::size_t bandBuckets = 50; // the band is each run's batch loss, least to greatest, in this many buckets

/// Log ticks that stay labelled on the narrow ranges of converging losses: from three decades up, powers
/// of ten (QCPAxisTickerLog); from one decade, 1-2-5 in each decade; below, the linear ticker's steps.
class LossLogTicker : public QCPAxisTickerLog {
protected:
    int getSubTickCount(double tickStep) override
    {
        return m_decades >= 3 ? QCPAxisTickerLog::getSubTickCount(tickStep)
                              : m_decades >= 1 ? 0 : QCPAxisTicker::getSubTickCount(tickStep);
    }
    QVector<double> createTickVector(double tickStep, const QCPRange &range) override
    {
        m_decades = range.lower > 0 ? std::log10(range.upper / range.lower) : 99.0;
        if (m_decades >= 3)
            return QCPAxisTickerLog::createTickVector(tickStep, range);
        if (m_decades < 1)
            return QCPAxisTicker::createTickVector(tickStep, range);
        QVector<double> ticks; // the caller trims them to the range
        for (int e = int(std::floor(std::log10(range.lower))); e <= int(std::ceil(std::log10(range.upper))); ++e)
            for (double m : {1.0, 2.0, 5.0})
                ticks.append(m * std::pow(10.0, e));
        return ticks;
    }

private:
    double m_decades = 99.0;
};

/// Whether a batch loss is not just a copy of a full loss (up to rounding).
bool differs(double a, double b) { return std::abs(a - b) > 1e-12 * std::max(std::abs(a), std::abs(b)); }

} // namespace

// A QObject to watch the view's font: the window's Ctrl++ / Ctrl+- for projectors.
struct LossView::Private : QObject {
    struct RunCurve {
        QString name;
        QColor color;
        bool visible = true;
        LossHistory history; // in x order
        bool dirty = true; // graph data behind the records
        QCPGraph *full = nullptr, *batch = nullptr, *marks = nullptr; // batch: once it differs
        QCPGraph *batchLow = nullptr; // with batch: the band's lower edge, filled up to batch (its upper edge)
        double leastLoss = std::numeric_limits<double>::infinity(); // of the finite full losses recorded
        std::vector<long> drawnSteps, changeSteps; // the step of each point of full and of marks, for hover
    };

    LossView *q = nullptr;
    QCustomPlot *plot = nullptr;
    std::map<RunId, RunCurve> runs; // ids are handed out in order: this is also the legend's order
    std::size_t sampleCount = 0;
    XAxis requestedAxis = XAxis::Updates;
    double strokeScale = 1; // line widths and marker sizes: larger with larger text
    std::optional<double> minimumValue; // f*, where it is known
    bool aboveMinimum = false; // asked for: the loss above the minimum, f - f*
    double shownOffset() const { return aboveMinimum && minimumValue ? *minimumValue : 0.0; }
    bool logarithmic = true; // asked for (View > Logarithmic loss axis)
    bool shownLogarithmic = true; // drawn: only while every shown loss is positive
    QCPGraph *bandKey = nullptr; // no data: the batch-loss band's legend entry, which switches it
    LossView::RecordDescriber describe;
    bool batchVisible = true;
    bool autoRange = true; // false once the user drags or zooms; a double-click sets it again
    bool settingRange = false; // our own range changes are not the user's

    // Analytic objectives (sampleCount 0) have no epochs: the view then plots against updates and xAxis()
    // says so, but it keeps the requested unit and returns to it when a data objective comes back.
    XAxis effectiveAxis() const { return sampleCount > 0 ? requestedAxis : XAxis::Updates; }
    double xAt(long step, double epoch) const
    {
        switch (effectiveAxis()) {
        case XAxis::Updates: return double(step);
        case XAxis::Epochs: return epoch;
        case XAxis::Samples: return std::round(epoch * double(sampleCount)); // samples seen: a whole number
        }
        return 0;
    }
    double xOf(const LossRecord &r) const { return xAt(r.step, r.epoch); }
    // A log axis cannot show zero or negative losses; no axis shows infinities or NaN (a diverged run).
    bool drawable(double loss) const { return std::isfinite(loss) && (!shownLogarithmic || loss > 0); }
    bool anyLossNotPositive() const
    {
        const double offset = shownOffset();
        return std::ranges::any_of(runs, [offset](const auto &entry) { return entry.second.visible && entry.second.leastLoss - offset <= 0; });
    }
    /// A log axis only while every shown loss is positive: a negative loss (the saddle, the six-hump camel)
    /// would otherwise vanish from the plot as if the run had converged.
    void chooseScale()
    {
        const bool shown = logarithmic && !anyLossNotPositive();
        if (shown == shownLogarithmic)
            return;
        shownLogarithmic = shown;
        applyAxes();
        autoRange = true;
        markAllDirty();
    }
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
    void resetView() // after a change of unit or scale, where an old range means nothing
    {
        applyAxes();
        autoRange = true;
        markAllDirty();
        replot();
    }

    void append(RunId id, RunCurve &run, const StepRecord &s);
    void style(RunCurve &run);
    void restyle(RunCurve &run)
    {
        style(run);
        rebuildLegend();
        replot();
    }
    std::vector<std::size_t> drawnIndices(const RunCurve &run) const;
    void sync(RunCurve &run);
    void applyAutoRange();
    void applyAxes();
    void applyFonts();
    void rebuildLegend();
    void fitLegend();
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Resize)
            fitLegend();
        if (event->type() == QEvent::FontChange) {
            applyFonts();
            fitLegend();
        }
        return QObject::eventFilter(watched, event);
    }
};

void LossView::Private::append(RunId id, RunCurve &run, const StepRecord &s)
{
    // A full batch's batchLoss is the previous record's loss (the loss at the theta the update started
    // from): only stochastic and mini-batch runs have a batch loss worth drawing.
    const bool first = run.history.isEmpty();
    const bool noisy = !first && std::isfinite(s.batchLoss) && differs(s.batchLoss, s.loss)
                       && differs(s.batchLoss, run.history.records().back().loss);
    run.history.append(s);
    if (std::isfinite(s.loss))
        run.leastLoss = std::min(run.leastLoss, s.loss);
    if (!run.batch && noisy) {
        run.batch = plot->addGraph();
        run.batch->setObjectName(QStringLiteral("batchLoss/%1").arg(id));
        run.batchLow = plot->addGraph();
        run.batchLow->setObjectName(QStringLiteral("batchLossLow/%1").arg(id));
        for (QCPGraph *edge : {run.batch, run.batchLow}) {
            edge->setLayer(QStringLiteral("batch"));
            edge->removeFromLegend();
        }
        run.batchLow->setChannelFillGraph(run.batch);
        style(run);
        rebuildLegend();
    }
    run.dirty = true;
}

void LossView::Private::style(RunCurve &run)
{
    // Bevel joins: round ones look the same at this width but cost a Bezier arc per point, twice the time.
    run.full->setPen(QPen(run.color, curveWidth * strokeScale, Qt::SolidLine, Qt::FlatCap, Qt::BevelJoin));
    run.full->setName(run.name);
    run.full->setVisible(run.visible);
    if (run.batch) {
        // Opaque, the run's colour mixed into white: a translucent fill this large cost several ms a frame.
        const double share = batchAlpha / 255.0;
        const QColor faint = QColor::fromRgbF(1 - share * (1 - run.color.redF()), 1 - share * (1 - run.color.greenF()),
                                              1 - share * (1 - run.color.blueF()));
        for (QCPGraph *edge : {run.batch, run.batchLow}) {
            edge->setPen(Qt::NoPen); // a fill without outlines: light under the curves, never spiky lines over them
            edge->setVisible(run.visible && batchVisible);
            edge->setAntialiasedFill(false); // a large translucent polygon: antialiasing its edge cost ~10 ms a frame
        }
        run.batchLow->setBrush(faint);
    }
    run.marks->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::white, 1.5 * strokeScale), run.color, 13 * strokeScale));
    run.marks->setVisible(run.visible);
}

std::vector<std::size_t> LossView::Private::drawnIndices(const RunCurve &run) const
{
    std::vector<std::size_t> indices = run.history.drawnIndices();
    const std::vector<LossRecord> &records = run.history.records();
    const std::size_t n = records.size();
    if (n == 0 || autoRange || run.history.stride() == 1)
        return indices;
    // Zoomed in by the user: the records in view get a finer stride, down to every record, so the first
    // updates of a long run can be looked at closely. Still at most about 2 * maxDrawnPoints points.
    const auto all = std::views::iota(std::size_t(0), n);
    const QCPRange view = plot->xAxis->range();
    auto firstWhere = [&](auto pred) { return std::size_t(std::ranges::partition_point(all, pred) - all.begin()); };
    const std::size_t lo = firstWhere([&](std::size_t i) { return xOf(records[i]) < view.lower; });
    const std::size_t hi = firstWhere([&](std::size_t i) { return xOf(records[i]) <= view.upper; });
    const std::size_t first = lo > 0 ? lo - 1 : 0, last = std::min(hi, n - 1); // one point beyond each edge
    std::size_t stride = run.history.stride();
    while (stride > 1 && (last - first) / (stride / 2) <= maxDrawnPoints / 2)
        stride /= 2;
    if (stride == run.history.stride())
        return indices;
    std::vector<std::size_t> merged;
    std::ranges::copy_if(indices, std::back_inserter(merged), [&](std::size_t i) { return i < first; });
    run.history.appendExtremes(first, last, stride, merged);
    std::ranges::copy_if(indices, std::back_inserter(merged), [&](std::size_t i) { return i > last; });
    return merged;
}

void LossView::Private::sync(RunCurve &run)
{
    if (!run.dirty)
        return;
    QVector<QCPGraphData> full, high, low, marks;
    const double offset = shownOffset(); // f*: the curves show f - f*
    run.drawnSteps.clear();
    run.changeSteps.clear();
    const std::vector<LossRecord> &records = run.history.records();
    for (std::size_t i : drawnIndices(run)) {
        const LossRecord &r = records[i];
        if (drawable(r.loss - offset)) {
            full.append(QCPGraphData(xOf(r), r.loss - offset));
            run.drawnSteps.push_back(r.step);
        }
    }
    if (run.batch) {
        // The band: in each bucket of updates the least and the greatest batch loss. A batch loss is the loss
        // at the theta the update started from, so a bucket is drawn at its first update's starting x.
        // At least 4 updates a bucket, so the band has a height wherever batches differ.
        const std::size_t n = records.size(), width = std::max<std::size_t>(4, (n + bandBuckets - 1) / bandBuckets);
        for (std::size_t begin = 1; begin < n; begin += width) {
            double least = std::numeric_limits<double>::infinity(), greatest = -least;
            // At most 32 records a bucket are read (evenly spread), so a replot of long runs stays cheap: the band
            // of a bucket wider than that is the spread of those.
            const std::size_t end = std::min(n, begin + width), step = std::max<std::size_t>(1, (end - begin) / 32);
            for (std::size_t i = begin; i < end; i += step)
                if (drawable(records[i].batchLoss - offset)) {
                    least = std::min(least, records[i].batchLoss - offset);
                    greatest = std::max(greatest, records[i].batchLoss - offset);
                }
            if (least <= greatest) {
                const double x = xAt(records[begin].previousStep, records[begin].previousEpoch);
                high.append(QCPGraphData(x, greatest));
                low.append(QCPGraphData(x, least));
            }
        }
    }
    for (std::size_t i : run.history.changes())
        if (drawable(records[i].loss - offset)) {
            marks.append(QCPGraphData(xOf(records[i]), records[i].loss - offset));
            run.changeSteps.push_back(records[i].step);
        }
    run.full->data()->set(full, true);
    if (run.batch) {
        run.batch->data()->set(high, true);
        run.batchLow->data()->set(low, true);
    }
    run.marks->data()->set(marks, true);
    run.dirty = false;
}

void LossView::Private::applyAutoRange()
{
    if (!autoRange)
        return;
    bool any = false;
    QCPRange x(0, 1), y(shownLogarithmic ? 0.1 : 0.0, shownLogarithmic ? 10.0 : 1.0);
    for (auto &[id, run] : runs) {
        bool found = false;
        const QCPRange keys = run.full->getKeyRange(found), values = run.full->getValueRange(found);
        if (!run.visible || !found)
            continue;
        x = any ? QCPRange(std::min(x.lower, keys.lower), std::max(x.upper, keys.upper)) : keys;
        y = any ? QCPRange(std::min(y.lower, values.lower), std::max(y.upper, values.upper)) : values;
        any = true;
    }
    x.upper = std::max(x.upper, x.lower + 1);
    // Headroom, so no curve runs along the frame. The batch loss is left out: one sample's loss can be far
    // off the full loss and would squash the curves that matter.
    if (shownLogarithmic) {
        const double decades = std::log10(y.upper / y.lower);
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
    const QString labels[] = {LossView::tr("updates"), LossView::tr("epochs"), LossView::tr("samples seen")};
    plot->xAxis->setLabel(labels[int(effectiveAxis())]);
    QString label = sampleCount > 0 ? LossView::tr("loss (full data)") : LossView::tr("loss");
    if (aboveMinimum && minimumValue)
        label = LossView::tr("loss above the minimum, f \u2212 f* (f* = %1)").arg(QString::number(*minimumValue, 'g', 5));
    if (logarithmic && !shownLogarithmic)
        label += LossView::tr(", linear: a loss is \u2264 0");
    plot->yAxis->setLabel(label);
    settingRange = true; // a log scale clamps the range
    plot->yAxis->setScaleType(shownLogarithmic ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    plot->yAxis->setTicker(shownLogarithmic ? QSharedPointer<QCPAxisTicker>(new LossLogTicker) : QSharedPointer<QCPAxisTicker>::create());
    settingRange = false;
}

void LossView::Private::applyFonts()
{
    const QFont font = q->font();
    // Curves and markers grow with the text (Ctrl++ for the back row), from the default size on.
    strokeScale = font.pointSizeF() > 0 ? std::max(1.0, font.pointSizeF() / QApplication::font().pointSizeF()) : 1.0;
    for (auto &[id, run] : runs)
        style(run);
    for (QCPAxis *axis : {plot->xAxis, plot->yAxis}) {
        axis->setTickLabelFont(font);
        axis->setLabelFont(font);
    }
    plot->legend->setFont(font);
    const int h = QFontMetrics(font).height();
    plot->legend->setIconSize(2 * h, h);
    plot->axisRect()->setMinimumMargins(QMargins(0, h / 2, 3 * h / 2, 0)); // room for the last tick label
    replot();
}

void LossView::Private::rebuildLegend()
{
    plot->legend->clearItems();
    bool anyBand = false;
    for (auto &[id, run] : runs) {
        if (run.visible)
            run.full->addToLegend();
        anyBand = anyBand || (run.batch && run.visible);
    }
    if (anyBand) { // one entry for every band, greyed while the bands are hidden; a click switches them
        bandKey->addToLegend();
        bandKey->setBrush(QColor(0x55, 0x55, 0x55, batchVisible ? 70 : 20));
        bandKey->setPen(QPen(QColor(0x55, 0x55, 0x55, batchVisible ? 110 : 40), 1));
        if (QCPAbstractLegendItem *item = plot->legend->itemWithPlottable(bandKey))
            item->setTextColor(batchVisible ? QColor(60, 60, 60) : QColor(160, 160, 160));
    }
    plot->legend->setVisible(plot->legend->itemCount() > 0);
    fitLegend();
}

void LossView::Private::fitLegend()
{
    // As many columns as the plot's width holds, so that the legend never asks for more width than the plot
    // has (a QCustomPlot's minimum size is its layout's: a wide legend would squeeze the other plots).
    int count = 0, widest = 1; // a grid's cells may be empty: itemCount() counts them too
    for (int i = 0; i < plot->legend->itemCount(); ++i)
        if (QCPAbstractLegendItem *item = plot->legend->item(i)) {
            widest = std::max(widest, item->minimumOuterSizeHint().width());
            ++count;
        }
    if (count == 0)
        return;
    const int available = q->width() - 40; // q's: the plot takes its size from it after this resize
    const int columns = std::clamp(available / (widest + plot->legend->columnSpacing()), 1, count);
    // And as many x ticks as their labels have room for ("250500750" ran together at large text).
    plot->xAxis->ticker()->setTickCount(std::clamp(q->width() / (10 * QFontMetrics(q->font()).averageCharWidth()), 2, 6));
    if (columns != plot->legend->wrap()) {
        plot->legend->setWrap(columns);
        plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    }
}

LossView::LossView(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    QCustomPlot *plot = d->plot = new QCustomPlot(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot);

    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    // One polyline per graph instead of a line per segment: several times faster with three long runs. It
    // skips QCustomPlot's handling of NaN gaps; no NaN reaches a graph here.
    plot->setPlottingHint(QCP::phFastPolylines, true);
    plot->addLayer(QStringLiteral("batch"), plot->layer(QStringLiteral("main")), QCustomPlot::limBelow);
    plot->addLayer(QStringLiteral("marks"), plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    applyQuietAxes(plot);
    // The legend under the plot, never over a curve: a row of entries that wraps.
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->addElement(1, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(1, 0.001);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setWrap(1); // fitLegend() sets as many columns as fit
    plot->legend->setMargins(QMargins(4, 2, 4, 2));
    plot->legend->setSelectableParts(QCPLegend::spNone);
    plot->legend->setBrush(QColor(255, 255, 255, 200));
    plot->legend->setBorderPen(QPen(QColor(0, 0, 0, 50), 1));
    plot->legend->setTextColor(QColor(60, 60, 60));
    plot->legend->setVisible(false);
    d->bandKey = plot->addGraph();
    d->bandKey->setObjectName(QStringLiteral("batchLossKey"));
    d->bandKey->setName(tr("batch loss (range)"));
    d->bandKey->setLayer(QStringLiteral("batch"));
    d->bandKey->removeFromLegend();
    connect(plot, &QCustomPlot::legendClick, this, [this](QCPLegend *, QCPAbstractLegendItem *item, QMouseEvent *) {
        auto *entry = qobject_cast<QCPPlottableLegendItem *>(item);
        if (entry && entry->plottable() == d->bandKey) {
            setBatchLossVisible(!d->batchVisible);
            emit batchLossVisibilityChanged(d->batchVisible);
        }
    });
    plot->setMouseTracking(true); // hover shows values
    connect(plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) { showValuesAt(event->position()); });
    d->applyAxes();
    d->applyFonts();
    d->applyAutoRange();

    auto userRange = [this](const QCPRange &) {
        if (!d->settingRange) {
            d->autoRange = false;
            d->markAllDirty(); // the records in view get more detail
        }
    };
    connect(plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, userRange);
    connect(plot->yAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, userRange);
    connect(plot, &QCustomPlot::mouseDoubleClick, this, [this] { d->resetView(); });
    connect(plot, &QCustomPlot::beforeReplot, this, [this] {
        d->chooseScale();
        for (auto &[id, run] : d->runs)
            d->sync(run);
        d->applyAutoRange();
    });
    installEventFilter(d.get());
}

LossView::~LossView()
{
    delete d->plot; // first, while the slots its destruction might reach can still use d
}

QCustomPlot *LossView::plot() const { return d->plot; }

void LossView::setSampleCount(std::size_t sampleCount)
{
    if (sampleCount == d->sampleCount)
        return;
    const XAxis before = xAxis();
    d->sampleCount = sampleCount;
    d->resetView();
    if (xAxis() != before)
        emit xAxisChanged(xAxis());
}

void LossView::addRun(RunId id, const QString &name, const QColor &color)
{
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
    d->restyle(run);
}

void LossView::removeRun(RunId id)
{
    Private::RunCurve *run = d->find(id);
    if (!run)
        return;
    for (QCPGraph *graph : {run->full, run->batch, run->batchLow, run->marks})
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
        d->restyle(*run);
    }
}

void LossView::setRunName(RunId id, const QString &name)
{
    if (Private::RunCurve *run = d->find(id)) {
        run->name = name;
        run->full->setName(name);
        d->replot();
    }
}

void LossView::setRunVisible(RunId id, bool visible)
{
    if (Private::RunCurve *run = d->find(id)) {
        run->visible = visible;
        d->restyle(*run);
    }
}

void LossView::restartCurve(RunId id, const StepRecord &start)
{
    Private::RunCurve *run = d->find(id);
    if (!run)
        return;
    run->history.clear();
    run->leastLoss = std::numeric_limits<double>::infinity();
    if (run->batch) { // the restarted run may not be stochastic any more
        d->plot->removeGraph(std::exchange(run->batch, nullptr));
        d->plot->removeGraph(std::exchange(run->batchLow, nullptr));
        d->rebuildLegend();
    }
    d->append(id, *run, start);
    d->replot();
}

void LossView::appendSteps(RunId id, const QList<StepRecord> &steps)
{
    Private::RunCurve *run = d->find(id);
    if (!run || steps.isEmpty())
        return;
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
    d->resetView();
    emit xAxisChanged(xAxis());
}

LossView::XAxis LossView::xAxis() const { return d->effectiveAxis(); }

void LossView::setLogarithmic(bool logarithmic)
{
    if (logarithmic == d->logarithmic)
        return;
    d->logarithmic = logarithmic;
    d->resetView(); // which losses are drawable depends on the scale
    emit logarithmicChanged(logarithmic);
}

bool LossView::isLogarithmic() const { return d->logarithmic; }

bool LossView::isLogarithmicShown() const { return d->shownLogarithmic; }

void LossView::setMinimumValue(std::optional<double> fStar)
{
    if (fStar && !std::isfinite(*fStar))
        fStar.reset();
    d->minimumValue = fStar;
    d->resetView();
}

void LossView::setAboveMinimum(bool above)
{
    d->aboveMinimum = above;
    d->resetView();
}

QString LossView::yAxisLabel() const { return d->plot->yAxis->label(); }

QStringList LossView::legendNames() const
{
    QStringList names;
    for (int i = 0; i < d->plot->legend->itemCount(); ++i)
        if (auto *entry = qobject_cast<QCPPlottableLegendItem *>(d->plot->legend->item(i)))
            names << entry->plottable()->name();
    return names;
}

void LossView::setRecordDescriber(RecordDescriber describe) { d->describe = std::move(describe); }

void LossView::showValuesAt(const QPointF &pos)
{
    // The nearest drawn point of a visible curve or settings marker within a few pixels: its numbers.
    if (!d->describe)
        return;
    constexpr double reach = 10; // pixels
    double best = reach * reach;
    RunId bestId = -1;
    long bestStep = 0;
    bool bestChange = false;
    for (auto &[id, run] : d->runs) {
        if (!run.visible)
            continue;
        auto consider = [&](QCPGraph *graph, const std::vector<long> &steps, bool change) {
            int i = 0;
            for (const QCPGraphData &p : *graph->data()) {
                const double dx = d->plot->xAxis->coordToPixel(p.key) - pos.x(), dy = d->plot->yAxis->coordToPixel(p.value) - pos.y();
                if (dx * dx + dy * dy <= best && std::size_t(i) < steps.size()) {
                    best = dx * dx + dy * dy;
                    bestId = id;
                    bestStep = steps[std::size_t(i)];
                    bestChange = change;
                }
                ++i;
            }
        };
        consider(run.full, run.drawnSteps, false);
        consider(run.marks, run.changeSteps, true);
    }
    if (bestId < 0) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(d->plot->mapToGlobal(pos.toPoint()), d->describe(bestId, bestStep, bestChange), d->plot);
}

void LossView::setBatchLossVisible(bool visible)
{
    d->batchVisible = visible;
    for (auto &[id, run] : d->runs)
        d->style(run);
    d->rebuildLegend();
    d->replot();
}

QList<QPointF> LossView::curvePoints(RunId id) const
{
    QList<QPointF> points;
    if (Private::RunCurve *run = d->find(id)) {
        d->chooseScale();
        d->sync(*run);
        for (const QCPGraphData &p : *run->full->data())
            points.append(QPointF(p.key, p.value));
    }
    return points;
}

} // namespace gdviz
