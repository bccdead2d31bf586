#include "DataMoments.h"

namespace gdviz {

DataMoments DataMoments::of(const DataSet &data)
{
    DataMoments m;
    const std::size_t n = data.size();
    if (n == 0)
        return m;
    const long double count = n;
    long double sx = 0, sy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sx += data.x[i];
        sy += data.y[i];
    }
    const long double mx = sx / count, my = sy / count;
    // Deviations from the first-pass means; their own means (zero but for rounding) correct both the means
    // and the second moments: mean (x - m)^2 = var + (mean (x - m))^2.
    long double dx = 0, dy = 0, dxx = 0, dxy = 0, dyy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const long double u = data.x[i] - mx, v = data.y[i] - my;
        dx += u;
        dy += v;
        dxx += u * u;
        dxy += u * v;
        dyy += v * v;
    }
    dx /= count;
    dy /= count;
    m.meanX = mx + dx;
    m.meanY = my + dy;
    m.varX = dxx / count - dx * dx;
    m.covXY = dxy / count - dx * dy;
    m.varY = dyy / count - dy * dy;
    return m;
}

double DataMoments::squaredErrorMean(double w, double b, double *gradW, double *gradB) const
{
    const long double lw = w;
    const long double c = lw * meanX + b - meanY; // the mean residual
    if (gradW)
        *gradW = double(2 * (lw * varX - covXY + c * meanX));
    if (gradB)
        *gradB = double(2 * c);
    const long double loss = lw * lw * varX - 2 * lw * covXY + varY + c * c;
    return double(loss > 0 ? loss : 0); // a sum of squares; rounding never makes it negative
}

} // namespace gdviz
