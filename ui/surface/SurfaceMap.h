#pragma once
// The cost surface's picture: the colour map (a QCPColorMap: its cells, gradient and colour scale as usual) and
// its contour lines, drawn together.
//
// On screen the picture is kept as an image of the axis rect. A frame whose view is the image's blits it. While
// the user pans or zooms, frames draw that image moved and scaled to the new ranges (an affine map on linear
// axes; a pan moves it by whole pixels) instead of colouring and stroking the surface again, as PathCurve does
// for the paths: a pan frame costs a blit. Outside the image there is nothing to show, as there was no surface
// computed there yet; SurfaceView asks for the surface of the new view once the movement pauses, and the image
// is drawn afresh, at its view, when new cells arrive (unless the picture drawn ahead for them comes along:
// setPicture()) (setData(), or a new data range, gradient or scale type:
// what makes QCPColorMap colour its image again; cells edited in place are not seen), the lines or their pen
// change, the plot is resized, or the axes are not linear.
// Exports (savePng, savePdf) draw the colour map and the lines straight onto the picture.
//
// With cells coloured elsewhere (setColouredCells()) on linear axes, the picture is drawn from them by
// drawSurfacePicture() (SurfacePicture.h), as SurfaceComputation draws it on its own thread; else QCPColorMap draws
// the colour map.

#include "MovedImage.h"
#include "SurfacePicture.h"

#include <qcustomplot.h>

#include <QImage>
#include <QVector>

namespace gdviz {

class SurfaceMap : public QCPColorMap {
public:
    SurfaceMap(QCPAxis *keyAxis, QCPAxis *valueAxis);

    /// The contour lines (every level's), each a polyline in plot coordinates.
    void setContours(const QVector<QPolygonF> &lines);
    void setContourPen(const QPen &pen);

    /// An image of cells coloured elsewhere (off the GUI thread), as QCPColorMap colours them for an interpolated
    /// map on a horizontal key axis (one pixel per cell, the top row first; or that image blown up by a whole
    /// factor, which QCPColorMap::draw() scales less) with range, scale and gradient. It
    /// stands in for QCPColorMap's own colouring (262,144 colours on the GUI thread for a 512 x 512 surface)
    /// while the map's cells are cells and its range, scale type, gradient and interpolation are these. The cells
    /// are known by their address: give the map cells of its own (setData(cells, false)), not a copy into the
    /// object it has.
    void setColouredCells(const QImage &image, const QCPColorMapData *cells, const QCPRange &range,
                          QCPAxis::ScaleType scale, const QCPColorGradient &gradient);

    /// The picture drawn elsewhere for view: surfacePictureImage(view, its device pixel ratio, parts), with parts
    /// equal to this map's cells coloured (setColouredCells()), lines and pen. It is kept as the on-screen image, as
    /// if a frame at view had drawn it: the next frame blits it, moved if the view has moved since, and draws afresh
    /// only if the plot's size or pixel ratio differ. Call after setting what it shows. Ignored (false) when the
    /// coloured cells cannot stand for the map's own (setColouredCells()) or the axes are not linear.
    bool setPicture(const QImage &picture, const AxesView &view);

    /// True when the last frame showed the image of an earlier view, moved.
    bool isShowingMovedImage() const { return m_showingMoved; }

protected:
    void draw(QCPPainter *painter) override;
    void updateMapImage() override;

private:
    struct CacheKey {
        AxesView view;
        qreal devicePixelRatio = 1;
    };
    /// The colour map and the lines at today's ranges, onto painter.
    void drawPicture(QCPPainter *painter);
    /// What drawSurfacePicture() draws, when the coloured cells stand for the map's own on linear axes.
    std::optional<SurfacePictureParts> pictureParts() const;
    bool colouredCellsUsable() const;

    struct ColouredCells {
        QImage image;
        const QCPColorMapData *cells = nullptr;
        QCPRange range;
        QCPAxis::ScaleType scale = QCPAxis::stLinear;
        QCPColorGradient gradient;
    };
    ColouredCells m_coloured;
    QVector<QPolygonF> m_contours; // in plot coordinates
    QPen m_contourPen;
    QImage m_cache;
    CacheKey m_key;
    bool m_cacheValid = false;
    bool m_showingMoved = false;
};

} // namespace gdviz
