#include "SurfaceMap.h"

#include <cmath>

namespace gdviz {

SurfaceMap::SurfaceMap(QCPAxis *keyAxis, QCPAxis *valueAxis) : QCPColorMap(keyAxis, valueAxis) {}

void SurfaceMap::setColouredCells(const QImage &image, const QCPColorMapData *cells, const QCPRange &range,
                                  QCPAxis::ScaleType scale, const QCPColorGradient &gradient)
{
    m_coloured = {image, cells, range, scale, gradient};
    mMapImageInvalidated = true;
}

void SurfaceMap::updateMapImage()
{
    const ColouredCells &c = m_coloured;
    const bool usable = !c.image.isNull() && c.cells == mMapData && c.range == mDataRange && c.scale == mDataScaleType
                        && c.gradient == mGradient && mInterpolate && mKeyAxis && mKeyAxis->orientation() == Qt::Horizontal
                        && c.image.width() == mMapData->keySize() && c.image.height() == mMapData->valueSize();
    if (!usable) {
        QCPColorMap::updateMapImage();
        return;
    }
    // QCPColorMap::draw() asks again at every draw (the cells' own modified flag is QCPColorMap's to clear);
    // the image is shared, not copied.
    mMapImage = c.image;
    mMapImageInvalidated = false;
}

void SurfaceMap::setContours(const QVector<QVector<QCPCurveData>> &levels)
{
    m_contours.clear();
    for (const QVector<QCPCurveData> &level : levels) {
        QVector<QPolygonF> lines(1);
        for (const QCPCurveData &point : level) {
            if (std::isfinite(point.key) && std::isfinite(point.value))
                lines.last().append(QPointF(point.key, point.value));
            else if (!lines.last().isEmpty())
                lines.append(QPolygonF());
        }
        if (lines.last().isEmpty())
            lines.removeLast();
        m_contours.append(lines);
    }
    m_cacheValid = false;
}

void SurfaceMap::setContourPen(const QPen &pen)
{
    m_contourPen = pen;
    m_cacheValid = false;
}

void SurfaceMap::drawPicture(QCPPainter *painter)
{
    QCPColorMap::draw(painter);
    painter->save();
    painter->setAntialiasing(true);
    painter->setPen(m_contourPen);
    painter->setBrush(Qt::NoBrush);
    for (const QVector<QPolygonF> &level : std::as_const(m_contours))
        for (const QPolygonF &line : level) {
            QPolygonF pixels(line.size());
            for (qsizetype k = 0; k < line.size(); ++k)
                pixels[k] = coordsToPixels(line[k].x(), line[k].y());
            painter->drawPolyline(pixels);
        }
    painter->restore();
}

void SurfaceMap::draw(QCPPainter *painter)
{
    if (!mKeyAxis || !mValueAxis)
        return;
    const QRect rect = clipRect();
    const bool exporting = painter->modes().testFlag(QCPPainter::pmNoCaching)
                           || painter->modes().testFlag(QCPPainter::pmVectorized);
    if (exporting || rect.isEmpty()) { // straight onto the picture, at its resolution
        drawPicture(painter);
        return;
    }
    if (mMapImageInvalidated) // new cells, data range, gradient or scale type
        m_cacheValid = false;
    const CacheKey key{mKeyAxis->range(), mValueAxis->range(), rect, painter->device()->devicePixelRatioF()};
    QTransform toCache;
    if (!m_cacheValid || !pixelsToCache(key, toCache)) { // afresh, at today's view
        m_key = key;
        m_cache = QImage((QSizeF(rect.size()) * key.devicePixelRatio).toSize(), QImage::Format_ARGB32_Premultiplied);
        m_cache.setDevicePixelRatio(key.devicePixelRatio);
        m_cache.fill(Qt::transparent);
        QCPPainter cache(&m_cache);
        cache.translate(-rect.topLeft());
        cache.setClipRect(rect);
        drawPicture(&cache);
        m_cacheValid = true;
        toCache = QTransform();
    }
    m_showingMoved = !toCache.isIdentity();
    // QCPPainter shifts an antialiased painter by half a pixel (for crisp lines); the image, drawn with that
    // shift already inside it, goes on unshifted.
    painter->setAntialiasing(false);
    if (toCache.type() <= QTransform::TxTranslate) { // at its place, or a pan: whole pixels
        painter->drawImage(QPointF(std::round(m_key.rect.left() - toCache.dx()), std::round(m_key.rect.top() - toCache.dy())),
                           m_cache);
        return;
    }
    // Scaled: the part of the image in view, found in it through toCache.
    const QRectF source = toCache.mapRect(QRectF(rect)).translated(-QPointF(m_key.rect.topLeft()));
    const double ratio = m_key.devicePixelRatio;
    painter->drawImage(QRectF(rect), m_cache, QRectF(source.topLeft() * ratio, source.size() * ratio));
}

bool SurfaceMap::pixelsToCache(const CacheKey &now, QTransform &toCache) const
{
    const bool sameRanges = now.keyRange == m_key.keyRange && now.valueRange == m_key.valueRange;
    if (now.devicePixelRatio != m_key.devicePixelRatio || (sameRanges && now.rect != m_key.rect) // resized
        || mKeyAxis->scaleType() != QCPAxis::stLinear || mValueAxis->scaleType() != QCPAxis::stLinear
        || mKeyAxis->rangeReversed() || mValueAxis->rangeReversed() || mKeyAxis->orientation() != Qt::Horizontal)
        return false;
    // As PathCurve::pixelsToCache: today's pixel p is at s p + t in the image's view (the axis rect may have
    // moved or changed size with the tick labels' width).
    const QRect &was = m_key.rect, &rect = now.rect;
    const QCPRange &x0 = m_key.keyRange, &y0 = m_key.valueRange, &x1 = now.keyRange, &y1 = now.valueRange;
    double sx = x1.size() / x0.size() * was.width() / rect.width();
    double sy = y1.size() / y0.size() * was.height() / rect.height();
    constexpr double sameScale = 1e-9; // a pan keeps the ranges' sizes, up to their last bits
    if (std::abs(sx - 1) < sameScale && std::abs(sy - 1) < sameScale)
        sx = sy = 1;
    const double tx = was.left() + (x1.lower - x0.lower) / x0.size() * was.width() - rect.left() * sx;
    const double ty = was.bottom() - (y1.lower - y0.lower) / y0.size() * was.height() - rect.bottom() * sy;
    if (!(sx > 0) || !(sy > 0) || !std::isfinite(sx) || !std::isfinite(sy) || !std::isfinite(tx) || !std::isfinite(ty))
        return false;
    toCache = QTransform(sx, 0, 0, sy, tx, ty);
    return true;
}

} // namespace gdviz
