#pragma once
// The named test functions of optimization (standard definitions, as in the list of test functions for
// optimization), each with its exact analytic gradient, default view window and known minima.

#include "Objective.h"
#include "Optimizers.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gdviz {

enum class AnalyticKind {
    Quadratic,
    Rosenbrock,
    Beale,
    Himmelblau,
    Booth,
    Matyas,
    ThreeHumpCamel,
    SixHumpCamel,
    Rastrigin,
    Ackley,
    StyblinskiTang,
    GoldsteinPrice,
    Saddle,
};

/// The parameters a named function takes, with their defaults: quadratic (a=1, b=10), rosenbrock
/// (a=1, b=100), rastrigin (A=10). Others take none.
struct AnalyticParameter {
    std::string name;
    double defaultValue;
};

/// A learning rate for each optimizer (its other hyperparameters at torch's defaults). of() has a case for every
/// OptimizerKind and no default, so a new optimizer does not compile (-Wswitch, -Werror) until it has a rate here.
struct RecommendedRates {
    double sgd, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam;
    double of(OptimizerKind kind) const;
};

struct AnalyticFunctionInfo {
    AnalyticKind kind;
    std::string name; // the scenario file's "kind", e.g. "three_hump_camel"
    std::string title; // for people, e.g. "Three-hump camel"
    std::vector<AnalyticParameter> parameters;
    /// Defaults that teach (RecommendedDefaults.h), for the DEFAULT parameters above: from defaultStart (inside
    /// the default view, away from the minimum, the same for every optimizer), each optimizer at its rate converges
    /// or makes visible progress within 2,000 updates without diverging (the saddle, unbounded below: falls for
    /// 200 updates), with a margin (how they were chosen: above the table in AnalyticFunctions.cpp).
    Vec2 defaultStart;
    RecommendedRates recommendedLr;
};

/// Every named function, in the order a menu shows them.
const std::vector<AnalyticFunctionInfo> &analyticFunctions();
const AnalyticFunctionInfo *findAnalyticFunction(const std::string &name);

class AnalyticObjective final : public Objective {
public:
    /// parameters: values by name; missing ones take their defaults.
    AnalyticObjective(AnalyticKind kind, const std::map<std::string, double> &parameters);

    double evaluate(const Vec2 &theta, Vec2 *grad) const override;
    void evaluateRow(std::span<const double> xs, double y, std::span<double> out) const override;
    /// Analytic second derivatives of each formula (AnalyticHessians.cpp).
    Eigen::Matrix2d hessian(const Vec2 &theta) const override;
    AnalyticKind kind() const { return m_kind; }
    /// The function's parameters as the formulas take them (AnalyticFormulas.h): quadratic and rosenbrock
    /// (a, b), rastrigin (A, unused).
    double a() const { return m_a; }
    double b() const { return m_b; }

private:
    AnalyticKind m_kind;
    double m_a = 0, m_b = 0; // quadratic (a, b), rosenbrock (a, b), rastrigin (A in m_a)
};

} // namespace gdviz
