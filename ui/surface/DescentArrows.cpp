#include "DescentArrows.h"

#include <qcustomplot.h>

#include <cmath>

namespace gdviz {

namespace {

// Arrows shorter than this (in pixels) get no head and are not drawn: the head alone would be longer.
constexpr double kMinArrowPixels = 4;
// The longest arrow is drawn at least this long, by a power of ten (said in a note), when the true steps are tiny.
constexpr double kReadablePixels = 16;
constexpr double kMaxScale = 1e6;
// Tips closer than this (in pixels) are the same point to the eye: the rule's own arrow is left out.
constexpr double kSameTipPixels = 3;
constexpr double kUpdateWidth = 3; // a little over the paths' 2.5
const QColor kInk(0x33, 0x33, 0x33);
const QColor kGrey(0x80, 0x80, 0x80);

QString scaleText(double scale)
{
    return QStringLiteral("arrows \u00d7%L1 (steps too short to see)").arg(scale, 0, 'f', 0);
}

} // namespace

DescentArrows::DescentArrows(QCustomPlot *plot, QCPLayer *layer)
    : m_plot(plot)
    , m_layer(layer)
    , m_scaleLabel(new QCPItemText(plot))
{
    m_update = make(QStringLiteral("update"));
    m_plain = make(QStringLiteral("plainStep"));
    m_full = make(QStringLiteral("fullGradient"));
    m_rule = make(QStringLiteral("rule"));
    // The legend's sample of each arrow's line: solid, solid, dashed, dotted.
    m_update.glyph = m_plain.glyph = QStringLiteral("\u2501\u2501\u25b6 ");
    m_full.glyph = QStringLiteral("\u254d\u254d\u25b6 ");
    m_rule.glyph = QStringLiteral("\u2508\u2508\u25b6 ");
    m_plain.line->setPen(QPen(kInk, 2));
    m_full.line->setPen(QPen(kGrey, 2, Qt::DashLine));
    m_full.label->setColor(kGrey);
    m_rule.line->setPen(QPen(kInk, 1.5, Qt::DotLine));
    m_rule.line->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 8, 10));
    m_scaleLabel->setObjectName(QStringLiteral("arrowScaleLabel"));
    m_scaleLabel->setColor(kInk);
    m_scaleLabel->setBrush(QColor(255, 255, 255, 220));
    m_scaleLabel->setPadding(QMargins(4, 2, 4, 2));
    m_scaleLabel->setClipToAxisRect(true);
    m_scaleLabel->setSelectable(false);
    raise();
    hide();
}

DescentArrows::Arrow DescentArrows::make(const QString &name)
{
    Arrow a{new QCPItemLine(m_plot), new QCPItemText(m_plot), {}};
    a.line->setObjectName(name + QStringLiteral("Arrow"));
    a.label->setObjectName(name + QStringLiteral("Label"));
    a.line->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 11, 14));
    a.line->setClipToAxisRect(true);
    a.line->setSelectable(false);
    a.label->setColor(kInk);
    a.label->setBrush(QColor(255, 255, 255, 200)); // readable over contour lines
    a.label->setPadding(QMargins(3, 1, 3, 1));
    a.label->setClipToAxisRect(true);
    a.label->setSelectable(false);
    return a;
}

void DescentArrows::setFont(const QFont &font)
{
    for (Arrow *a : {&m_update, &m_plain, &m_full, &m_rule})
        a->label->setFont(font);
    m_scaleLabel->setFont(font);
}

void DescentArrows::raise()
{
    // setLayer() on the layer an item is already on moves it to the top of that layer; the update goes last.
    for (Arrow *a : {&m_full, &m_plain, &m_rule, &m_update}) {
        a->line->setLayer(m_layer);
        a->label->setLayer(m_layer);
    }
    m_scaleLabel->setLayer(m_layer);
}

void DescentArrows::hide()
{
    for (Arrow *a : {&m_update, &m_plain, &m_full, &m_rule}) {
        a->line->setVisible(false);
        a->label->setVisible(false);
    }
    m_scaleLabel->setVisible(false);
    m_scale = 1;
}

