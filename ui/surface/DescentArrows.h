#pragma once
// The arrows SurfaceView draws at the selected run's current point, to show what its next update is made of
// (also at step 0, before anything has happened): every arrow to scale, from the exact numbers of that update
// (UpdateExplanation, computed by the core on a copy of the run).

#include "UpdateExplanation.h"

#include <QColor>
#include <QFont>

class QCustomPlot;
class QCPItemLine;
class QCPItemText;
class QCPLayer;

namespace gdviz {

/// From theta, the point the update starts at:
/// - "next update" (the run's colour, thick): theta_{k+1} - theta_k, the step the run will take;
/// - "−lr·g" (dark ink): the plain gradient step with the gradient the update uses (the batch's), which is the
///   update itself for SGD without momentum (then only the update is drawn, labelled "next update = −lr·g");
/// - "−lr·∇f (all n samples)" (grey, dashed): the full gradient's step, when the batch is not the whole data,
///   so that the class sees how far one batch's direction is from the true one;
/// - from the plain step's tip to the update's (dotted): what the rule adds to the plain step, labelled
///   "+ momentum" (SGD, RMSprop with momentum) or "rescaled by Adam" (the adaptive rules' per-coordinate scaling).
/// All share one scale: when the longest would be shorter than about 16 px, every arrow is drawn 10, 100, ...
/// times longer and a note says so ("arrows ×100"), so that tiny steps stay visible and still compare truly.
/// A legend in the plot's lower left corner names each arrow drawn (a sample of its line, then its words), the
/// scale note above it. Items on the given layer, clipped to the axis rect, named "updateArrow", "plainStepArrow",
/// "fullGradientArrow", "ruleArrow", their legend lines "updateLabel", "plainStepLabel", "fullGradientLabel",
/// "ruleLabel", and "arrowScaleLabel".
class DescentArrows {
public:
    DescentArrows(QCustomPlot *plot, QCPLayer *layer);

    void setFont(const QFont &font);
    /// Moves the arrows above everything else on their layer.
    void raise();
    void hide();
    /// Draws the update's arrows (e.valid; its thetaBefore is where they start). Call again when the view
    /// changes: the scale follows the pixels.
    void show(const UpdateExplanation &e, const QColor &runColor);
    /// The factor every arrow is drawn longer by (1, 10, 100, ...); 1 when hidden.
    double scale() const { return m_scale; }

private:
    struct Arrow {
        QCPItemLine *line = nullptr;
        QCPItemText *label = nullptr;
        QString glyph; // its line's sample in the legend
    };
    Arrow make(const QString &name);
    /// Places the arrow from `from` along `vector` (already scaled), its label beyond the head; false (hidden)
    /// when shorter than an arrow head.
    bool place(Arrow &arrow, const Vec2 &from, const Vec2 &vector, const QString &text);
    /// Stacks the visible labels into a legend in the plot's lower left corner.
    void stackLegend();
    QCustomPlot *m_plot;
    QCPLayer *m_layer;
    Arrow m_update, m_plain, m_full, m_rule;
    QCPItemText *m_scaleLabel;
    double m_scale = 1;
};

} // namespace gdviz
