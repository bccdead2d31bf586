#include "SurfaceView.h"

#include "DescentArrows.h"
#include "EventWatcher.h"
#include "PathCurve.h"
#include "SurfaceColorScale.h"
#include "SurfaceComputation.h"
#include "SurfaceMap.h"

#include <QApplication>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <optional>

// Plot objects carry object names, so tests and the window can find them with plot()->findChild():
// "surface" (SurfaceMap, a QCPColorMap that also draws the contour lines), "colorScale", "minima" (QCPCurve), per run
// "path:<id>", "start:<id>", "current:<id>" (QCPCurve), and the arrows (DescentArrows.h: "updateArrow", ...),
// their labels (QCPItemText).

namespace gdviz {

namespace {

constexpr int kContourCount = 12;
// A press and release closer than this (in pixels, Manhattan) is a click; farther, a drag that pans.
constexpr int kClickSlop = 4;
// Range changes closer together than this make one recomputation (a wheel spin, a drag).
constexpr int kDebounceMs = 60;
constexpr double kMinFontPoints = 11; // readable from the back of a classroom
constexpr double kPathWidth = 2.5;

const QColor kInk(0x33, 0x33, 0x33); // axes, text, the minima's outline
QPen contourPen()
{
    return QPen(QColor(0x30, 0x40, 0x48, 110), 1);
}

// A five-pointed star, size pixels across its points, for the known minima.
QPainterPath starPath(double size)
{
    QPainterPath star;
    for (int k = 0; k < 10; ++k) {
        const double radius = (k % 2 ? 0.42 : 1.0) * size / 2, angle = std::numbers::pi * (0.5 + k / 5.0);
        const QPointF p(radius * std::cos(angle), -radius * std::sin(angle));
        k == 0 ? star.moveTo(p) : star.lineTo(p);
    }
    star.closeSubpath();
    return star;
}

} // namespace

/// One run's plottables and the records its markers and arrows show.
struct RunPath {
    PathCurve *path = nullptr;
    QCPCurve *start = nullptr, *current = nullptr;
    QCPCurve *marks = nullptr; // the run's marker at updates 1, 2, 4, 8, ...: runs on one path stay apart
    QColor color;
    QCPScatterStyle::ScatterShape shape = QCPScatterStyle::ssCircle;
    bool visible = true;
    bool hasCurrent = false, hasPrevious = false;
    StepRecord last; // the current point
    Vec2 previous = Vec2::Zero(); // the point before it

    QList<QCPCurve *> curves() const { return {path, start, current, marks}; }
};

struct SurfaceView::Private {
    SurfaceView *q = nullptr;
    QCustomPlot *plot = nullptr;
    QCPLayer *surfaceLayer = nullptr, *pathLayer = nullptr;
    SurfaceMap *colorMap = nullptr;
    QCPColorScale *colorScale = nullptr;
    QSharedPointer<LossTicker> lossTicker = QSharedPointer<LossTicker>::create();
    QSharedPointer<QCPAxisTicker> linearTicker = QSharedPointer<QCPAxisTicker>::create();
    QCPCurve *minima = nullptr;
    std::unique_ptr<DescentArrows> arrows;

    std::shared_ptr<const Objective> objective;
    SurfaceComputation computation;
    QTimer debounce;
    bool surfaceComplete = false;
    bool applyingWindow = false; // setObjective() sets the ranges and computes at once
    ViewWindow reportedWindow;

    QHash<RunId, RunPath> runs;
    RunId selected = -1;
    bool arrowsVisible = false;
    // The selected run's next update (setNextUpdate), drawn while the run stands at its thetaBefore.
    RunId nextRun = -1;
    std::optional<UpdateExplanation> next;
    bool pathReplotQueued = false;

    bool pressed = false; // a left press that has not (yet) become a drag
    QPointF pressPos;
    // A click moves a start point only once no double-click (which resets the view) can follow it.
    QTimer clickTimer;
    Vec2 clickPoint = Vec2::Zero();
    bool clickEveryRun = false;
    RecordDescriber describe;
    double strokeScale = 1; // line widths and marker sizes: larger with larger text
    void showValuesAt(const QPointF &pos);
    ViewWindow homeWindow; // the view setObjective() was given: Home and a double-click go back to it

