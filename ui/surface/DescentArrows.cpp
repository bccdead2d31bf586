#include "DescentArrows.h"

#include <qcustomplot.h>

#include <cmath>

namespace gdviz {

namespace {

// The negative-gradient arrow's length, as a fraction of the view.
constexpr double kGradientArrowLength = 0.12;
// Shorter updates (in pixels) get no arrow: its head alone would be longer than the step.
constexpr double kMinUpdatePixels = 4;
constexpr double kUpdateWidth = 2.5; // as the paths
const QColor kInk(0x33, 0x33, 0x33);

} // namespace

DescentArrows::DescentArrows(QCustomPlot *plot, QCPLayer *layer)
    : m_plot(plot), m_layer(layer), m_gradient(new QCPItemLine(plot)), m_update(new QCPItemLine(plot)),
      m_label(new QCPItemText(plot))
{
    m_gradient->setObjectName(QStringLiteral("gradientArrow"));
    m_update->setObjectName(QStringLiteral("updateArrow"));
    m_label->setObjectName(QStringLiteral("gradientLabel"));
    for (QCPItemLine *arrow : {m_gradient, m_update}) {
        arrow->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 11, 14));
        arrow->setClipToAxisRect(true);
        arrow->setSelectable(false);
    }
    m_gradient->setPen(QPen(kInk, 2));
    m_label->setText(QStringLiteral("\u2212gradient"));
    m_label->setColor(kInk);
    m_label->setBrush(QColor(255, 255, 255, 200)); // readable over contour lines
    m_label->setPadding(QMargins(3, 1, 3, 1));
    m_label->setSelectable(false);
    raise();
    hide();
}

void DescentArrows::setFont(const QFont &font)
{
    m_label->setFont(font);
}

void DescentArrows::raise()
{
    // setLayer() on the layer an item is already on moves it to the top of that layer.
    m_update->setLayer(m_layer);
    m_gradient->setLayer(m_layer);
    m_label->setLayer(m_layer);
}

void DescentArrows::hide()
{
    m_gradient->setVisible(false);
    m_update->setVisible(false);
    m_label->setVisible(false);
}

void DescentArrows::show(const Vec2 &previous, const Vec2 &at, const Vec2 &grad, const QColor &runColor)
{
    hide();
    if (!previous.allFinite() || !at.allFinite())
        return;
    m_update->start->setCoords(previous.x(), previous.y());
    m_update->end->setCoords(at.x(), at.y());
    m_update->setPen(QPen(runColor, kUpdateWidth));
    const QPointF pixels = m_update->end->pixelPosition() - m_update->start->pixelPosition();
    m_update->setVisible(std::hypot(pixels.x(), pixels.y()) >= kMinUpdatePixels);

    // end = at - s * grad, with s such that (end - at) measured in view widths and heights has the length
    // kGradientArrowLength.
    const QCPRange x = m_plot->xAxis->range(), y = m_plot->yAxis->range();
    const double norm = Vec2(grad.x() / x.size(), grad.y() / y.size()).norm();
    if (!(norm > 0) || !std::isfinite(norm))
        return; // at a stationary point there is no downhill
    const Vec2 end = at - kGradientArrowLength / norm * grad;
    m_gradient->start->setCoords(at.x(), at.y());
    m_gradient->end->setCoords(end.x(), end.y());
    m_gradient->setVisible(true);
    // The label just beyond the head, on the side the arrow points to.
    m_label->position->setCoords(end.x(), end.y());
    m_label->setPositionAlignment((grad.x() > 0 ? Qt::AlignRight : Qt::AlignLeft)
                                  | (grad.y() > 0 ? Qt::AlignTop : Qt::AlignBottom));
    m_label->setVisible(true);
}

} // namespace gdviz
