#include "AnalyticFunctions.h"
#include "AnalyticFormulas.h"

#include <array>
#include <cmath>
#include <numbers>
#include <utility>

namespace gdviz {

double RecommendedRates::of(OptimizerKind kind) const
{
    switch (kind) {
    case OptimizerKind::Sgd: return sgd;
    case OptimizerKind::Adagrad: return adagrad;
    case OptimizerKind::Rmsprop: return rmsprop;
    case OptimizerKind::Adadelta: return adadelta;
    case OptimizerKind::Adam: return adam;
    case OptimizerKind::AdamW: return adamw;
    case OptimizerKind::Adamax: return adamax;
    case OptimizerKind::Nadam: return nadam;
    }
    return sgd; // not reached: every kind has its case
}

// Each row: kind, name, title, parameters, then the defaults that teach: the start point and the learning rates
// {sgd, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam}, for the default parameters (a function given
// other parameters keeps them: quadratic's b = 100 needs a smaller SGD rate than b = 10's 0.05).
//
// How they were chosen: a sweep with Run (the engine's own updates) of every function x optimizer x lr on a grid
// (1, 1.5, 2, 3, 4, 5, 6, 7, 8 per decade, 1e-6 to 800), 2,000 updates from the start (the saddle: 200), stop
// rules off but the default divergence rule. An lr "works" when the run does not diverge and ends below its
// start loss. A rate r is kept only when every grid lr from r to 3r works (a third of the largest lr that still
// works, or less), and it is a round 1, 2 or 5 times a power of ten. Then:
// - SGD: the largest such r that is also at most about half the local stable limit (r <= 1.1 / lambda_max of the
//   Hessian at the start and at the point reached: no step overshoots much) and whose loss never rises between
//   checkpoints (100, 300, 1,000, 2,000 updates).
// - Adaptive optimizers, which do not diverge but rattle when steps are large: among rates whose longest step
//   is at most 5% of the view's width, the smallest whose mean progress over the checkpoints (share of the
//   way from the start loss to the global minimum) is within 0.01 of the best.
// - The saddle: the same margin over 200 updates, and rates with which y escapes about as far as the view.
// Starts are classic teaching starts inside the default view: away from the minimum, off the local-minimum
// lattices of Rastrigin and Ackley (from a lattice point every optimizer stays put), and from where most
// optimizers reach a minimum (Rastrigin, Ackley, Styblinski-Tang, Goldstein-Price and, with SGD, the three-hump
// camel end in a local one).
const std::vector<AnalyticFunctionInfo> &analyticFunctions()
{
    static const std::vector<AnalyticFunctionInfo> all = {
        {AnalyticKind::Quadratic, "quadratic", "Quadratic bowl", {{"a", 1.0}, {"b", 10.0}},
         Vec2(-2.5, 2), {0.05, 0.2, 0.02, 5, 0.05, 0.05, 0.05, 0.05}},
        {AnalyticKind::Rosenbrock, "rosenbrock", "Rosenbrock", {{"a", 1.0}, {"b", 100.0}},
         Vec2(-1.5, 2), {0.0005, 0.1, 0.01, 0.5, 0.1, 0.1, 0.1, 0.02}},
        {AnalyticKind::Beale, "beale", "Beale", {},
         Vec2(1, 1.5), {0.002, 0.2, 0.02, 10, 0.05, 0.05, 0.1, 0.05}},
        {AnalyticKind::Himmelblau, "himmelblau", "Himmelblau", {},
         Vec2(0, 0), {0.01, 0.2, 0.02, 5, 0.05, 0.05, 0.05, 0.05}},
        {AnalyticKind::Booth, "booth", "Booth", {},
         Vec2(-8, -8), {0.02, 0.5, 0.05, 10, 0.2, 0.2, 0.2, 0.2}},
        {AnalyticKind::Matyas, "matyas", "Matyas", {},
         Vec2(-7, -3), {0.5, 0.5, 0.05, 10, 0.2, 0.2, 0.5, 0.2}},
        {AnalyticKind::ThreeHumpCamel, "three_hump_camel", "Three-hump camel", {},
         Vec2(-1.5, -1.5), {0.05, 0.1, 0.01, 2, 0.02, 0.02, 0.02, 0.02}},
        {AnalyticKind::SixHumpCamel, "six_hump_camel", "Six-hump camel", {},
         Vec2(-1, -1), {0.02, 0.1, 0.005, 2, 0.01, 0.01, 0.01, 0.01}},
        {AnalyticKind::Rastrigin, "rastrigin", "Rastrigin", {{"A", 10.0}},
         Vec2(-2.2, 2.6), {0.002, 0.02, 0.002, 1, 0.005, 0.005, 0.005, 0.005}},
        {AnalyticKind::Ackley, "ackley", "Ackley", {},
         Vec2(-3.5, 2.5), {0.02, 0.02, 0.002, 0.5, 0.005, 0.005, 0.005, 0.005}},
        {AnalyticKind::StyblinskiTang, "styblinski_tang", "Styblinski-Tang", {},
         Vec2(0, 4.5), {0.01, 0.2, 0.02, 10, 0.05, 0.05, 0.05, 0.05}},
        {AnalyticKind::GoldsteinPrice, "goldstein_price", "Goldstein-Price", {},
         Vec2(-1.5, 0.5), {2e-6, 0.1, 0.005, 2, 0.02, 0.02, 0.02, 0.02}},
        {AnalyticKind::Saddle, "saddle", "Saddle (x\u00b2 - y\u00b2)", {},
         Vec2(-1.5, 0.05), {0.005, 0.05, 0.005, 0.5, 0.01, 0.01, 0.01, 0.01}},
    };
    return all;
}

const AnalyticFunctionInfo *findAnalyticFunction(const std::string &name)
{
    for (const auto &info : analyticFunctions())
        if (info.name == name)
            return &info;
    return nullptr;
}

AnalyticObjective::AnalyticObjective(AnalyticKind kind, const std::map<std::string, double> &parameters)
    : m_kind(kind)
{
    auto param = [&](const char *name, double fallback) {
        auto it = parameters.find(name);
        return it == parameters.end() ? fallback : it->second;
    };
    auto minimum = [this](double x, double y, double value) { m_minima.push_back({Vec2(x, y), value}); };

    switch (kind) {
    case AnalyticKind::Quadratic:
        m_a = param("a", 1.0);
        m_b = param("b", 10.0);
        m_view = {-3, 3, -3, 3};
        minimum(0, 0, 0);
        break;
    case AnalyticKind::Rosenbrock:
        m_a = param("a", 1.0);
        m_b = param("b", 100.0);
        m_view = {-2, 2, -1, 3};
        minimum(m_a, m_a * m_a, 0);
        break;
    case AnalyticKind::Beale:
        m_view = {-4.5, 4.5, -4.5, 4.5};
        minimum(3, 0.5, 0);
        break;
    case AnalyticKind::Himmelblau:
        m_view = {-5, 5, -5, 5};
        minimum(3, 2, 0);
        minimum(-2.805118, 3.131312, 0);
        minimum(-3.779310, -3.283186, 0);
        minimum(3.584428, -1.848126, 0);
        break;
    case AnalyticKind::Booth:
        m_view = {-10, 10, -10, 10};
        minimum(1, 3, 0);
        break;
    case AnalyticKind::Matyas:
        m_view = {-10, 10, -10, 10};
        minimum(0, 0, 0);
        break;
    case AnalyticKind::ThreeHumpCamel:
        m_view = {-2, 2, -2, 2};
        minimum(0, 0, 0);
        break;
    case AnalyticKind::SixHumpCamel:
        m_view = {-2, 2, -1.2, 1.2};
        // To double precision, so that the loss above the minimum (f - f*) stays positive near it.
        minimum(0.08984201368301331, -0.7126564032704135, -1.031628453489877);
        minimum(-0.08984201368301331, 0.7126564032704135, -1.031628453489877);
        break;
    case AnalyticKind::Rastrigin:
        m_a = param("A", 10.0);
        m_view = {-5.12, 5.12, -5.12, 5.12};
        minimum(0, 0, 0);
        break;
    case AnalyticKind::Ackley:
        m_view = {-5, 5, -5, 5};
        minimum(0, 0, 0);
        break;
    case AnalyticKind::StyblinskiTang:
        m_view = {-5, 5, -5, 5};
        minimum(-2.903534027771178, -2.903534027771178, -78.33233140754282);
        break;
    case AnalyticKind::GoldsteinPrice:
        m_view = {-2, 2, -3, 1};
        minimum(0, -1, 3);
        break;
    case AnalyticKind::Saddle:
        m_view = {-2, 2, -2, 2};
        break; // no minimum: unbounded below along y
    }
}

namespace {

/// One surface row of one kind: without a switch or a call per node, and without the unused gradient, the
/// compiler vectorizes the loop for the functions made of arithmetic only.
template <AnalyticKind Kind>
void rowOf(double a, double b, std::span<const double> xs, double y, std::span<double> out)
{
    for (std::size_t i = 0; i < xs.size(); ++i) {
        double gx, gy;
        out[i] = analytic::analyticValue(Kind, a, b, xs[i], y, false, gx, gy);
    }
}

using RowFunction = void (*)(double, double, std::span<const double>, double, std::span<double>);
template <std::size_t... K>
constexpr std::array<RowFunction, sizeof...(K)> rowFunctions(std::index_sequence<K...>)
{
    return {&rowOf<static_cast<AnalyticKind>(K)>...};
}
// Indexed by AnalyticKind; Saddle is the last kind.
constexpr auto kRowOf = rowFunctions(std::make_index_sequence<std::size_t(AnalyticKind::Saddle) + 1>());

using PointFunction = double (*)(double, double, const Vec2 &, Vec2 *);
template <std::size_t... K>
constexpr std::array<PointFunction, sizeof...(K)> pointFunctions(std::index_sequence<K...>)
{
    return {&analytic::pointOf<static_cast<AnalyticKind>(K)>...};
}
constexpr auto kPointOf = pointFunctions(std::make_index_sequence<std::size_t(AnalyticKind::Saddle) + 1>());

} // namespace

void AnalyticObjective::evaluateRow(std::span<const double> xs, double y, std::span<double> out) const
{
    kRowOf[std::size_t(m_kind)](m_a, m_b, xs, y, out);
}

double AnalyticObjective::evaluate(const Vec2 &theta, Vec2 *grad) const
{
    return kPointOf[std::size_t(m_kind)](m_a, m_b, theta, grad);
}

} // namespace gdviz