bool DescentArrows::place(Arrow &arrow, const Vec2 &from, const Vec2 &vector, const QString &text)
{
    const Vec2 to = from + vector;
    if (!to.allFinite())
        return false;
    arrow.line->start->setCoords(from.x(), from.y());
    arrow.line->end->setCoords(to.x(), to.y());
    const QPointF pixels = arrow.line->end->pixelPosition() - arrow.line->start->pixelPosition();
    if (std::hypot(pixels.x(), pixels.y()) < kMinArrowPixels)
        return false;
    arrow.line->setVisible(true);
    arrow.label->setText(arrow.glyph + text);
    arrow.label->setVisible(true);
    return true;
}

void DescentArrows::stackLegend()
{
    // The legend in the plot's lower left corner, one line per arrow drawn, the scale note on top: labels at the
    // arrows' heads ran into each other where steps are short (a stochastic run's).
    QCPItemText *below = nullptr;
    for (QCPItemText *label : {m_update.label, m_plain.label, m_rule.label, m_full.label, m_scaleLabel}) {
        if (!label->visible())
            continue;
        if (!below) {
            label->position->setParentAnchor(nullptr);
            label->position->setType(QCPItemPosition::ptAxisRectRatio);
            label->position->setCoords(0.02, 0.98);
        } else {
            label->position->setType(QCPItemPosition::ptAbsolute);
            label->position->setParentAnchor(below->topLeft);
            label->position->setCoords(0, -2);
        }
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        below = label;
    }
}

void DescentArrows::show(const UpdateExplanation &e, const QColor &runColor)
{
    hide();
    if (!e.valid || !e.thetaBefore.allFinite() || !e.thetaAfter.allFinite())
        return;
    const Vec2 from = e.thetaBefore;
    const Vec2 update = e.thetaAfter - e.thetaBefore;
    const Vec2 plain = -e.lr * e.gradient;
    const bool partialBatch = e.sampleCount > 0 && e.batch.size() < e.sampleCount;
    const Vec2 full = -e.lr * e.fullGradient;

    // One scale for all: the longest arrow at least kReadablePixels long, by a power of ten.
    auto pixelLength = [this, &from](const Vec2 &v) {
        const double dx = m_plot->xAxis->coordToPixel(from.x() + v.x()) - m_plot->xAxis->coordToPixel(from.x());
        const double dy = m_plot->yAxis->coordToPixel(from.y() + v.y()) - m_plot->yAxis->coordToPixel(from.y());
        return std::hypot(dx, dy);
    };
    double longest = std::max(pixelLength(update), pixelLength(plain));
    if (partialBatch)
        longest = std::max(longest, pixelLength(full));
    if (!(longest > 0) || !std::isfinite(longest))
        return; // at a stationary point nothing moves
    while (longest * m_scale < kReadablePixels && m_scale < kMaxScale)
        m_scale *= 10;
    const double s = m_scale;

    const bool sameAsPlain = pixelLength(s * (update - plain)) < kSameTipPixels;
    const bool batchWord = partialBatch;
    const QString g = batchWord ? QStringLiteral("\u2212lr\u00b7g (batch)") : QStringLiteral("\u2212lr\u00b7g");
    place(m_update, from, s * update, sameAsPlain ? QStringLiteral("next update = \u2212lr\u00b7g") : QStringLiteral("next update"));
    m_update.line->setPen(QPen(runColor, kUpdateWidth));
    m_update.label->setColor(runColor.darker(130));
    if (!sameAsPlain) {
        place(m_plain, from, s * plain, g);
        const OptimizerSettings &o = e.optimizer;
        const bool momentumOnly = o.kind == OptimizerKind::Sgd;
        const QString rule = momentumOnly ? QStringLiteral("+ momentum")
                                          : QStringLiteral("rescaled by %1").arg(QString::fromStdString(optimizerInfo(o.kind).title));
        place(m_rule, from + s * plain, s * (update - plain), rule);
    }
    if (partialBatch && pixelLength(s * (full - plain)) >= kSameTipPixels)
        place(m_full, from, s * full, QStringLiteral("\u2212lr\u00b7\u2207f (all %1 samples)").arg(e.sampleCount));
    if (s > 1) {
        m_scaleLabel->setText(scaleText(s));
        m_scaleLabel->setVisible(true);
    }
    stackLegend();
}

} // namespace gdviz