    void setUpPlot();
    void applyFonts();
    void onRangeChanged();
    void updateMinima();
    void requestSurface();
    void drawSurface(const SurfaceLayers &layers);
    RunPath *newRun(RunId id, const QColor &color);
    void setCurrent(RunPath &run, const StepRecord &record);
    void applyColor(RunPath &run);
    void raiseMarkers();
    void updateArrows();
    void replotPaths();
};

void SurfaceView::Private::setUpPlot()
{
    plot->setBackground(Qt::white);
    plot->setNoAntialiasingOnDrag(false);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->legend->setVisible(false);

    // The paths, their markers and the arrows have a buffered layer of their own, on top, which is redrawn
    // alone while runs animate (replotPaths()); the surface (map, contours, minima) stays on "main". Every
    // other layer is logical, so the plot paints two buffers, not four: each costs a clear and a blit.
    surfaceLayer = plot->layer(QStringLiteral("main"));
    plot->layer(QStringLiteral("overlay"))->setMode(QCPLayer::lmLogical);
    plot->addLayer(QStringLiteral("paths"), plot->layer(QStringLiteral("overlay")), QCustomPlot::limAbove);
    pathLayer = plot->layer(QStringLiteral("paths"));
    pathLayer->setMode(QCPLayer::lmBuffered);

    QCPAxisRect *rect = plot->axisRect();
    rect->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    rect->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    for (QCPAxis *axis : rect->axes()) { // a thin frame; ticks outside, where they do not cover the surface
        axis->setVisible(true);
        axis->setBasePen(QPen(kInk, 1));
        axis->setTickPen(QPen(kInk, 1));
        axis->setSubTickPen(QPen(kInk, 1));
        axis->setTickLength(0, 5);
        axis->setSubTickLength(0, 3);
        axis->setTickLabelColor(kInk);
        axis->setLabelColor(kInk);
        axis->grid()->setVisible(false);
        const bool primary = axis == plot->xAxis || axis == plot->yAxis;
        axis->setTicks(primary);
        axis->setTickLabels(primary);
    }

    colorMap = new SurfaceMap(plot->xAxis, plot->yAxis);
    colorMap->setContourPen(contourPen());
    colorMap->setObjectName(QStringLiteral("surface"));
    colorMap->setLayer(surfaceLayer);
    colorMap->setInterpolate(true);
    colorMap->setTightBoundary(false);
    colorMap->setVisible(false);

    colorScale = new QCPColorScale(plot);
    colorScale->setObjectName(QStringLiteral("colorScale"));
    plot->plotLayout()->addElement(0, 1, colorScale);
    colorScale->setType(QCPAxis::atRight);
    colorScale->setBarWidth(14);
    colorScale->setRangeDrag(false);
    colorScale->setRangeZoom(false);
    colorScale->setGradient(surfaceGradient());
    colorScale->axis()->setBasePen(QPen(kInk, 1));
    colorScale->axis()->setTickPen(QPen(kInk, 1));
    colorScale->axis()->setTickLabelColor(kInk);
    colorScale->axis()->setLabelColor(kInk);
    colorScale->setVisible(false);
    colorMap->setColorScale(colorScale);
    auto *margins = new QCPMarginGroup(plot); // the bar spans exactly the plot's height
    rect->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    colorScale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);

    minima = new QCPCurve(plot->xAxis, plot->yAxis);
    minima->setObjectName(QStringLiteral("minima"));
    minima->setLayer(surfaceLayer);
    minima->setLineStyle(QCPCurve::lsNone);
    minima->setScatterStyle(QCPScatterStyle(starPath(15), QPen(kInk, 1.2), QBrush(Qt::white)));

    arrows = std::make_unique<DescentArrows>(plot, pathLayer);
}

