// Fuzz target: the formula box. Bytes -> Expression::parse(); a formula that parses is evaluated at a few points
// with evaluate() (value and exact gradient) and evaluateMany() (values in blocks), which must agree bit for bit,
// as Expression.cpp promises. Non-finite values are allowed (log(-1) is NaN); crashes and UB are not.

#include "Expression.h"
#include "FuzzCheck.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

using gdviz::fuzz::check;

namespace {

bool sameDouble(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    gdviz::ExpressionError error;
    const auto parsed = gdviz::Expression::parse(text, &error);
    if (!parsed) {
        check(!error.message.empty(), "a rejected formula has a message");
        check(error.position <= text.size(), "the error position lies inside the formula");
        gdviz::fuzz::checkMessage(error.message, 1000); // quotes at most 40 characters of the formula, twice
        return 0;
    }
    check(parsed->text() == text, "text() is the formula as typed");
    check(text.size() <= 4 * gdviz::maxFormulaCharacters, "an accepted formula is within the length limit");

    const gdviz::Expression copy = *parsed; // the objective keeps a copy per thread
    constexpr double inf = std::numeric_limits<double>::infinity();
    const double points[][2] = {{0, 0}, {1, -2}, {-3.5, 0.25}, {1e-300, -1e300}, {inf, -inf}, {0.5, 0.5}};
    // 300 points: more than one block of evaluateMany(), so the block boundary is crossed.
    std::vector<double> xs, ys;
    for (std::size_t i = 0; i < 300; ++i) {
        xs.push_back(points[i % std::size(points)][0] + double(i / std::size(points)));
        ys.push_back(points[i % std::size(points)][1] - double(i / std::size(points)));
    }
    std::vector<double> many(xs.size());
    parsed->evaluateMany(xs, ys, many);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        double dx = 0, dy = 0;
        const double value = parsed->evaluate(xs[i], ys[i], &dx, &dy);
        check(sameDouble(value, many[i]), "evaluate() and evaluateMany() agree at point " + std::to_string(i));
        check(sameDouble(value, parsed->evaluate(xs[i], ys[i])), "the value does not depend on asking for the gradient");
        double copyDx = 0, copyDy = 0;
        check(sameDouble(value, copy.evaluate(xs[i], ys[i], &copyDx, &copyDy)) && sameDouble(dx, copyDx)
                  && sameDouble(dy, copyDy),
              "a copy evaluates as the original");
    }
    return 0;
}
