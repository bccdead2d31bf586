#pragma once
// A descent path on the surface: a QCPCurve that grows while its run animates, decimated for display and
// drawn incrementally.

#include "Objective.h"

#include <qcustomplot.h>

#include <QImage>

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
class PathCurve : public QCPCurve {
public:
    static constexpr int maxPoints = 4000;
    static constexpr int pointsAfterThinning = 3000;

    PathCurve(QCPAxis *keyAxis, QCPAxis *valueAxis) : QCPCurve(keyAxis, valueAxis) {}

    /// The path is this one point now.
    void restart(const Vec2 &start);
    /// The next step. A non-finite point (a diverged run's last record) is counted but not drawn.
    void append(const Vec2 &theta);

protected:
    void draw(QCPPainter *painter) override;

private:
    struct CacheKey {
        QCPRange keyRange, valueRange;
        QRect rect;
        QPen pen;
        qreal devicePixelRatio = 1;
        bool antialiased = true;
        bool operator==(const CacheKey &other) const;
    };
    void thin();
    QPen segmentPen() const;
    /// The segments, in pixels and clipped to rect, from lastPixel through the points with t > drawnT; updates
    /// the three to the last point taken. Points within half a pixel of the previous one are skipped.
    QVector<QLineF> newSegments(const QRect &rect, double &drawnT, bool &hasLast, QPointF &lastPixel) const;

    long m_steps = 0; // points given since the restart: the next one's t

    QImage m_cache;
    CacheKey m_key;
    bool m_cacheValid = false;
    double m_drawnT = 0; // t of the last point drawn into the cache
    bool m_hasLast = false;
    QPointF m_lastPixel; // where the last stroke ended, in the cache key's pixel coordinates
};

} // namespace gdviz