void SurfaceView::Private::applyFonts()
{
    // Lines and markers grow with the text (Ctrl++ for the back row), from the default size on.
    const double points = q->font().pointSizeF();
    strokeScale = points > 0 ? std::max(1.0, points / QApplication::font().pointSizeF()) : 1.0;
    for (RunPath &run : runs)
        applyColor(run);
    QFont tickFont = q->font();
    if (tickFont.pointSizeF() > 0 && tickFont.pointSizeF() < kMinFontPoints)
        tickFont.setPointSizeF(kMinFontPoints);
    QFont labelFont = tickFont; // the parameter names: larger, and italic as variables are in formulas
    if (tickFont.pointSizeF() > 0)
        labelFont.setPointSizeF(tickFont.pointSizeF() * 1.3);
    labelFont.setItalic(true);
    QFont scaleFont = labelFont; // "loss (log scale)" is words, not a variable
    scaleFont.setItalic(false);
    for (QCPAxis *axis : plot->axisRect()->axes()) {
        axis->setTickLabelFont(tickFont);
        axis->setLabelFont(labelFont);
    }
    colorScale->axis()->setTickLabelFont(tickFont);
    colorScale->axis()->setLabelFont(scaleFont);
    arrows->setFont(tickFont);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

SurfaceView::SurfaceView(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->q = this;
    d->plot = new QCustomPlot(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->plot);
    d->setUpPlot();
    d->applyFonts();
    new EventWatcher(this, QEvent::FontChange, [this] { d->applyFonts(); }); // Ctrl++ in the window

    d->debounce.setSingleShot(true);
    d->debounce.setInterval(kDebounceMs);
    connect(&d->debounce, &QTimer::timeout, this, [this] {
        const ViewWindow window = viewWindow();
        const ViewWindow &old = d->reportedWindow;
        if (window.xMin != old.xMin || window.xMax != old.xMax || window.yMin != old.yMin || window.yMax != old.yMax) {
            d->reportedWindow = window;
            emit viewWindowChanged(window);
        }
        d->requestSurface();
    });
    // Whether the update is long enough for an arrow depends on the plot's size in pixels.
    connect(d->plot, &QCustomPlot::afterLayout, this, [this] { d->updateArrows(); });
    for (QCPAxis *axis : {d->plot->xAxis, d->plot->yAxis})
        connect(axis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this] { d->onRangeChanged(); });
    connect(&d->computation, &SurfaceComputation::surfaceComputed, this,
            [this](const std::shared_ptr<const SurfaceLayers> &layers) { d->drawSurface(*layers); });

    connect(d->plot, &QCustomPlot::mousePress, this, [this](QMouseEvent *event) {
        d->pressed = event->button() == Qt::LeftButton;
        d->pressPos = event->position();
    });
    d->plot->setMouseTracking(true); // hover shows values
    connect(d->plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
        if ((event->position() - d->pressPos).manhattanLength() >= kClickSlop)
            d->pressed = false; // a drag: it pans
        if (event->buttons() == Qt::NoButton)
            d->showValuesAt(event->position());
    });
    connect(d->plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *event) {
        const bool click = d->pressed && event->button() == Qt::LeftButton
                           && (event->position() - d->pressPos).manhattanLength() < kClickSlop;
        d->pressed = false;
        if (!click || !d->plot->axisRect()->rect().contains(d->pressPos.toPoint()))
            return;
        d->clickPoint = Vec2(d->plot->xAxis->pixelToCoord(d->pressPos.x()), d->plot->yAxis->pixelToCoord(d->pressPos.y()));
        d->clickEveryRun = event->modifiers().testFlag(Qt::ShiftModifier);
        d->clickTimer.start(QApplication::doubleClickInterval());
    });
    d->clickTimer.setSingleShot(true);
    connect(&d->clickTimer, &QTimer::timeout, this, [this] { emit startPointPicked(d->clickPoint, d->clickEveryRun); });
    connect(d->plot, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent *event) {
        d->clickTimer.stop(); // the first click of a double-click moves nothing
        d->pressed = false;
        if (event->button() == Qt::LeftButton && d->plot->axisRect()->rect().contains(event->position().toPoint()))
            resetView();
    });
}

SurfaceView::~SurfaceView()
{
    // Stop the surface task first, then the plot (and with it every connection into d) goes; d's
    // SurfaceComputation then waits for the task, which touches only its own data.
    d->computation.cancel();
    d->debounce.stop();
    delete d->plot;
    d->plot = nullptr;
}

