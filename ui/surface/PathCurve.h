#pragma once
// A descent path on the surface: a QCPCurve that grows while its run animates, decimated for display and
// drawn incrementally.

#include "MovedImage.h"
#include "Objective.h"

#include <optional>

#include <qcustomplot.h>

#include <QFutureWatcher>
#include <QImage>
#include <QTimer>
#include <QTransform>

namespace gdviz {

/// Decimation. Every step is appended; when the curve holds more than maxPoints, it is simplified down to
/// pointsAfterThinning by Visvalingam-Whyatt: the points that change its shape least go first, so the
/// thousands of steps a converging run piles into a pixel vanish while a zig-zag keeps its corners and a curve
/// its bends. The first and the last point are never dropped, and every point kept is exactly one of the
/// steps, its step number as its t. A 100,000-step path shows 3,000-4,000 points, at O(log n) amortized cost
/// per step (an O(n log n) pass every 1,000 steps). The engine keeps the exact trajectory.
///
/// Drawing. Wide antialiased strokes are the costly part of a replot in Qt's raster engine. So the path is
/// drawn as separate square-capped segments (segmentPen(): several times faster than a polyline), and on screen
/// the curve keeps an image of the axis rect with the path drawn so far, strokes into it only the points
/// appended since the last replot, and blits it: an animation frame costs the new segments and one blit,
/// however long the path. The image is redrawn in full when the axes' ranges, the axis rect, the pen or the
/// antialiasing change, and after restart(); thinning needs no redraw (the image just keeps the fuller path).
/// Exports (savePng, savePdf) draw the kept points straight onto the picture.
///
/// Panning and zooming. The image covers the axis rect and half its size again on every side. While the user
/// pans or zooms, a frame draws that image moved and scaled to the new ranges (an affine map on linear axes,
/// exact for a pan up to the nearest pixel) instead of stroking the whole path again: a pan frame costs a blit.
/// settleMs after the last change, or as soon as the view leaves the image or the scale has changed more
/// than twofold, the path is drawn afresh at the new ranges, on a thread of its own (stroking a 4,000-point
/// tangle takes 10-30 ms): frames go on showing the earlier image, moved, until the new one is ready. Only when
/// there is no image to move (a path just restarted; a new pen, antialiasing or device pixel ratio; axes that
/// are not linear) is the path stroked on the GUI thread.
class PathCurve : public QCPCurve {
public:
    static constexpr int maxPoints = 4000;
    static constexpr int pointsAfterThinning = 3000;

    static constexpr int settleMs = 80;

    PathCurve(QCPAxis *keyAxis, QCPAxis *valueAxis);

    /// The path is this one point now.
    void restart(const Vec2 &start);
    /// The next step. A non-finite point (a diverged run's last record) is counted but not drawn.
    void append(const Vec2 &theta);
    /// True when the last frame showed the image of an earlier view, moved: until settleMs after the last pan or
    /// zoom, and then until the image drawn afresh has arrived and been shown.
    bool isShowingMovedImage() const { return m_showingMoved; }

protected:
    void draw(QCPPainter *painter) override;

private:
    struct CacheKey {
        AxesView view;
        QPen pen;
        qreal devicePixelRatio = 1;
        bool antialiased = true;
        bool operator==(const CacheKey &other) const;
    };
    /// An image stroked off the GUI thread (renderAfresh()), with what draw() needs to go on from it.
    struct Rendering {
        QImage image;
        CacheKey key;
        double drawnT = 0;
        bool hasLast = false;
        QPointF lastPixel;
        int generation = 0;
    };
    /// How the cache's image maps to the view of key: toCache, and whether it is close enough to keep showing
    /// until settleMs after the last change (false: the view left the image or its scale changed twofold).
    struct Mapping {
        QTransform toCache;
        bool closeEnough = false;
    };
    void thin();
    /// An empty image at key; the whole path is stroked into it by this draw().
    void startCache(const CacheKey &key);
    /// Strokes the whole path at key into a new image on the rendering thread; installed when done (one at a time).
    void renderAfresh(const CacheKey &key);
    void installRendering();
    QPen segmentPen() const;
    /// The segments, in pixels mapped by toTarget and clipped to clip, from lastPixel through the points with
    /// t > drawnT; updates the three to the last point taken. Points within half a pixel of the previous one
    /// are skipped.
    QVector<QLineF> newSegments(const QTransform &toTarget, const QRectF &clip, double &drawnT, bool &hasLast,
                                QPointF &lastPixel) const;
    /// The map from today's pixels to the cache key's, when the axes are linear and only their ranges changed.
    std::optional<Mapping> pixelsToCache(const CacheKey &now) const;
    /// The pixels a cache image at key covers, in key's pixel coordinates.
    static QRectF cacheExtent(const CacheKey &key);

    long m_steps = 0; // points given since the restart: the next one's t

    QImage m_cache;
    CacheKey m_key;
    bool m_cacheValid = false;
    double m_drawnT = 0; // t of the last point drawn into the cache
    bool m_hasLast = false;
    QPointF m_lastPixel; // where the last stroke ended, in the cache key's pixel coordinates
    QTimer m_settle; // redraws the path afresh once panning or zooming has stopped
    bool m_showingMoved = false;
    CacheKey m_drawnKey; // the view of the last frame drawn, which the settled image is drawn for
    QFutureWatcher<Rendering> m_rendering;
    int m_generation = 0; // a rendering started before the last restart() or new pen is dropped
};

} // namespace gdviz
