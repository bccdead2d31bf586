#pragma once
// The cost surface of SurfaceView, computed off the GUI thread: the objective sampled over a window (a coarse
// grid at once, then a fine one), turned into colour-map cells, with its contour lines traced.

#include "ContourLines.h"
#include "SurfaceGrid.h"
#include "SurfacePicture.h"

#include <QObject>
#include <QSize>
#include <QThreadPool>
#include <QVector>

#include <qcustomplot.h>

#include <atomic>
#include <memory>

namespace gdviz {

/// One computed surface, ready to draw. Built by a worker and only read afterwards.
struct SurfaceLayers {
    bool fine = false;
    ViewWindow window;
    SurfaceGrid grid; // f at the nodes (values, minFinite, maxFinite, lowScale)
    bool logScale = false; // prefersLogScale(grid)
    /// The colour map: one cell per grid node, cell centres at the nodes. Cells hold the colour-scale value
    /// c: the loss f on a linear scale; on a logarithmic scale c = f - minFinite + lowScale, so that c > 0 and
    /// log c spreads the basin as the log-spaced contour levels do. Non-finite f gives a NaN cell (a gap).
    std::shared_ptr<QCPColorMapData> cells;
    QCPRange colorRange; // of c over the finite nodes
    /// The cells coloured with surfaceGradient() over colorRange (logarithmically when logScale), here rather
    /// than on the GUI thread: the image QCPColorMap would make of them (see SurfaceMap::setColouredCells()); for
    /// the coarse grid, that image blown up 8 times (smoothly), so that the GUI thread draws it at about its size.
    QImage cellImage;
    /// f = c + lossOffset (0 on a linear scale): what the colour scale's tick labels print.
    double lossOffset = 0;
    std::vector<double> levels; // contourLevels(grid, count, logScale)
    /// Every contour line of every level, each a polyline in plot coordinates (SurfaceMap strokes them alike).
    QVector<QPolygonF> contours;
    /// The surface's picture drawn here for the view of the request (SurfacePicture.h: cellImage, the cells'
    /// ranges, contours and the request's pen), so that the GUI thread only blits it (SurfaceMap::setPicture());
    /// null when the request gave no plot area.
    QImage picture;
    AxesView pictureView;
};

/// Where the surface will be shown: the plot's axis rect (its pixels) and the buffer's device pixel ratio, and the
/// contour lines' pen. An empty rect asks for no picture.
struct SurfacePictureTarget {
    QRect axisRect;
    qreal devicePixelRatio = 1;
    QPen contourPen;
};

class SurfaceComputation : public QObject {
    Q_OBJECT
public:
    explicit SurfaceComputation(QObject *parent = nullptr);
    /// Cancels the computation in flight and waits for it: no task outlives this object.
    ~SurfaceComputation() override;

    /// Computes the surface of objective over window: surfaceComputed() comes first with a 64 x 64 grid, then
    /// with a grid of fineSize nodes (each side clamped to [2, 512]). Cancels any earlier request, whose
    /// results are never reported. Each surface comes with its picture for target at window.
    void request(std::shared_ptr<const Objective> objective, const ViewWindow &window, QSize fineSize,
                 int contourCount, const SurfacePictureTarget &target = {});
    void cancel();

signals:
    void surfaceComputed(std::shared_ptr<const gdviz::SurfaceLayers> layers);

private:
    // One thread: a cancelled task ends within a row of the grid, before the next one starts, so requests
    // never pile up. The sampling itself spreads rows over workerPools::surfaces().
    QThreadPool m_pool;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    int m_generation = 0;
};

} // namespace gdviz