QCustomPlot *SurfaceView::plot() const
{
    return d->plot;
}

void SurfaceView::setObjective(std::shared_ptr<const Objective> objective, const ViewWindow &window,
                               const QString &xName, const QString &yName)
{
    d->objective = std::move(objective);
    d->computation.cancel();
    d->debounce.stop();
    d->surfaceComplete = false;
    // The old surface belongs to another function: clear it rather than show it under the new axes.
    d->colorMap->setVisible(false);
    d->colorScale->setVisible(false);
    d->plot->xAxis->setLabel(xName);
    d->plot->yAxis->setLabel(yName);

    d->homeWindow = window;
    d->clickTimer.stop();
    d->applyingWindow = true;
    d->plot->xAxis->setRange(window.xMin, window.xMax);
    d->plot->yAxis->setRange(window.yMin, window.yMax);
    d->applyingWindow = false;
    d->reportedWindow = viewWindow();
    d->requestSurface();
    d->updateMinima();
    d->updateArrows();
    d->plot->replot(QCustomPlot::rpQueuedReplot);
}

ViewWindow SurfaceView::viewWindow() const
{
    const QCPRange x = d->plot->xAxis->range(), y = d->plot->yAxis->range();
    return {x.lower, x.upper, y.lower, y.upper};
}

void SurfaceView::setViewWindow(const ViewWindow &window)
{
    if (!(window.xMin < window.xMax) || !(window.yMin < window.yMax))
        return;
    d->plot->xAxis->setRange(window.xMin, window.xMax);
    d->plot->yAxis->setRange(window.yMin, window.yMax);
    d->plot->replot(QCustomPlot::rpQueuedReplot);
}

void SurfaceView::setLegendVisible(bool visible)
{
    QCPLegend *legend = d->plot->legend;
    legend->clearItems();
    QList<RunId> ids = d->runs.keys();
    std::sort(ids.begin(), ids.end()); // in the order the runs were added, as the table lists them
    if (visible)
        for (RunId id : ids)
            if (const RunPath &run = d->runs[id]; run.visible)
                run.current->addToLegend(legend);
    legend->setVisible(visible && legend->itemCount() > 0);
    // Under the plot, outside the axis rect, where no path can cover it; back into the corner (hidden) after.
    QCPLayoutGrid *layout = d->plot->plotLayout();
    if (visible && layout->rowCount() == 1) {
        d->plot->axisRect()->insetLayout()->take(legend);
        d->plot->axisRect()->insetLayout()->simplify();
        layout->addElement(1, 0, legend);
        layout->setRowStretchFactor(1, 0.001);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
        legend->setWrap(4);
    } else if (!visible && layout->rowCount() > 1) {
        layout->take(legend);
        layout->simplify();
        d->plot->axisRect()->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignLeft);
    }
    legend->setFont(d->plot->xAxis->tickLabelFont());
    legend->setBrush(QColor(255, 255, 255, 215));
    legend->setBorderPen(QPen(QColor(0, 0, 0, 60), 1));
    d->plot->replot();
}

void SurfaceView::setRecordDescriber(RecordDescriber describe)
{
    d->describe = std::move(describe);
}

