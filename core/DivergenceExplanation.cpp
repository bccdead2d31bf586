#include "DivergenceExplanation.h"

#include "NumberText.h"
#include "StableLearningRate.h"

#include <cmath>
#include <cstdio>
#include <optional>

namespace gdviz {

namespace {

bool finitePoint(const RecentPoint &p)
{
    return p.theta.allFinite() && std::isfinite(p.loss);
}

/// what "overflowed to infinity", or the NaN words.
std::string notFiniteWords(const char *what, bool infinite, const char *nanWords)
{
    return std::string(what) + (infinite ? " overflowed to infinity" : nanWords);
}

std::string tripWords(const DivergenceContext &c, const RecentPoint &last, bool atStart)
{
    switch (c.trip) {
    case DivergenceTrip::ParameterNotFinite:
        if (atStart)
            return "the start point is not finite";
        return notFiniteWords("a parameter", !last.theta.hasNaN(), " became NaN (not a number)");
    case DivergenceTrip::BeyondBound:
        return std::string(atStart ? "the start point is" : "a parameter's magnitude is") + " beyond the divergence bound "
            + shortestNumber(c.bound);
    case DivergenceTrip::LeftTheView:
        return atStart ? "the start point is more than 100 view widths from the view's centre" : beyondTheViewWords;
    case DivergenceTrip::LossNotFinite:
        return notFiniteWords("the loss", !std::isnan(last.loss), " is undefined here (NaN)");
    case DivergenceTrip::GradientNotFinite:
        return notFiniteWords("the gradient", !c.lastGradient.hasNaN(), " is undefined here (NaN)");
    }
    return beyondTheViewWords;
}

/// A growth factor per step: "+0.4%" (below 1.1), "x1.5", "x35", "x10^4" (powers of ten from 100 on).
std::string factorWords(double f)
{
    if (!std::isfinite(f))
        return "x10^308 or more";
    if (f < 1.1)
        return "+" + significantDigits(100 * (f - 1), 2) + "%";
    if (f >= 100)
        return "x10^" + std::to_string(long(std::lround(std::log10(f))));
    return "x" + significantDigits(f, 2);
}

/// The limit with enough digits that it reads on the same side of lr as it is (2 to 6 significant digits).
std::string limitWords(double limit, double lr)
{
    for (int digits = 2; digits < 6; ++digits) {
        const std::string text = significantDigits(limit, digits);
        const double shown = std::strtod(text.c_str(), nullptr);
        if ((lr > limit) == (lr > shown))
            return text;
    }
    return significantDigits(limit, 6);
}

} // namespace

std::string significantDigits(double v, int digits)
{
    char buffer[64];
    const double magnitude = std::abs(v);
    if (v == 0 || !std::isfinite(v))
        return shortestNumber(v);
    if (magnitude >= 1e-4 && magnitude < 1e6) {
        const int exponent = int(std::floor(std::log10(magnitude)));
        const int decimals = std::max(0, digits - 1 - exponent);
        const double unit = std::pow(10.0, exponent - digits + 1); // 171993.6 -> 170000 for 2 digits
        std::snprintf(buffer, sizeof buffer, "%.*f", decimals, decimals > 0 ? v : std::round(v / unit) * unit);
        std::string text = buffer;
        if (text.find('.') != std::string::npos) {
            text.erase(text.find_last_not_of('0') + 1);
            if (text.back() == '.')
                text.pop_back();
        }
        return text;
    }
    std::snprintf(buffer, sizeof buffer, "%.*e", digits - 1, v);
    std::string text = buffer;
    const std::size_t e = text.find('e');
    std::string mantissa = text.substr(0, e);
    if (mantissa.find('.') != std::string::npos) {
        mantissa.erase(mantissa.find_last_not_of('0') + 1);
        if (mantissa.back() == '.')
            mantissa.pop_back();
    }
    return mantissa + text.substr(e);
}

std::string explainDivergence(const DivergenceContext &c)
{
    const std::span<const RecentPoint> points = c.recent;
    const RecentPoint &last = points.back();
    const bool atStart = last.step == 0;
    std::string reason = atStart ? "at the start: " : "at update " + std::to_string(last.step) + ": ";
    if (atStart)
        return reason + tripWords(c, last, true);

    // The last finite record, and the streak of rising (or falling) losses that ends there.
    std::size_t end = points.size() - 1;
    const bool lastFinite = finitePoint(last) && c.trip != DivergenceTrip::GradientNotFinite;
    if (!finitePoint(last) && end > 0)
        --end;
    std::size_t rising = 0, falling = 0;
    if (finitePoint(points[end])) {
        while (rising < end && finitePoint(points[end - rising - 1]) && points[end - rising].loss > points[end - rising - 1].loss)
            ++rising;
        while (falling < end && finitePoint(points[end - falling - 1]) && points[end - falling].loss < points[end - falling - 1].loss)
            ++falling;
    }
    const double top = points[end].loss, bottom = points[end - rising].loss;
    std::string growth;
    if (rising >= 2) {
        growth = "every step overshoots further (";
        growth += bottom > 0 ? "loss " + factorWords(std::pow(top / bottom, 1.0 / double(rising))) + " per step)"
                             : "loss up to " + significantDigits(top, 2) + ")";
    } else if (rising == 1 && bottom > 0 && top >= 10 * bottom) {
        growth = "the step overshot (loss " + factorWords(top / bottom) + ")";
    }
    if (!lastFinite) {
        reason += tripWords(c, last, false);
        if (!growth.empty())
            reason += rising >= 2 ? " after every step overshot further" + growth.substr(growth.find(" (")) : " after " + growth;
    } else if (!growth.empty()) {
        reason += growth;
    } else if (falling >= 2) {
        reason += "the loss keeps falling without bound (" + significantDigits(top, 2) + " now) and " + tripWords(c, last, false);
    } else {
        reason += tripWords(c, last, false);
    }

    // The learning rate against the stable limit where the loss began to rise (else at the last finite point).
    reason += ": lr " + shortestNumber(c.lr);
    if (c.optimizer.kind != OptimizerKind::Sgd || !finitePoint(points[end]))
        return reason;
    const RecentPoint &from = points[end - rising];
    const std::optional<double> limit = stableLearningRate(*c.objective, from.theta, c.optimizer);
    if (!limit) {
        if (largestEigenvalue(c.objective->hessian(from.theta)) + c.optimizer.weightDecay <= 0)
            reason += " (the surface curves down here: no stable limit)";
        return reason;
    }
    if (*limit == 0)
        return reason + ": no learning rate is stable with momentum " + shortestNumber(c.optimizer.momentum);
    std::string where = " here";
    if (rising > 0) {
        const std::optional<double> limitAtEnd = stableLearningRate(*c.objective, points[end].theta, c.optimizer);
        if (!limitAtEnd || std::abs(*limitAtEnd - *limit) > 0.01 * *limit)
            where = from.step == 0 ? " at the start" : " at update " + std::to_string(from.step);
    }
    reason += c.lr > *limit ? " is above the " : " is below the ";
    reason += c.fullBatch ? "stable limit " : "full-batch stable limit ";
    return reason + limitWords(*limit, c.lr) + where;
}

} // namespace gdviz
