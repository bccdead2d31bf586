#include "PathCurve.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

namespace gdviz {

namespace {

// Points closer than this (Manhattan, in pixels) to the last one stroked are skipped: a converging run piles
// thousands of steps into a few pixels.
constexpr double kMinStrokePixels = 0.5;

// Liang-Barsky: clips the segment a-b to rect in place; false when no part of it is inside. Keeps far-away
// points (a diverging run, a deep zoom) out of the rasterizer, whose fixed-point coordinates they would overflow.
bool clipSegment(const QRectF &rect, QPointF &a, QPointF &b)
{
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    double t0 = 0, t1 = 1;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.x() - rect.left(), rect.right() - a.x(), a.y() - rect.top(), rect.bottom() - a.y()};
    for (int k = 0; k < 4; ++k) {
        if (p[k] == 0) {
            if (q[k] < 0)
                return false;
            continue;
        }
        const double t = q[k] / p[k];
        if (p[k] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1)
            return false;
    }
    const QPointF start = a;
    if (t1 < 1)
        b = start + t1 * QPointF(dx, dy);
    if (t0 > 0)
        a = start + t0 * QPointF(dx, dy);
    return true;
}

} // namespace

PathCurve::PathCurve(QCPAxis *keyAxis, QCPAxis *valueAxis)
    : QCPCurve(keyAxis, valueAxis)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(settleMs);
    connect(&m_settle, &QTimer::timeout, this, [this] { renderAfresh(m_drawnKey); });
    connect(&m_rendering, &QFutureWatcher<Rendering>::finished, this, &PathCurve::installRendering);
}

void PathCurve::restart(const Vec2 &start)
{
    mDataContainer->clear();
    m_steps = 0;
    m_cacheValid = false;
    ++m_generation;
    append(start);
}

void PathCurve::append(const Vec2 &theta)
{
    const double t = double(m_steps++);
    if (!std::isfinite(theta.x()) || !std::isfinite(theta.y()))
        return;
    mDataContainer->add(QCPCurveData(t, theta.x(), theta.y()));
    if (mDataContainer->size() > maxPoints)
        thin();
}

void PathCurve::thin()
{
    // Visvalingam-Whyatt: repeatedly drop the interior point whose triangle with its current neighbours has the
    // least area, then recompute its neighbours' triangles. Areas are relative to the view, so x and y weigh
    // alike whatever their units.
    const QVector<QCPCurveData> points(mDataContainer->constBegin(), mDataContainer->constEnd());
    const int n = int(points.size());
    const double scale = 1 / (mKeyAxis->range().size() * mValueAxis->range().size());
    std::vector<int> prev(n), next(n);
    std::vector<double> area(n, 0);
    auto triangle = [&](int i) {
        const QCPCurveData &a = points[prev[i]], &b = points[i], &c = points[next[i]];
        return std::abs((b.key - a.key) * (c.value - b.value) - (b.value - a.value) * (c.key - b.key)) * scale;
    };
    for (int i = 0; i < n; ++i) {
        prev[i] = i - 1;
        next[i] = i + 1;
    }
    using Entry = std::pair<double, int>; // (area, index); stale once area[index] has changed
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    for (int i = 1; i + 1 < n; ++i)
        queue.emplace(area[i] = triangle(i), i);
    std::vector<char> dropped(n, 0);
    for (int remaining = n; remaining > pointsAfterThinning && !queue.empty();) {
        const auto [a, i] = queue.top();
        queue.pop();
        if (dropped[i] || a != area[i])
            continue;
        dropped[i] = 1;
        --remaining;
        next[prev[i]] = next[i];
        prev[next[i]] = prev[i];
        for (int neighbour : {prev[i], next[i]})
            if (neighbour > 0 && neighbour + 1 < n)
                queue.emplace(area[neighbour] = triangle(neighbour), neighbour);
    }
    QVector<QCPCurveData> kept;
    kept.reserve(pointsAfterThinning);
    for (int i = 0; i < n; ++i)
        if (!dropped[i])
            kept.append(points[i]);
    mDataContainer->set(kept, true);
}

