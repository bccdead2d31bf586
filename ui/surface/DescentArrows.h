#pragma once
// The two arrows SurfaceView draws at the selected run's current point, to show what an update is made of.

#include "Objective.h"

#include <QColor>
#include <QFont>

class QCustomPlot;
class QCPItemLine;
class QCPItemText;
class QCPLayer;

namespace gdviz {

/// The negative gradient, in a dark ink, labelled "−gradient": its direction is -grad's in parameter space,
/// its length a fixed share of the view (gradients span many orders of magnitude; the arrow shows which way
/// is downhill). And the actual last update theta_k - theta_{k-1} at its true length, in the run's colour: too
/// short to draw an arrow head on (under 4 px), it is left out. Both are items on the given layer, clipped to
/// the axis rect, named "gradientArrow", "gradientLabel" and "updateArrow".
class DescentArrows {
public:
    DescentArrows(QCustomPlot *plot, QCPLayer *layer);

    void setFont(const QFont &font);
    /// Moves the arrows above everything else on their layer.
    void raise();
    void hide();
    /// Draws the arrows at `at`, reached from `previous`, where the gradient is `grad`. Call again when the
    /// view changes: the gradient arrow's length follows it.
    void show(const Vec2 &previous, const Vec2 &at, const Vec2 &grad, const QColor &runColor);

private:
    QCustomPlot *m_plot;
    QCPLayer *m_layer;
    QCPItemLine *m_gradient, *m_update;
    QCPItemText *m_label;
};

} // namespace gdviz
