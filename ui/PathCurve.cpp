#include "PathCurve.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <vector>

namespace gdviz {

namespace {

// Points closer than this (Manhattan, in pixels) to the last one stroked are skipped: a converging run piles
// thousands of steps into a few pixels.
constexpr double kMinStrokePixels = 0.5;
// Points per polyline handed to the raster engine (see strokeNewPoints()).
constexpr qsizetype kStrokePiece = 16;

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

void PathCurve::restart(const Vec2 &start)
{
    mDataContainer->clear();
    m_steps = 0;
    m_cacheValid = false;
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
    return keyRange == other.keyRange && valueRange == other.valueRange && rect == other.rect && pen == other.pen
           && devicePixelRatio == other.devicePixelRatio && antialiased == other.antialiased;
}

void PathCurve::draw(QCPPainter *painter)
{
    const bool exporting = painter->modes().testFlag(QCPPainter::pmNoCaching)
                           || painter->modes().testFlag(QCPPainter::pmVectorized);
    if (exporting || !mKeyAxis || !mValueAxis || mLineStyle == lsNone) {
        QCPCurve::draw(painter);
        return;
    }
    if (mDataContainer->isEmpty())
        return;
    applyDefaultAntialiasingHint(painter);
    const QRect rect = clipRect();
    const CacheKey key{mKeyAxis->range(), mValueAxis->range(), rect, mPen, painter->device()->devicePixelRatioF(),
                       painter->antialiasing()};
    if (!m_cacheValid || !(key == m_key)) {
        m_cache = QImage(rect.size() * key.devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
        m_cache.setDevicePixelRatio(key.devicePixelRatio);
        m_cache.fill(Qt::transparent);
        m_key = key;
        m_cacheValid = true;
        m_drawnT = -std::numeric_limits<double>::infinity();
        m_hasLast = false;
    }
    strokeNewPoints(rect);
    painter->drawImage(rect.topLeft(), m_cache);
}

void PathCurve::strokeNewPoints(const QRect &rect)
{
    const auto end = mDataContainer->constEnd();
    auto it = std::upper_bound(mDataContainer->constBegin(), end, m_drawnT,
                               [](double t, const QCPCurveData &point) { return t < point.t; });
    if (it == end)
        return;
    const double margin = mPen.widthF() + 2;
    const QRectF clip = QRectF(rect).adjusted(-margin, -margin, margin, margin);
    const QPointF gap(std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN());
    QVector<QPointF> lines; // polyline pieces, separated by a NaN point (drawCurveLine leaves a gap there)
    for (; it != end; ++it) {
        m_drawnT = it->t;
        const QPointF p = coordsToPixels(it->key, it->value);
        if (!std::isfinite(p.x()) || !std::isfinite(p.y()))
            continue;
        if (!m_hasLast) {
            m_lastPixel = p;
            m_hasLast = true;
            continue;
        }
        if ((p - m_lastPixel).manhattanLength() < kMinStrokePixels)
            continue;
        QPointF a = m_lastPixel, b = p;
        m_lastPixel = p;
        if (!clipSegment(clip, a, b))
            continue;
        if (lines.isEmpty() || lines.last() != a) { // a new piece: the path left the view and came back
            if (!lines.isEmpty())
                lines << gap;
            lines << a;
        }
        lines << b;
    }
    if (lines.size() < 2)
        return;
    QCPPainter painter(&m_cache);
    painter.translate(-rect.topLeft());
    painter.setPen(mPen);
    painter.setBrush(Qt::NoBrush);
    painter.setAntialiasing(m_key.antialiased);
    // In short pieces: the raster engine strokes one long self-crossing polyline in time that grows faster than
    // its length (a 4,000-point stochastic path took a second), pieces in linear time. The round caps of
    // consecutive pieces overlap where they meet, which an opaque pen does not show.
    for (qsizetype from = 0; from + 1 < lines.size(); from += kStrokePiece - 1)
        drawPolyline(&painter, lines.mid(from, std::min<qsizetype>(kStrokePiece, lines.size() - from)));
}

} // namespace gdviz
