#pragma once
// The first and centred second moments of (x, y) samples: everything the mean squared error of a line
// depends on, so that linear regression's full-data loss and gradient cost O(1) instead of a pass.

#include "DataSet.h"

namespace gdviz {

/// Means and centred second moments (population: divided by n) of the samples, accumulated once in long
/// double by two passes (the mean, then the deviations from it, with the second pass's mean deviation
/// folded back in), so that data far from 0 (x around 1e6) lose no more than a few ulps to cancellation.
struct DataMoments {
    long double meanX = 0, meanY = 0;
    long double varX = 0, covXY = 0, varY = 0; // mean (x - meanX)^2, (x - meanX)(y - meanY), (y - meanY)^2

    static DataMoments of(const DataSet &data);

    /// Mean over the samples of (w*x + b - y)^2, and when grad is not null its gradient (d/dw, d/db), in
    /// closed form: with c = w*meanX + b - meanY (the mean residual), mean r^2 = w^2 varX - 2 w covXY + varY
    /// + c^2, d/dw = 2 (w varX - covXY + c meanX), d/db = 2c. Evaluated in long double.
    double squaredErrorMean(double w, double b, double *gradW, double *gradB) const;
};

} // namespace gdviz