bool PathCurve::CacheKey::operator==(const CacheKey &other) const
{
    return view == other.view && pen == other.pen
           && devicePixelRatio == other.devicePixelRatio && antialiased == other.antialiased;
}

QPen PathCurve::segmentPen() const
{
    // Separate segments with square caps: the raster engine fills each as one rotated rectangle, fast (a few
    // microseconds each), where a polyline (or round caps) goes through its general stroker, whose time grows
    // faster than the length: 4,000 points of a stochastic run's tangle took 300 ms. The caps, half the width
    // long, close the joints; an opaque pen shows no overlap.
    QPen pen = mPen;
    pen.setCapStyle(Qt::SquareCap);
    return pen;
}

namespace {

/// Strokes segments (in the pixels of an image covering extent) into image.
void stroke(QImage &image, const QRectF &extent, const QVector<QLineF> &segments, const QPen &pen, bool antialiased)
{
    if (segments.isEmpty())
        return;
    QPainter painter(&image);
    painter.translate(-extent.topLeft());
    painter.setRenderHint(QPainter::Antialiasing, antialiased);
    painter.setPen(pen);
    painter.drawLines(segments);
}

/// Where paths are stroked afresh: one thread, the paths one after another, which leaves the other core to the GUI
/// thread (three paths stroked at once on Qt's global pool, beside the surface's computation, took the GUI
/// thread's core away mid-frame). The application owns it, so it waits for its last job before it goes.
QThreadPool &renderingPool()
{
    static QPointer<QThreadPool> pool;
    if (!pool) {
        pool = new QThreadPool(QCoreApplication::instance());
        pool->setMaxThreadCount(1);
    }
    return *pool;
}

} // namespace

void PathCurve::draw(QCPPainter *painter)
{
    if (!mKeyAxis || !mValueAxis || mLineStyle == lsNone || mDataContainer->isEmpty())
        return;
    applyDefaultAntialiasingHint(painter);
    const QRect rect = clipRect();
    if (rect.isEmpty())
        return; // not laid out yet
    const bool exporting = painter->modes().testFlag(QCPPainter::pmNoCaching)
                           || painter->modes().testFlag(QCPPainter::pmVectorized);
    const double margin = mPen.widthF() + 2;
    if (exporting) { // straight onto the picture, at its resolution
        double drawnT = -std::numeric_limits<double>::infinity();
        bool hasLast = false;
        QPointF lastPixel;
        painter->setPen(segmentPen());
        painter->drawLines(newSegments(QTransform(), QRectF(rect).adjusted(-margin, -margin, margin, margin), drawnT,
                                       hasLast, lastPixel));
        return;
    }
    const CacheKey key{axesViewOf(*mKeyAxis, *mValueAxis, rect), mPen, painter->device()->devicePixelRatioF(),
                       painter->antialiasing()};
    m_drawnKey = key;
    QTransform toCache; // today's pixels to the cache key's
    if (!m_cacheValid || !(key == m_key)) {
        const std::optional<Mapping> moved = m_cacheValid ? pixelsToCache(key) : std::nullopt;
        if (!moved) {
            startCache(key); // nothing to move (a new path, a new pen): stroked here, at once
        } else { // panning or zooming: the image, moved; afresh once it stops, or now if it no longer will do
            toCache = moved->toCache;
            if (moved->closeEnough)
                m_settle.start();
            else
                renderAfresh(key);
        }
    }
    m_showingMoved = !toCache.isIdentity();
    const QRectF extent = cacheExtent(m_key);
    stroke(m_cache, extent,
           newSegments(toCache, extent.adjusted(-margin, -margin, margin, margin), m_drawnT, m_hasLast, m_lastPixel),
           segmentPen(), m_key.antialiased);
    // The image at its place or moved, on the raster engine's fast blend path unless scaled; the painter's clip
    // (the axis rect) trims it.
    drawMovedImage(*painter, m_cache, extent.topLeft(), toCache, QRectF(rect));
}