void SurfaceView::Private::showValuesAt(const QPointF &pos)
{
    if (!objective || !plot->axisRect()->rect().contains(pos.toPoint())) {
        QToolTip::hideText();
        return;
    }
    // A run's marker (its current point, or a mark at update 1, 2, 4, ...) within a few pixels: that record.
    constexpr double reach = 9;
    double best = reach * reach;
    RunId bestId = -1;
    long bestStep = 0;
    for (auto it = runs.cbegin(); it != runs.cend(); ++it) {
        if (!it->visible)
            continue;
        auto consider = [&](double x, double y, long step) {
            const double dx = plot->xAxis->coordToPixel(x) - pos.x(), dy = plot->yAxis->coordToPixel(y) - pos.y();
            if (dx * dx + dy * dy <= best) {
                best = dx * dx + dy * dy;
                bestId = it.key();
                bestStep = step;
            }
        };
        for (const QCPCurveData &p : *it->marks->data())
            consider(p.key, p.value, long(p.t));
        if (it->hasCurrent)
            consider(it->last.theta.x(), it->last.theta.y(), it->last.step);
    }
    QString text;
    if (bestId >= 0 && describe) {
        text = describe(bestId, bestStep);
    } else {
        const Vec2 at(plot->xAxis->pixelToCoord(pos.x()), plot->yAxis->pixelToCoord(pos.y()));
        const double loss = objective->evaluate(at, nullptr);
        text = QStringLiteral("(%1, %2) = (%3, %4)<br>%5")
                   .arg(plot->xAxis->label(), plot->yAxis->label(), QString::number(at.x(), 'g', 4), QString::number(at.y(), 'g', 4),
                        std::isfinite(loss) ? SurfaceView::tr("loss %1").arg(QString::number(loss, 'g', 5)) : SurfaceView::tr("loss not finite here"));
    }
    QToolTip::showText(plot->mapToGlobal(pos.toPoint()), text, plot);
}

void SurfaceView::resetView()
{
    setViewWindow(d->homeWindow);
}

void SurfaceView::setRunMarker(RunId id, QCPScatterStyle::ScatterShape shape)
{
    const auto it = d->runs.find(id);
    if (it == d->runs.end())
        return;
    it->shape = shape;
    d->applyColor(*it);
    d->replotPaths();
}

void SurfaceView::Private::onRangeChanged()
{
    surfaceComplete = false;
    // Zoomed far into the surface, the picture would be a few cells blown up (and drawing the colour map afresh,
    // for an export or a resize, would scale its image to many times the plot's size and stall the GUI thread):
    // it stays hidden until the surface for the new view arrives.
    constexpr double mostMagnified = 8;
    const QCPColorMapData *cells = colorMap->data();
    if (cells->keyRange().size() > mostMagnified * plot->xAxis->range().size()
        || cells->valueRange().size() > mostMagnified * plot->yAxis->range().size())
        colorMap->setVisible(false);
    updateMinima();
    updateArrows(); // the gradient arrow's length follows the view
    if (!applyingWindow)
        debounce.start();
}

void SurfaceView::Private::updateMinima()
{
    // Only those inside the window: a star cut in half at the frame would look like a stray mark.
    const QCPRange x = plot->xAxis->range(), y = plot->yAxis->range();
    QVector<QCPCurveData> inside;
    if (objective)
        for (const KnownMinimum &minimum : objective->knownMinima())
            if (x.contains(minimum.at.x()) && y.contains(minimum.at.y()))
                inside.append(QCPCurveData(inside.size(), minimum.at.x(), minimum.at.y()));
    minima->data()->set(inside, true);
}

void SurfaceView::Private::requestSurface()
{
    surfaceComplete = false;
    if (!objective)
        return;
    // The fine grid: about a node per pixel of the plot, between 320 and 512 per side.
    const QSize pixels = plot->axisRect()->rect().size();
    const QSize fine(std::clamp(pixels.width(), 320, 512), std::clamp(pixels.height(), 320, 512));
    computation.request(objective, q->viewWindow(), fine, kContourCount,
                        {plot->axisRect()->rect(), plot->bufferDevicePixelRatio(), contourPen()});
}

