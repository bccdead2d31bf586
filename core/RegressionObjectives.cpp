#include "RegressionObjectives.h"

#include <algorithm>
#include <cmath>

namespace gdviz {

namespace {

/// The least-squares line (w, b) of the data: the minimum of the mean squared error.
Vec2 leastSquaresLine(const DataSet &data)
{
    const std::size_t n = data.size();
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i) {
        mx += data.x[i];
        my += data.y[i];
    }
    mx /= double(n);
    my /= double(n);
    double sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sxx += (data.x[i] - mx) * (data.x[i] - mx);
        sxy += (data.x[i] - mx) * (data.y[i] - my);
    }
    const double w = sxx > 0 ? sxy / sxx : 0.0; // all-equal x: any w fits as well; take the flat line
    return Vec2(w, my - w * mx);
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

struct SquaredError {
    double w, b;
    double operator()(double x, double y, double *dz) const
    {
        const double r = w * x + b - y;
        *dz = 2 * r;
        return r * r;
    }
};

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
{
    const Vec2 best = leastSquaresLine(*m_data);
    m_view = viewAround(best);
    m_minima.push_back({best, evaluate(best, nullptr)});
}

double LinearRegressionObjective::evaluate(const Vec2 &theta, Vec2 *grad) const
{
    return evaluateAll(*m_data, SquaredError{theta[0], theta[1]}, grad);
}

double LinearRegressionObjective::evaluateBatch(const Vec2 &theta, std::span<const SampleIndex> indices,
                                                Vec2 *grad) const
{
    return evaluateIndexed(*m_data, indices, SquaredError{theta[0], theta[1]}, grad);
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

double LogisticRegressionObjective::evaluateBatch(const Vec2 &theta, std::span<const SampleIndex> indices,
                                                  Vec2 *grad) const
{
    return evaluateIndexed(*m_data, indices, LogisticLoss{theta[0], theta[1]}, grad);
}

} // namespace gdviz
