#include "RegressionObjectives.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace gdviz {

namespace {

/// The least-squares line (w, b) of the data: the minimum of the mean squared error.
Vec2 leastSquaresLine(const DataMoments &m)
{
    const long double w = m.varX > 0 ? m.covXY / m.varX : 0; // all-equal x: any w fits as well; take the flat line
    return Vec2(double(w), double(m.meanY - w * m.meanX));
}

/// A view window that frames the least-squares line with room around it.
ViewWindow viewAround(const Vec2 &line)
{
    const double half = std::max({3.0, 1.5 * std::abs(line[0]), 1.5 * std::abs(line[1])});
    return {line[0] - half, line[0] + half, line[1] - half, line[1] + half};
}

/// Sums per-sample loss and gradient over samples sample(0..count-1); the caller divides by count.
template <typename SampleAt, typename Loss>
double meanOver(std::size_t count, SampleAt sampleAt, Loss loss, Vec2 *grad)
{
    double sum = 0, gw = 0, gb = 0;
    for (std::size_t k = 0; k < count; ++k) {
        const auto [x, y] = sampleAt(k);
        double dz;
        sum += loss(x, y, &dz);
        gw += dz * x;
        gb += dz;
    }
    const double inv = 1.0 / double(count);
    if (grad)
        *grad = Vec2(gw * inv, gb * inv);
    return sum * inv;
}

using SamplePair = Eigen::Array2d; // samples k and k + 1: one SSE2 register

/// The samples in file order: pairs load straight from the columns.
struct AllSamples {
    const double *xs, *ys;
    std::size_t size;
    std::pair<SamplePair, SamplePair> pair(std::size_t k) const
    {
        return {Eigen::Map<const SamplePair>(xs + k), Eigen::Map<const SamplePair>(ys + k)};
    }
    std::pair<double, double> one(std::size_t k) const { return {xs[k], ys[k]}; }
};

/// The samples of a batch: pairs gathered through the index list.
struct IndexedSamples {
    const double *xs, *ys;
    const SampleIndex *indices;
    std::size_t size;
    std::pair<SamplePair, SamplePair> pair(std::size_t k) const
    {
        const SampleIndex i = indices[k], j = indices[k + 1];
        return {SamplePair(xs[i], xs[j]), SamplePair(ys[i], ys[j])};
    }
    std::pair<double, double> one(std::size_t k) const { return {xs[indices[k]], ys[indices[k]]}; }
};

/// The mean squared error of the line (w, b) over the samples, and its mean gradient when grad is not null,
/// in one pass that reads each x and y once: the full-batch hot path. Two samples per SSE2 register and two
/// registers per sum, so that each addition does not wait for the previous one; over all samples it runs at
/// the speed memory delivers them. Partial sums are combined in a fixed order, and batches go through the
/// same arithmetic as the full data, so a batch of every sample in file order gives exactly the full result.
template <typename Samples>
double squaredErrorMean(const Samples &samples, double w, double b, Vec2 *grad)
{
    const std::size_t n = samples.size;
    SamplePair sum0 = SamplePair::Zero(), sum1 = SamplePair::Zero(), ex0 = SamplePair::Zero(),
               ex1 = SamplePair::Zero(), e0sum = SamplePair::Zero(), e1sum = SamplePair::Zero();
    std::size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        const auto [x0, y0] = samples.pair(k);
        const auto [x1, y1] = samples.pair(k + 2);
        const SamplePair e0 = w * x0 + b - y0, e1 = w * x1 + b - y1; // residuals
        sum0 += e0 * e0;
        sum1 += e1 * e1;
        ex0 += e0 * x0;
        ex1 += e1 * x1;
        e0sum += e0;
        e1sum += e1;
    }
    double sum = (sum0 + sum1).sum(), ex = (ex0 + ex1).sum(), e = (e0sum + e1sum).sum();
    for (; k < n; ++k) {
        const auto [x, y] = samples.one(k);
        const double r = w * x + b - y;
        sum += r * r;
        ex += r * x;
        e += r;
    }
    const double inv = 1.0 / double(n);
    if (grad)
        *grad = Vec2(2 * ex * inv, 2 * e * inv); // d/dw (w x + b - y)^2 = 2 r x, d/db = 2 r
    return sum * inv;
}

