#pragma once
// Objectives learned from data, where batch, stochastic and mini-batch gradient descent differ.
// Both are MEANS over the samples of a batch (as Keras and torch); theta = (w, b).

#include "DataMoments.h"
#include "DataSet.h"
#include "Objective.h"

#include <memory>

namespace gdviz {

/// Mean squared error of the line w*x + b, as Keras loss='mse': mean of (w*x + b - y)^2 (no 1/2).
/// evaluate() computes it in O(1) from the data's moments (taken once, here); evaluateEverySample() and
/// evaluateBatch() sum the samples, as torch does, for the updates.
class LinearRegressionObjective final : public Objective {
public:
    explicit LinearRegressionObjective(std::shared_ptr<const DataSet> data);

    double evaluate(const Vec2 &theta, Vec2 *grad) const override;
    double evaluateEverySample(const Vec2 &theta, Vec2 *grad) const override;
    /// 2 [[mean x^2, mean x], [mean x, 1]], the same at every theta (the loss is quadratic), from the moments.
    Eigen::Matrix2d hessian(const Vec2 &theta) const override;
    std::size_t sampleCount() const override { return m_data->size(); }
    double evaluateBatch(const Vec2 &theta, std::span<const SampleIndex> indices, Vec2 *grad) const override;
    std::pair<std::string, std::string> parameterNames() const override { return {"w", "b"}; }
    const DataSet &data() const { return *m_data; }

private:
    std::shared_ptr<const DataSet> m_data;
    DataMoments m_moments;
};

/// Mean binary cross-entropy of p = sigmoid(w*x + b) against labels 0/1, computed from the logit z
/// so that it never overflows: loss = max(z, 0) - z*y + log1p(exp(-|z|)), d loss/dz = sigmoid(z) - y.
class LogisticRegressionObjective final : public Objective {
public:
    explicit LogisticRegressionObjective(std::shared_ptr<const DataSet> data);

    double evaluate(const Vec2 &theta, Vec2 *grad) const override;
    /// mean over the samples of p (1 - p) [[x^2, x], [x, 1]], p = sigmoid(w x + b): one pass over the data.
    Eigen::Matrix2d hessian(const Vec2 &theta) const override;
    std::size_t sampleCount() const override { return m_data->size(); }
    double evaluateBatch(const Vec2 &theta, std::span<const SampleIndex> indices, Vec2 *grad) const override;
    std::pair<std::string, std::string> parameterNames() const override { return {"w", "b"}; }
    const DataSet &data() const { return *m_data; }

private:
    std::shared_ptr<const DataSet> m_data;
};

} // namespace gdviz