void PathCurve::startCache(const CacheKey &key)
{
    ++m_generation; // a rendering in flight is for the earlier image
    m_key = key;
    m_cache = transparentImage(cacheExtent(key).size(), key.devicePixelRatio);
    m_cacheValid = true;
    m_drawnT = -std::numeric_limits<double>::infinity();
    m_hasLast = false;
}

void PathCurve::renderAfresh(const CacheKey &key)
{
    if (!m_cacheValid || m_rendering.isRunning() || key.view.rect.isEmpty())
        return; // installRendering() replots, and that frame asks again if the view has moved on
    // The segments are found here (the axes belong to the GUI thread) at key's ranges, which are today's: draw()
    // and the settle timer pass the key of the frame just drawn.
    Rendering job;
    job.key = key;
    job.drawnT = -std::numeric_limits<double>::infinity();
    job.generation = m_generation;
    const QRectF extent = cacheExtent(key);
    const double margin = mPen.widthF() + 2;
    const QVector<QLineF> segments = newSegments(QTransform(), extent.adjusted(-margin, -margin, margin, margin),
                                                 job.drawnT, job.hasLast, job.lastPixel);
    m_rendering.setFuture(QtConcurrent::run(&renderingPool(), [job, extent, segments, pen = segmentPen()]() mutable {
        job.image = transparentImage(extent.size(), job.key.devicePixelRatio);
        stroke(job.image, extent, segments, pen, job.key.antialiased);
        return job;
    }));
}

void PathCurve::installRendering()
{
    const Rendering done = m_rendering.result();
    if (done.generation != m_generation || !m_cacheValid) {
        // Stroked for an image since replaced (a restart, a new pen). If frames still show an image moved, no
        // settle timer may be coming to ask again (a move too far asks at once, and was turned away meanwhile).
        if (m_cacheValid && m_showingMoved)
            renderAfresh(m_drawnKey);
        return;
    }
    m_key = done.key;
    m_cache = done.image;
    m_drawnT = done.drawnT;
    m_hasLast = done.hasLast;
    m_lastPixel = done.lastPixel;
    if (layer())
        layer()->replot();
}

QRectF PathCurve::cacheExtent(const CacheKey &key)
{
    const QRectF r(key.view.rect);
    return r.adjusted(-r.width() / 2, -r.height() / 2, r.width() / 2, r.height() / 2);
}

std::optional<PathCurve::Mapping> PathCurve::pixelsToCache(const CacheKey &now) const
{
    if (now.pen != m_key.pen || now.devicePixelRatio != m_key.devicePixelRatio || now.antialiased != m_key.antialiased
        || !axesAllowMovedImages(*mKeyAxis, *mValueAxis))
        return std::nullopt;
    const std::optional<QTransform> toCache = pixelsToEarlierView(now.view, m_key.view);
    if (!toCache)
        return std::nullopt;
    const bool closeEnough = toCache->m11() > 0.5 && toCache->m11() < 2 && toCache->m22() > 0.5 && toCache->m22() < 2
                             && cacheExtent(m_key).contains(toCache->mapRect(QRectF(now.view.rect)));
    return Mapping{*toCache, closeEnough};
}

QVector<QLineF> PathCurve::newSegments(const QTransform &toTarget, const QRectF &clip, double &drawnT, bool &hasLast,
                                       QPointF &lastPixel) const
{
    QVector<QLineF> segments;
    const auto end = mDataContainer->constEnd();
    auto it = std::upper_bound(mDataContainer->constBegin(), end, drawnT,
                               [](double t, const QCPCurveData &point) { return t < point.t; });
    for (; it != end; ++it) {
        drawnT = it->t;
        const QPointF p = toTarget.map(coordsToPixels(it->key, it->value));
        if (!std::isfinite(p.x()) || !std::isfinite(p.y()))
            continue;
        if (hasLast && (p - lastPixel).manhattanLength() < kMinStrokePixels)
            continue;
        QPointF a = lastPixel, b = p;
        lastPixel = p;
        if (std::exchange(hasLast, true) && clipSegment(clip, a, b))
            segments.append(QLineF(a, b));
    }
    return segments;
}

} // namespace gdviz
