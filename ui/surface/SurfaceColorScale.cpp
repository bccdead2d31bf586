#include "SurfaceColorScale.h"

#include <algorithm>
#include <cmath>

namespace gdviz {

QCPColorGradient surfaceGradient()
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.00, QColor(0xfb, 0xfc, 0xfc));
    gradient.setColorStopAt(0.30, QColor(0xe0, 0xea, 0xee));
    gradient.setColorStopAt(0.65, QColor(0xb4, 0xc8, 0xd0));
    gradient.setColorStopAt(1.00, QColor(0x86, 0x9f, 0xab));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    gradient.setLevelCount(512);
    gradient.setNanHandling(QCPColorGradient::nhTransparent);
    return gradient;
}

QVector<double> LossTicker::createTickVector(double, const QCPRange &range)
{
    QVector<double> ticks;
    if (!(range.lower > 0) || !(range.upper > range.lower))
        return ticks;
    const double minGap = std::log10(range.upper / range.lower) / 8; // in decades of c
    const double fLow = range.lower + m_offset, fHigh = range.upper + m_offset;
    const int kLow = int(std::floor(std::log10(range.lower))) - 1;
    const int kHigh = int(std::ceil(std::log10(std::max(std::abs(fLow), std::abs(fHigh))))) + 1;
    QVector<double> candidates{0.0};
    for (double mantissa : {1.0, 5.0, 2.0})
        for (int k = kHigh; k >= kLow; --k)
            candidates << mantissa * std::pow(10.0, k) << -mantissa * std::pow(10.0, k);
    QVector<double> positions;
    for (double f : candidates) {
        const double c = f - m_offset;
        if (f < fLow || f > fHigh || !(c > 0))
            continue;
        const double position = std::log10(c);
        const bool crowded = std::any_of(positions.begin(), positions.end(),
                                         [&](double p) { return std::abs(p - position) < minGap; });
        if (!crowded) {
            positions << position;
            ticks << c;
        }
    }
    std::sort(ticks.begin(), ticks.end());
    return ticks;
}

QVector<double> LossTicker::createSubTickVector(int, const QVector<double> &)
{
    return {};
}

QString LossTicker::getTickLabel(double tick, const QLocale &locale, QChar, int)
{
    // Round values: below 10^4 in full (1000, not 1e+03); above, as powers (1e+05, which the axis's
    // default number format typesets as 10 with a superscript 5), never the two styles side by side.
    const double loss = tick + m_offset;
    return locale.toString(loss, 'g', std::abs(loss) < 1e4 ? 6 : 1);
}

} // namespace gdviz
