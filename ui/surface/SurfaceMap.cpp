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

bool SurfaceMap::colouredCellsUsable() const
{
    const ColouredCells &c = m_coloured;
    return !c.image.isNull() && c.cells == mMapData && c.range == mDataRange && c.scale == mDataScaleType
           && c.gradient == mGradient && mInterpolate && mKeyAxis && mKeyAxis->orientation() == Qt::Horizontal
           && !mMapData->isEmpty() && c.image.width() % mMapData->keySize() == 0 && c.image.height() % mMapData->valueSize() == 0
           && c.image.width() / mMapData->keySize() == c.image.height() / mMapData->valueSize();
}

std::optional<SurfacePictureParts> SurfaceMap::pictureParts() const
{
    if (!colouredCellsUsable() || mTightBoundary || !mValueAxis || !axesAllowMovedImages(*mKeyAxis, *mValueAxis))
        return std::nullopt;
    return SurfacePictureParts{m_coloured.image, mMapData->keyRange(), mMapData->valueRange(), mMapData->keySize(),
                               mMapData->valueSize(), m_contours, m_contourPen};
}

bool SurfaceMap::setPicture(const QImage &picture, const AxesView &view)
{
    if (picture.isNull() || !pictureParts())
        return false;
    updateMapImage(); // the coloured cells: what an export or a fallback would draw; clears mMapImageInvalidated
    m_cache = picture;
    m_key = {view, picture.devicePixelRatio()};
    m_cacheValid = true;
    return true;
}

void SurfaceMap::updateMapImage()
{
    if (!colouredCellsUsable()) {
        QCPColorMap::updateMapImage();
        return;
    }
    // QCPColorMap::draw() asks again at every draw (the cells' own modified flag is QCPColorMap's to clear);
    // the image is shared, not copied.
    mMapImage = m_coloured.image;
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
    if (const auto parts = pictureParts()) {
        if (mMapImageInvalidated)
            updateMapImage(); // as QCPColorMap::draw() would
        drawSurfacePicture(*painter, axesViewOf(*mKeyAxis, *mValueAxis, clipRect()), *parts);
        return;
    }
    QCPColorMap::draw(painter);
    painter->setAntialiasing(true);
    drawContourLines(*painter, m_contours, m_contourPen, [this](double x, double y) { return coordsToPixels(x, y); });
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
    const CacheKey key{axesViewOf(*mKeyAxis, *mValueAxis, rect), painter->device()->devicePixelRatioF()};
    std::optional<QTransform> toCache;
    if (m_cacheValid && key.devicePixelRatio == m_key.devicePixelRatio && axesAllowMovedImages(*mKeyAxis, *mValueAxis)
        && !(key.view.rect != m_key.view.rect && key.view.keyRange == m_key.view.keyRange
             && key.view.valueRange == m_key.view.valueRange)) // not a resize, which draws afresh
        toCache = pixelsToEarlierView(key.view, m_key.view);
    if (!toCache) { // afresh, at today's view
        m_key = key;
        m_cache = surfacePictureImage(key.view, key.devicePixelRatio, [this](QCPPainter &cache) { drawPicture(&cache); });
        m_cacheValid = true;
        toCache = QTransform();
    }
    m_showingMoved = !toCache->isIdentity();
    // QCPPainter shifts an antialiased painter by half a pixel (for crisp lines); the image, drawn with that
    // shift already inside it, goes on unshifted.
    painter->setAntialiasing(false);
    drawMovedImage(*painter, m_cache, QPointF(surfacePictureArea(m_key.view).topLeft()), *toCache,
                   QRectF(surfacePictureArea(key.view)));
}

} // namespace gdviz
