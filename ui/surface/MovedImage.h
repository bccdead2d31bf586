#pragma once
// Drawing an image made for one view of the axes at another: what PathCurve and SurfaceMap do while the user
// pans or zooms, instead of drawing their contents again.

#include <qcustomplot.h>

#include <QTransform>

#include <optional>

namespace gdviz {

/// A view of a plottable's axes: their ranges and the axis rect, in the plot's pixels.
struct AxesView {
    QCPRange keyRange, valueRange;
    QRect rect;
    bool operator==(const AxesView &) const = default;
};

inline AxesView axesViewOf(const QCPAxis &keyAxis, const QCPAxis &valueAxis, const QRect &rect)
{
    return {keyAxis.range(), valueAxis.range(), rect};
}

/// Whether an image of one view of these axes can stand for another: linear, not reversed, keys horizontal.
inline bool axesAllowMovedImages(const QCPAxis &keyAxis, const QCPAxis &valueAxis)
{
    return keyAxis.scaleType() == QCPAxis::stLinear && valueAxis.scaleType() == QCPAxis::stLinear
           && !keyAxis.rangeReversed() && !valueAxis.rangeReversed() && keyAxis.orientation() == Qt::Horizontal;
}

/// The map from the pixels of view now to those of view was: a point at pixel p today was at s p + t. Follows
/// QCPAxis::coordToPixel: x = left + (key - lower) / size * width, y = bottom - (value - lower) / size * height
/// (QRect::bottom(), as QCPAxis takes it). A pan (the ranges' sizes equal up to their last bits) is a shift alone.
/// Nothing when the numbers are not finite or the scale not positive.
inline std::optional<QTransform> pixelsToEarlierView(const AxesView &now, const AxesView &was)
{
    const QRect &r0 = was.rect, &r1 = now.rect;
    const QCPRange &x0 = was.keyRange, &y0 = was.valueRange, &x1 = now.keyRange, &y1 = now.valueRange;
    if (r1.isEmpty() || r0.isEmpty())
        return std::nullopt;
    double sx = x1.size() / x0.size() * r0.width() / r1.width();
    double sy = y1.size() / y0.size() * r0.height() / r1.height();
    constexpr double sameScale = 1e-9;
    if (std::abs(sx - 1) < sameScale && std::abs(sy - 1) < sameScale)
        sx = sy = 1;
    const double tx = r0.left() + (x1.lower - x0.lower) / x0.size() * r0.width() - r1.left() * sx;
    const double ty = r0.bottom() - (y1.lower - y0.lower) / y0.size() * r0.height() - r1.bottom() * sy;
    if (!(sx > 0) || !(sy > 0) || !std::isfinite(sx) || !std::isfinite(sy) || !std::isfinite(tx) || !std::isfinite(ty))
        return std::nullopt;
    return QTransform(sx, 0, 0, sy, tx, ty);
}

/// A transparent image of size (in the plot's pixels) at devicePixelRatio, to draw an image for a view into.
inline QImage transparentImage(const QSizeF &size, qreal devicePixelRatio)
{
    QImage image((size * devicePixelRatio).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(Qt::transparent);
    return image;
}

/// Draws image, which shows the pixels from origin on of an earlier view, at today's view, where toEarlier maps
/// today's pixels to that view's; target is today's area to fill (the painter's clip trims the rest). A pan
/// moves the image by whole pixels (keeping origin's fraction, so it lands where the unmoved image did), on the
/// raster engine's fast path; a zoom draws the part of the image in view, scaled.
inline void drawMovedImage(QPainter &painter, const QImage &image, const QPointF &origin, const QTransform &toEarlier,
                           const QRectF &target)
{
    if (toEarlier.type() <= QTransform::TxTranslate) {
        painter.drawImage(origin - QPointF(std::round(toEarlier.dx()), std::round(toEarlier.dy())), image);
        return;
    }
    const QRectF source = toEarlier.mapRect(target).translated(-origin);
    const double ratio = image.devicePixelRatio();
    painter.drawImage(target, image, QRectF(source.topLeft() * ratio, source.size() * ratio));
}

} // namespace gdviz
