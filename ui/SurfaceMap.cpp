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
                        && !mMapData->isEmpty() && c.image.width() % mMapData->keySize() == 0 && c.image.height() % mMapData->valueSize() == 0
                        && c.image.width() / mMapData->keySize() == c.image.height() / mMapData->valueSize();
    if (!usable) {
        QCPColorMap::updateMapImage();
        return;
    }
    // QCPColorMap::draw() asks again at every draw (the cells' own modified flag is QCPColorMap's to clear);
    // the image is shared, not copied.
    mMapImage = c.image;
    mMapImageInvalidated = false;
}

void SurfaceMap::setContours(const QVector<QPolygonF> &lines)
{
    m_contours = lines;
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
    for (const QPolygonF &line : std::as_const(m_contours)) {
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
    if (mMapImageInvalidated) // new cells, data range, gradient or scale type (seen before an export clears it)
        m_cacheValid = false;
    const QRect rect = clipRect();
    const bool exporting = painter->modes().testFlag(QCPPainter::pmNoCaching)
                           || painter->modes().testFlag(QCPPainter::pmVectorized);
    if (exporting || rect.isEmpty()) { // straight onto the picture, at its resolution
        drawPicture(painter);
        return;
    }
    // The image covers what the layer shows of the axis rect: QCPLayer clips a plottable to its clipRect() one
    // pixel up.
    const QRect shown = rect.translated(0, -1);
    const CacheKey key{axesViewOf(*mKeyAxis, *mValueAxis, rect), painter->device()->devicePixelRatioF()};
    std::optional<QTransform> toCache;
    if (m_cacheValid && key.devicePixelRatio == m_key.devicePixelRatio && axesAllowMovedImages(*mKeyAxis, *mValueAxis)
        && !(key.view.rect != m_key.view.rect && key.view.keyRange == m_key.view.keyRange
             && key.view.valueRange == m_key.view.valueRange)) // not a resize, which draws afresh
        toCache = pixelsToEarlierView(key.view, m_key.view);
    if (!toCache) { // afresh, at today's view
        m_key = key;
        m_cache = QImage((QSizeF(shown.size()) * key.devicePixelRatio).toSize(), QImage::Format_ARGB32_Premultiplied);
        m_cache.setDevicePixelRatio(key.devicePixelRatio);
        m_cache.fill(Qt::transparent);
        QCPPainter cache(&m_cache);
        cache.translate(-shown.topLeft());
        cache.setClipRect(shown);
        drawPicture(&cache);
        m_cacheValid = true;
        toCache = QTransform();
    }
    m_showingMoved = !toCache->isIdentity();
    // QCPPainter shifts an antialiased painter by half a pixel (for crisp lines); the image, drawn with that
    // shift already inside it, goes on unshifted.
    painter->setAntialiasing(false);
    drawMovedImage(*painter, m_cache, QPointF(m_key.view.rect.translated(0, -1).topLeft()), *toCache, QRectF(shown));
}

} // namespace gdviz
