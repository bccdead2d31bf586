#pragma once
// The colour scale of the cost surface: its colours, and the ticks of its logarithmic form.

#include <qcustomplot.h>

namespace gdviz {

/// Light, low-saturation sequential colours, from near-white at the lowest loss through pale blue-grey to a
/// muted slate: the surface stays a quiet background and the saturated Okabe-Ito paths stand out on it. NaN
/// (a non-finite loss) is transparent: a gap showing the plot's background.
QCPColorGradient surfaceGradient();

/// Ticks of the logarithmic colour scale, whose value is c = f - min + low (see SurfaceLayers): placed at round
/// losses f (0, then 1, 5 and 2 times a power of ten, in that preference, larger powers first) at least an
/// eighth of the bar apart, and labelled with f, so the bar reads in loss. Larger powers go first because the
/// offset crowds the small ones together at the bottom of the bar: of 0.1 and 1 there, 1 is the one to keep.
class LossTicker : public QCPAxisTicker {
public:
    /// f = c + offset
    void setLossOffset(double offset) { m_offset = offset; }

protected:
    QVector<double> createTickVector(double tickStep, const QCPRange &range) override;
    QVector<double> createSubTickVector(int subTickCount, const QVector<double> &ticks) override;
    QString getTickLabel(double tick, const QLocale &locale, QChar formatChar, int precision) override;

private:
    double m_offset = 0;
};

} // namespace gdviz