struct LogisticLoss {
    double w, b;
    double operator()(double x, double y, double *dz) const
    {
        const double z = w * x + b;
        const double e = std::exp(-std::abs(z)); // in (0, 1]: never overflows
        const double sigmoid = z >= 0 ? 1 / (1 + e) : e / (1 + e);
        *dz = sigmoid - y;
        return std::max(z, 0.0) - z * y + std::log1p(e);
    }
};

template <typename Loss>
double evaluateAll(const DataSet &data, Loss loss, Vec2 *grad)
{
    const double *xs = data.x.data(), *ys = data.y.data();
    return meanOver(data.size(), [xs, ys](std::size_t i) { return std::pair{xs[i], ys[i]}; }, loss, grad);
}

template <typename Loss>
double evaluateIndexed(const DataSet &data, std::span<const SampleIndex> indices, Loss loss, Vec2 *grad)
{
    const double *xs = data.x.data(), *ys = data.y.data();
    const SampleIndex *idx = indices.data();
    return meanOver(indices.size(), [xs, ys, idx](std::size_t k) { return std::pair{xs[idx[k]], ys[idx[k]]}; },
                    loss, grad);
}

} // namespace

LinearRegressionObjective::LinearRegressionObjective(std::shared_ptr<const DataSet> data)
    : m_data(std::move(data))
    , m_moments(DataMoments::of(*m_data))
{
    const Vec2 best = leastSquaresLine(m_moments);
    m_view = viewAround(best);
    m_minima.push_back({best, evaluate(best, nullptr)});
}

double LinearRegressionObjective::evaluate(const Vec2 &theta, Vec2 *grad) const
{
    if (!grad)
        return m_moments.squaredErrorMean(theta[0], theta[1], nullptr, nullptr);
    return m_moments.squaredErrorMean(theta[0], theta[1], &(*grad)[0], &(*grad)[1]);
}

double LinearRegressionObjective::evaluateEverySample(const Vec2 &theta, Vec2 *grad) const
{
    const DataSet &d = *m_data;
    return squaredErrorMean(AllSamples{d.x.data(), d.y.data(), d.size()}, theta[0], theta[1], grad);
}

double LinearRegressionObjective::evaluateBatch(const Vec2 &theta, std::span<const SampleIndex> indices,
                                                Vec2 *grad) const
{
    const DataSet &d = *m_data;
    return squaredErrorMean(IndexedSamples{d.x.data(), d.y.data(), indices.data(), indices.size()}, theta[0],
                            theta[1], grad);
}

Eigen::Matrix2d LinearRegressionObjective::hessian(const Vec2 &) const
{
    // d2/dw2 mean (w x + b - y)^2 = 2 mean x^2, d2/dwdb = 2 mean x, d2/db2 = 2; mean x^2 = varX + meanX^2.
    const long double meanX = m_moments.meanX, meanSquare = m_moments.varX + meanX * meanX;
    Eigen::Matrix2d h;
    h << double(2 * meanSquare), double(2 * meanX), double(2 * meanX), 2.0;
    return h;
}

LogisticRegressionObjective::LogisticRegressionObjective(std::shared_ptr<const DataSet> data)
    : m_data(std::move(data))
{
    m_view = {-6, 6, -6, 6};
}

double LogisticRegressionObjective::evaluate(const Vec2 &theta, Vec2 *grad) const
{
    return evaluateAll(*m_data, LogisticLoss{theta[0], theta[1]}, grad);
}

Eigen::Matrix2d LogisticRegressionObjective::hessian(const Vec2 &theta) const
{
    // d2 loss/dz2 = sigmoid'(z) = p (1 - p) = e / (1 + e)^2 with e = exp(-|z|) (never overflows), and z = w x + b.
    const DataSet &d = *m_data;
    double xx = 0, x1 = 0, ones = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const double z = theta[0] * d.x[i] + theta[1];
        const double e = std::exp(-std::abs(z));
        const double curvature = e / ((1 + e) * (1 + e));
        xx += curvature * d.x[i] * d.x[i];
        x1 += curvature * d.x[i];
        ones += curvature;
    }
    const double inv = 1.0 / double(d.size());
    Eigen::Matrix2d h;
    h << xx * inv, x1 * inv, x1 * inv, ones * inv;
    return h;
}

double LogisticRegressionObjective::evaluateBatch(const Vec2 &theta, std::span<const SampleIndex> indices,
                                                  Vec2 *grad) const
{
    return evaluateIndexed(*m_data, indices, LogisticLoss{theta[0], theta[1]}, grad);
}

} // namespace gdviz