void SurfaceView::Private::drawSurface(const SurfaceLayers &layers)
{
    // A copy of its own (the layers are shared), which it owns: a new object each time, so that the coloured image
    // below names the cells it was made from (SurfaceMap::setColouredCells()).
    colorMap->setData(new QCPColorMapData(*layers.cells), false);
    colorScale->setDataScaleType(layers.logScale ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    colorScale->setDataRange(layers.colorRange);
    lossTicker->setLossOffset(layers.lossOffset);
    colorScale->axis()->setTicker(layers.logScale ? lossTicker.staticCast<QCPAxisTicker>() : linearTicker);
    colorScale->setLabel(layers.logScale ? tr("loss (log scale)") : tr("loss"));
    colorMap->setColouredCells(layers.cellImage, colorMap->data(), layers.colorRange,
                               layers.logScale ? QCPAxis::stLogarithmic : QCPAxis::stLinear, surfaceGradient());
    colorMap->setVisible(true);
    colorScale->setVisible(true);

    colorMap->setContours(layers.contours);
    colorMap->setPicture(layers.picture, layers.pictureView); // drawn ahead for this view: the frame blits it

    const ViewWindow now = q->viewWindow();
    surfaceComplete = layers.fine && layers.window.xMin == now.xMin && layers.window.xMax == now.xMax
                      && layers.window.yMin == now.yMin && layers.window.yMax == now.yMax;
    plot->replot(QCustomPlot::rpQueuedReplot);
    emit q->surfaceReady(layers.fine);
}

bool SurfaceView::isSurfaceComplete() const
{
    return d->surfaceComplete;
}

// ---- runs ----

RunPath *SurfaceView::Private::newRun(RunId id, const QColor &color)
{
    RunPath run;
    run.color = color;
    run.path = new PathCurve(plot->xAxis, plot->yAxis);
    run.start = new QCPCurve(plot->xAxis, plot->yAxis);
    run.current = new QCPCurve(plot->xAxis, plot->yAxis);
    run.path->setObjectName(QStringLiteral("path:%1").arg(id));
    run.start->setObjectName(QStringLiteral("start:%1").arg(id));
    run.current->setObjectName(QStringLiteral("current:%1").arg(id));
    run.marks = new QCPCurve(plot->xAxis, plot->yAxis);
    run.marks->setObjectName(QStringLiteral("marks:%1").arg(id));
    run.marks->setLineStyle(QCPCurve::lsNone);
    for (QCPCurve *curve : run.curves()) {
        curve->setLayer(pathLayer);
        curve->setAntialiased(true);
        curve->setAntialiasedScatters(true);
        curve->setSelectable(QCP::stNone);
    }
    run.start->setLineStyle(QCPCurve::lsNone);
    run.current->setLineStyle(QCPCurve::lsNone);
    applyColor(run);
    return &*runs.insert(id, run);
}

void SurfaceView::Private::applyColor(RunPath &run)
{
    QPen pen(run.color, kPathWidth * strokeScale);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    run.path->setPen(pen);
    const double k = strokeScale;
    run.start->setScatterStyle(QCPScatterStyle(run.shape, QPen(run.color, 2 * k), Qt::white, 9 * k));
    run.current->setScatterStyle(QCPScatterStyle(run.shape, QPen(Qt::white, 1.5 * k), run.color, 13 * k));
    run.marks->setScatterStyle(QCPScatterStyle(run.shape, QPen(Qt::white, k), run.color, 8 * k));
}

void SurfaceView::Private::raiseMarkers()
{
    // Every path under every marker and the arrows: setLayer() on its own layer moves a layerable to the top.
    // The selected run's markers go last, over the others' (a QHash has no order of its own).
    auto raise = [this](RunPath &run) {
        run.start->setLayer(pathLayer);
        run.marks->setLayer(pathLayer);
        run.current->setLayer(pathLayer);
    };
    for (auto it = runs.begin(); it != runs.end(); ++it)
        if (it.key() != selected)
            raise(*it);
    if (const auto it = runs.find(selected); it != runs.end())
        raise(*it);
    arrows->raise();
}

void SurfaceView::Private::setCurrent(RunPath &run, const StepRecord &record)
{
    if (run.hasCurrent) {
        run.previous = run.last.theta;
        run.hasPrevious = true;
    }
    run.last = record;
    run.hasCurrent = true;
    if (std::isfinite(record.theta.x()) && std::isfinite(record.theta.y()))
        run.current->data()->set({QCPCurveData(0, record.theta.x(), record.theta.y())}, true);
}

void SurfaceView::addRun(RunId id, const QString &name, const QColor &color)
{
    removeRun(id);
    RunPath *run = d->newRun(id, color);
    for (QCPCurve *curve : run->curves())
        curve->setName(name);
    d->raiseMarkers();
    d->replotPaths();
}

void SurfaceView::removeRun(RunId id)
{
    const auto it = d->runs.find(id);
    if (it == d->runs.end())
        return;
    for (QCPCurve *curve : it->curves())
        d->plot->removePlottable(curve);
    d->runs.erase(it);
    d->updateArrows();
    d->replotPaths();
}

void SurfaceView::clearRuns()
{
    const QList<RunId> ids = d->runs.keys();
    for (RunId id : ids)
        removeRun(id);
}

void SurfaceView::setRunColor(RunId id, const QColor &color)
{
    const auto it = d->runs.find(id);
    if (it == d->runs.end())
        return;
    it->color = color;
    d->applyColor(*it);
    d->updateArrows();
    d->replotPaths();
}

void SurfaceView::setRunVisible(RunId id, bool visible)
{
    const auto it = d->runs.find(id);
    if (it == d->runs.end())
        return;
    it->visible = visible;
    for (QCPCurve *curve : it->curves())
        curve->setVisible(visible);
    d->updateArrows();
    d->replotPaths();
}

void SurfaceView::restartPath(RunId id, const StepRecord &start)
{
    const auto it = d->runs.find(id);
    if (it == d->runs.end())
        return;
    RunPath &run = *it;
    run.path->restart(start.theta);
    run.hasCurrent = run.hasPrevious = false;
    run.start->data()->set({QCPCurveData(0, start.theta.x(), start.theta.y())}, true);
    run.marks->data()->clear();
    d->setCurrent(run, start);
    d->updateArrows();
    d->replotPaths();
}

void SurfaceView::appendSteps(RunId id, const QList<StepRecord> &steps)
{
    const auto it = d->runs.find(id);
    if (it == d->runs.end() || steps.isEmpty())
        return;
    for (const StepRecord &record : steps) {
        it->path->append(record.theta);
        // A mark at every power of two: spread along the path (descent moves fastest early), a dozen for
        // 4,000 updates, and each tells how far the run got after 1, 2, 4, ... updates.
        if (record.step > 0 && (record.step & (record.step - 1)) == 0 && record.theta.allFinite())
            it->marks->addData(double(record.step), record.theta.x(), record.theta.y());
    }
    if (steps.size() > 1) { // only the last two records matter to the markers and arrows
        it->last = steps[steps.size() - 2];
        it->hasCurrent = true;
    }
    d->setCurrent(*it, steps.last());
    if (id == d->selected)
        d->updateArrows();
    d->replotPaths();
}

void SurfaceView::setSelectedRun(RunId id)
{
    d->selected = id;
    if (const auto it = d->runs.find(id); it != d->runs.end()) {
        it->path->setLayer(d->pathLayer); // the selected run's path over the others
        d->raiseMarkers();
    }
    d->updateArrows();
    d->replotPaths();
}

void SurfaceView::setNextUpdate(RunId id, const UpdateExplanation &explanation)
{
    d->nextRun = id;
    d->next = explanation;
    d->updateArrows();
    d->replotPaths();
}

bool SurfaceView::arrowsShown() const
{
    return d->plot->findChild<QCPItemLine *>(QStringLiteral("updateArrow"))->visible();
}

void SurfaceView::setArrowsVisible(bool visible)
{
    d->arrowsVisible = visible;
    d->updateArrows();
    d->replotPaths();
}

void SurfaceView::Private::updateArrows()
{
    const auto it = runs.constFind(selected);
    // Only for the point the run stands at: an explanation of an earlier point (the run has moved on since it was
    // asked for, as it does while playing) is not drawn.
    if (arrowsVisible && it != runs.constEnd() && it->visible && next && nextRun == selected && it->hasCurrent
        && next->step == it->last.step + 1 && next->thetaBefore == it->last.theta)
        arrows->show(*next, it->color);
    else
        arrows->hide();
}

void SurfaceView::Private::replotPaths()
{
    // Coalesced like rpQueuedReplot, but only the paths' own buffer is redrawn: the rest of the plot keeps its
    // buffer, so an animation frame costs the paths alone (PathCurve: the new segments and a blit).
    if (pathReplotQueued)
        return;
    pathReplotQueued = true;
    QMetaObject::invokeMethod(
        q,
        [this] {
            pathReplotQueued = false;
            pathLayer->replot();
        },
        Qt::QueuedConnection);
}

} // namespace gdviz
