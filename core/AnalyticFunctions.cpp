#include "AnalyticFunctions.h"
#include "AnalyticFormulas.h"

#include <array>
#include <cmath>
#include <numbers>
#include <utility>

namespace gdviz {

const std::vector<AnalyticFunctionInfo> &analyticFunctions()
{
    static const std::vector<AnalyticFunctionInfo> all = {
        {AnalyticKind::Quadratic, "quadratic", "Quadratic bowl", {{"a", 1.0}, {"b", 10.0}}},
        {AnalyticKind::Rosenbrock, "rosenbrock", "Rosenbrock", {{"a", 1.0}, {"b", 100.0}}},
        {AnalyticKind::Beale, "beale", "Beale", {}},
        {AnalyticKind::Himmelblau, "himmelblau", "Himmelblau", {}},
        {AnalyticKind::Booth, "booth", "Booth", {}},
        {AnalyticKind::Matyas, "matyas", "Matyas", {}},
        {AnalyticKind::ThreeHumpCamel, "three_hump_camel", "Three-hump camel", {}},
        {AnalyticKind::SixHumpCamel, "six_hump_camel", "Six-hump camel", {}},
        {AnalyticKind::Rastrigin, "rastrigin", "Rastrigin", {{"A", 10.0}}},
        {AnalyticKind::Ackley, "ackley", "Ackley", {}},
        {AnalyticKind::StyblinskiTang, "styblinski_tang", "Styblinski-Tang", {}},
        {AnalyticKind::GoldsteinPrice, "goldstein_price", "Goldstein-Price", {}},
        {AnalyticKind::Saddle, "saddle", "Saddle (x\u00b2 - y\u00b2)", {}},
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
        minimum(0.0898, -0.7126, -1.0316);
        minimum(-0.0898, 0.7126, -1.0316);
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
        minimum(-2.903534, -2.903534, -78.33233);
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
