#include "SurfaceComputation.h"

#include "SurfaceColorScale.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gdviz {

namespace {

using LayersPtr = std::shared_ptr<const SurfaceLayers>;

// The coarse grid, drawn at once (16 times fewer nodes than the smallest fine grid), before the fine one.
constexpr int kCoarseNodes = 64;
// The coarse grid's coloured image is made this many times larger on the computation's thread: scaling a 64 x 64
// image up to a 600 x 700 axis rect, smoothly, took 10-14 ms of the GUI thread; 512 x 512 to it takes about 1 ms.
constexpr int kCoarseUpsampling = 8;
// More nodes than this per side would not show: the colour map is interpolated and a projector has ~1000 px.
constexpr int kMaxFineNodes = 512;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The colour-scale value of a node whose loss is f (see SurfaceLayers::cells).
double colourValue(const SurfaceGrid &grid, double f, bool logScale)
{
    if (!std::isfinite(f))
        return kNaN; // NaN cells are drawn transparent: a gap where f is not finite
    return logScale ? std::max(f - grid.minFinite, 0.0) + grid.lowScale : f;
}

std::shared_ptr<QCPColorMapData> colourCells(const SurfaceGrid &grid, bool logScale)
{
    const ViewWindow &w = grid.window;
    auto cells = std::make_shared<QCPColorMapData>(grid.nx, grid.ny, QCPRange(w.xMin, w.xMax),
                                                   QCPRange(w.yMin, w.yMax));
    // QCPColorMapData puts cell (i, j)'s centre at the i-th of nx evenly spaced keys over the key range, edges
    // included: SurfaceGrid's node x(i), up to rounding.
    for (int j = 0; j < grid.ny; ++j)
        for (int i = 0; i < grid.nx; ++i)
            cells->setCell(i, j, colourValue(grid, grid.at(i, j), logScale));
    return cells;
}

/// The image QCPColorMap::updateMapImage() makes of the cells of an interpolated map on a horizontal key axis:
/// one pixel per cell, row j of the cells (y upwards) in scan line ny - 1 - j, coloured by QCPColorGradient.
QImage colourImage(const SurfaceGrid &grid, bool logScale, const QCPRange &range)
{
    QImage image(grid.nx, grid.ny, QImage::Format_ARGB32_Premultiplied);
    QCPColorGradient gradient = surfaceGradient(); // this thread's own: colorize() fills a cache in it
    std::vector<double> row(std::size_t(grid.nx));
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i)
            row[std::size_t(i)] = colourValue(grid, grid.at(i, j), logScale);
        gradient.colorize(row.data(), range, reinterpret_cast<QRgb *>(image.scanLine(grid.ny - 1 - j)), grid.nx, 1,
                          logScale);
    }
    return image;
}

// Every contour line, in plot coordinates, ready for SurfaceMap to stroke.
QVector<QPolygonF> contourPolylines(const std::vector<ContourLine> &lines)
{
    QVector<QPolygonF> polylines;
    polylines.reserve(qsizetype(lines.size()));
    for (const ContourLine &line : lines) {
        if (line.points.size() < 2)
            continue;
        QPolygonF &polyline = polylines.emplace_back();
        polyline.reserve(qsizetype(line.points.size()));
        for (const Vec2 &p : line.points)
            polyline.append(QPointF(p.x(), p.y()));
    }
    return polylines;
}

LayersPtr makeLayers(SurfaceGrid grid, bool fine, int contourCount, const SurfacePictureTarget &target)
{
    auto layers = std::make_shared<SurfaceLayers>();
    layers->fine = fine;
    layers->window = grid.window;
    layers->logScale = prefersLogScale(grid);
    const double range = grid.maxFinite - grid.minFinite;
    if (layers->logScale) { // c = f - min + low runs from low to range + low
        layers->lossOffset = grid.minFinite - grid.lowScale;
        layers->colorRange = QCPRange(grid.lowScale, range + grid.lowScale);
    } else if (range > 0) {
        layers->colorRange = QCPRange(grid.minFinite, grid.maxFinite);
    } else if (grid.hasFinite()) { // a flat surface: one colour, mid-scale
        layers->colorRange = QCPRange(grid.minFinite - 1, grid.minFinite + 1);
    } else {
        layers->colorRange = QCPRange(0, 1);
    }
    layers->cells = colourCells(grid, layers->logScale);
    layers->cellImage = colourImage(grid, layers->logScale, layers->colorRange);
    if (!fine) // blown up here, smoothly, by a whole factor, rather than 64 x 64 to the plot's size on the GUI thread
        layers->cellImage = layers->cellImage.scaled(kCoarseUpsampling * grid.nx, kCoarseUpsampling * grid.ny,
                                                     Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    layers->levels = contourLevels(grid, contourCount, layers->logScale);
    layers->contours = contourPolylines(traceContours(grid, layers->levels));
    if (!target.axisRect.isEmpty()) {
        const ViewWindow &w = grid.window;
        layers->pictureView = {QCPRange(w.xMin, w.xMax), QCPRange(w.yMin, w.yMax), target.axisRect};
        const SurfacePictureParts parts{layers->cellImage, layers->cells->keyRange(), layers->cells->valueRange(),
                                        grid.nx, grid.ny, layers->contours, target.contourPen};
        layers->picture = surfacePictureImage(layers->pictureView, target.devicePixelRatio, parts);
    }
    layers->grid = std::move(grid);
    return layers;
}

// The task: touches only what it owns (its copy of the objective pointer, the window, its cancel flag).
void computeSurface(QPromise<LayersPtr> &promise, std::shared_ptr<const Objective> objective, ViewWindow window,
                    QSize fineSize, int contourCount, SurfacePictureTarget target, std::shared_ptr<std::atomic<bool>> cancel)
{
    const QSize sizes[] = {QSize(kCoarseNodes, kCoarseNodes), fineSize};
    for (int pass = 0; pass < 2; ++pass) {
        const QSize size = sizes[pass];
        if (cancel->load())
            return;
        SurfaceGrid grid = sampleSurface(*objective, window, size.width(), size.height(), cancel.get());
        if (!grid.complete || cancel->load())
            return;
        promise.addResult(makeLayers(std::move(grid), pass == 1, contourCount, target));
    }
}

} // namespace

SurfaceComputation::SurfaceComputation(QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

SurfaceComputation::~SurfaceComputation()
{
    cancel();
    m_pool.waitForDone();
}

void SurfaceComputation::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
    m_cancel.reset();
    ++m_generation; // results already queued for the GUI thread are dropped too
}

void SurfaceComputation::request(std::shared_ptr<const Objective> objective, const ViewWindow &window,
                                 QSize fineSize, int contourCount, const SurfacePictureTarget &target)
{
    cancel();
    if (!objective)
        return;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    fineSize = fineSize.expandedTo(QSize(2, 2)).boundedTo(QSize(kMaxFineNodes, kMaxFineNodes));

    auto *watcher = new QFutureWatcher<LayersPtr>(this);
    const int generation = m_generation;
    connect(watcher, &QFutureWatcher<LayersPtr>::resultReadyAt, this, [this, watcher, generation](int index) {
        if (generation == m_generation)
            emit surfaceComputed(watcher->resultAt(index));
    });
    connect(watcher, &QFutureWatcher<LayersPtr>::finished, watcher, &QObject::deleteLater);
    watcher->setFuture(QtConcurrent::run(&m_pool, computeSurface, std::move(objective), window, fineSize,
                                         contourCount, target, m_cancel));
}

} // namespace gdviz
