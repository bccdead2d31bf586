#include "SurfacePicture.h"

#include <qcustomplot.h>

namespace gdviz {

void drawSurfacePicture(QCPPainter &painter, const AxesView &view, const SurfacePictureParts &parts)
{
    painter.setAntialiasing(true); // as QCPColorMap's default hint: QCPPainter shifts by half a pixel
    if (!parts.cellImage.isNull() && parts.keySize > 0 && parts.valueSize > 0) {
        // QCPColorMap::draw(): cell centres lie on the ranges' ends, so the image reaches half a cell beyond them.
        QRectF imageRect = QRectF(pixelOf(view, parts.keyRange.lower, parts.valueRange.lower),
                                  pixelOf(view, parts.keyRange.upper, parts.valueRange.upper)).normalized();
        const double halfCellWidth = parts.keySize > 1 ? 0.5 * imageRect.width() / double(parts.keySize - 1) : 0;
        const double halfCellHeight = parts.valueSize > 1 ? 0.5 * imageRect.height() / double(parts.valueSize - 1) : 0;
        imageRect.adjust(-halfCellWidth, -halfCellHeight, halfCellWidth, halfCellHeight);
        const bool smooth = painter.renderHints().testFlag(QPainter::SmoothPixmapTransform);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
        painter.drawImage(imageRect, parts.cellImage);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, smooth);
    }
    drawContourLines(painter, parts.contours, parts.contourPen, [&view](double x, double y) { return pixelOf(view, x, y); });
}

QImage surfacePictureImage(const AxesView &view, qreal devicePixelRatio, const SurfacePictureParts &parts)
{
    return surfacePictureImage(view, devicePixelRatio, [&](QCPPainter &painter) { drawSurfacePicture(painter, view, parts); });
}

QImage surfacePictureImage(const AxesView &view, qreal devicePixelRatio, const std::function<void(QCPPainter &)> &draw)
{
    const QRect area = surfacePictureArea(view);
    QImage image = transparentImage(QSizeF(area.size()), devicePixelRatio);
    QCPPainter painter(&image);
    painter.translate(-area.topLeft());
    painter.setClipRect(area);
    draw(painter);
    return image;
}

} // namespace gdviz
