#pragma once
// The cost surface's picture (the colour map and its contour lines) drawn from plain data, on any thread: what
// SurfaceMap shows, and what SurfaceComputation draws ahead on its own thread for the view it computed, so that
// the frame that first shows a new surface only blits it.
//
// It draws what QCPColorMap::draw() draws for an interpolated map with a loose boundary on linear, unreversed axes
// (keys horizontal): the cells' image scaled smoothly over the cells' key and value ranges widened by half a cell,
// shifted half a pixel as QCPPainter shifts an antialiased painter; then the lines over it.

#include "MovedImage.h"

#include <qcustomplot.h>

#include <QImage>
#include <QPen>
#include <QVector>

#include <functional>

namespace gdviz {

/// What the picture is made of: plain values, shared (QImage, QVector) rather than copied.
struct SurfacePictureParts {
    /// The cells coloured (one pixel per cell, the top row first; or that image blown up by a whole factor).
    QImage cellImage;
    QCPRange keyRange, valueRange; // of the cell centres (QCPColorMapData's ranges)
    int keySize = 0, valueSize = 0; // cells per row and per column
    QVector<QPolygonF> contours; // each a polyline in plot coordinates
    QPen contourPen;
};

/// QCPAxis::coordToPixel for view's linear, unreversed axes (keys horizontal), in the same operations.
inline QPointF pixelOf(const AxesView &view, double key, double value)
{
    return {(key - view.keyRange.lower) / view.keyRange.size() * view.rect.width() + view.rect.left(),
            view.rect.bottom() - (value - view.valueRange.lower) / view.valueRange.size() * view.rect.height()};
}

/// Strokes lines (plot coordinates) with pen, each point put at toPixel(x, y), on a QCPPainter (whose setPen() follows
/// its export modes) that the caller has made antialiased.
template <typename ToPixel>
void drawContourLines(QCPPainter &painter, const QVector<QPolygonF> &lines, const QPen &pen, ToPixel toPixel)
{
    painter.save();
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    QPolygonF pixels;
    for (const QPolygonF &line : lines) {
        pixels.resize(line.size());
        for (qsizetype k = 0; k < line.size(); ++k)
            pixels[k] = toPixel(line[k].x(), line[k].y());
        painter.drawPolyline(pixels);
    }
    painter.restore();
}

/// Draws the picture of parts at view onto painter (antialiased, and left so).
void drawSurfacePicture(QCPPainter &painter, const AxesView &view, const SurfacePictureParts &parts);

/// The image SurfaceMap keeps on screen for view: what a plot layer shows of the axis rect (QCPLayer clips a
/// plottable one pixel up), at devicePixelRatio, transparent where nothing is drawn.
QImage surfacePictureImage(const AxesView &view, qreal devicePixelRatio, const SurfacePictureParts &parts);
/// The same image with draw painting it, in the plot's pixels and clipped to the area.
QImage surfacePictureImage(const AxesView &view, qreal devicePixelRatio, const std::function<void(QCPPainter &)> &draw);

/// The part of the plot that image shows, in the plot's pixels: the axis rect, one pixel up.
inline QRect surfacePictureArea(const AxesView &view)
{
    return view.rect.translated(0, -1);
}

} // namespace gdviz
