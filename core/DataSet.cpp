#include "DataSet.h"
#include "DataMoments.h"
#include "InputFile.h"
#include "MessageText.h"
#include "Random.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>

namespace gdviz {

namespace {

constexpr std::size_t maxSamples = maxDataSamples;
constexpr double maxMagnitude = maxDataMagnitude;
/// The largest |z| standardNormal() can return: sqrt(-2 ln u1) with u1 >= 2^-53 (Random.h) is at most
/// sqrt(106 ln 2) = 8.5717, and |cos| <= 1.
constexpr double maxStandardNormal = 8.572;

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

/// What a CSV field holds.
enum class FieldKind {
    Finite,    // a finite double: "1e-3", "-.5", "+2"
    NumberLike, // written as a number but not finite: "nan", "-inf", "Infinity", "NAN(1)", "1e400"
    Text,      // anything else: a header's name, "abc", "2abc", ""
};

/// Reads the whole field as a double, as std::from_chars does (which ignores the locale and reads nan and
/// inf(inity) in any case).
FieldKind parseNumber(std::string_view field, double *value)
{
    if (!field.empty() && field.front() == '+')
        field.remove_prefix(1);
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), *value);
    if (end != field.data() + field.size() || field.empty() || (ec != std::errc() && ec != std::errc::result_out_of_range))
        return FieldKind::Text;
    return ec == std::errc() && std::isfinite(*value) ? FieldKind::Finite : FieldKind::NumberLike;
}

bool everyXEqual(const DataSet &data)
{
    return std::all_of(data.x.begin(), data.x.end(), [&data](double x) { return x == data.x.front(); });
}

std::string quoted(std::string_view s) { return quotedExcerpt(s); }

} // namespace

std::string DataGeneratorSettings::validate(bool logistic) const
{
    auto finite = [](double v) { return std::isfinite(v) && std::abs(v) <= maxMagnitude; };
    if (n < 1 || n > maxSamples)
        return "n: must be between 1 and " + std::to_string(maxSamples) + ", got " + std::to_string(n);
    if (!finite(xMin) || !finite(xMax) || !(xMin < xMax))
        return "x_range: must be two numbers [low, high] with low < high, each within +-1e100";
    if (logistic) {
        if (!finite(balance) || balance < 0 || balance > 1)
            return "balance: must be between 0 and 1";
        if (!finite(separation) || separation < 0)
            return "separation: must be >= 0";
    } else {
        if (!finite(slope))
            return "slope: must be a number within +-1e100";
        if (!finite(intercept))
            return "intercept: must be a number within +-1e100";
        if (!finite(noise) || noise < 0)
            return "noise: must be >= 0 and at most 1e100";
        // Each setting may be within range while y = slope x + intercept + noise z is not (slope 1e100 over x up to
        // 1e100 gives y near 1e200, whose square overflows, so every loss would be infinite). Bounding y as the
        // data are bounded keeps every y^2, x y and their sums over the samples finite.
        const double slopeTerm = std::abs(slope) * std::max(std::abs(xMin), std::abs(xMax));
        const double noiseTerm = noise * maxStandardNormal;
        const double reach = slopeTerm + std::abs(intercept) + noiseTerm;
        if (!(reach <= maxMagnitude)) {
            const char *largest = slopeTerm >= std::abs(intercept) && slopeTerm >= noiseTerm ? "slope"
                                  : std::abs(intercept) >= noiseTerm                    ? "intercept"
                                                                                        : "noise";
            char reachText[32]; // 3 digits, as %.3g but whatever the locale
            const auto written = std::to_chars(reachText, reachText + sizeof reachText, reach, std::chars_format::general, 3);
            return std::string(largest) + ": with these slope, intercept, noise and x_range, y = slope*x + intercept"
                   " + noise*N(0, 1) reaches about " + std::string(reachText, written.ptr)
                   + "; |slope|*max|x| + |intercept| + 8.572*noise"
                   " must be at most 1e100, so that squared errors summed over the samples stay finite";
        }
    }
    return {};
}

DataSet generateLinearData(const DataGeneratorSettings &s)
{
    RandomEngine engine(s.seed);
    DataSet data;
    data.x.resize(s.n);
    data.y.resize(s.n);
    for (std::size_t i = 0; i < s.n; ++i) {
        data.x[i] = s.xMin + (s.xMax - s.xMin) * uniform01(engine);
        data.y[i] = s.slope * data.x[i] + s.intercept + s.noise * standardNormal(engine);
    }
    return data;
}

DataSet generateLogisticData(const DataGeneratorSettings &s)
{
    RandomEngine engine(s.seed);
    DataSet data;
    data.x.resize(s.n);
    data.y.resize(s.n);
    for (std::size_t i = 0; i < s.n; ++i) {
        const bool positive = uniform01(engine) < s.balance;
        const double centre = (positive ? 0.5 : -0.5) * s.separation;
        data.x[i] = std::clamp(centre + standardNormal(engine), s.xMin, s.xMax);
        data.y[i] = positive ? 1.0 : 0.0;
    }
    return data;
}

bool standardizeX(DataSet *data, std::string *error)
{
    auto refuse = [error](const char *why) {
        if (error)
            *error = why;
        return false;
    };
    if (data->xScaling.applied)
        return refuse("x is already standardized");
    if (data->size() == 0)
        return refuse("no samples: nothing to scale");
    // Tested exactly, not by sd > 0: the long-double mean of equal x may round, leaving a variance of 1e-40.
    if (everyXEqual(*data))
        return refuse("every x is the same (sd 0): nothing to scale");
    const DataMoments m = DataMoments::of(*data);
    const long double sd = std::sqrt(m.varX);
    // A spread below double's smallest normal number (x like 1e-310) cannot be kept as a divisor.
    if (!(sd >= std::numeric_limits<double>::min()))
        return refuse("x varies too little to scale (sd below 1e-308)");
    // In long double, with the long-double mean and sd: the standardized x round once, to double.
    for (double &x : data->x)
        x = double((x - m.meanX) / sd);
    data->xScaling = {double(m.meanX), double(sd), true};
    return true;
}

Eigen::Vector2d lineInFileUnits(const DataSet &data, const Eigen::Vector2d &theta)
{
    const XScaling &s = data.xScaling;
    if (!s.applied)
        return theta;
    const double slope = theta[0] / s.sd;
    return {slope, theta[1] - slope * s.mean};
}

double xConditionNumber(const DataSet &data)
{
    if (data.size() == 0 || everyXEqual(data))
        return std::numeric_limits<double>::infinity();
    // E[[x^2, x], [x, 1]] = [[v + m^2, m], [m, 1]] has determinant v: the smaller eigenvalue is v / lambda_max,
    // taken so rather than by the difference that cancels when m^2 >> v.
    const DataMoments mo = DataMoments::of(data);
    const long double a = mo.varX + mo.meanX * mo.meanX, half = (a - 1) / 2;
    const long double largest = (a + 1) / 2 + std::sqrt(half * half + mo.meanX * mo.meanX);
    return double(largest * largest / mo.varX);
}

bool wouldBenefitFromStandardizing(const DataSet &data)
{
    if (data.xScaling.applied)
        return false;
    const double condition = xConditionNumber(data);
    return std::isfinite(condition) && condition > standardizingConditionThreshold;
}

std::optional<DataSet> parseDataCsv(const std::string &text, bool logistic, std::string *error)
{
    auto fail = [error](std::size_t line, const std::string &what) {
        if (error)
            *error = (line ? "line " + std::to_string(line) + ": " : std::string()) + what;
        return std::nullopt;
    };
    const char *secondName = logistic ? "label" : "y";
    DataSet data;
    data.yName = secondName;
    std::size_t lineNumber = 0;
    std::size_t pos = 0;
    bool sawContent = false;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos)
            end = text.size();
        const std::string_view line = trim(std::string_view(text).substr(pos, end - pos));
        pos = end + 1;
        ++lineNumber;
        if (line.empty())
            continue;
        const std::size_t comma = line.find(',');
        if (comma == std::string_view::npos)
            return fail(lineNumber, std::string("expected two columns x,") + secondName + " separated by a comma, got "
                                        + quoted(line));
        const std::string_view first = trim(line.substr(0, comma));
        const std::string_view second = trim(line.substr(comma + 1));
        if (second.find(',') != std::string_view::npos)
            return fail(lineNumber, std::string("expected two columns x,") + secondName + ", got more");
        double xv = 0, yv = 0;
        const FieldKind xKind = parseNumber(first, &xv), yKind = parseNumber(second, &yv);
        // A header is a first line of two names. "nan,nan" or "inf,1" is written as numbers: a data line, refused
        // below for its value rather than silently dropped as a header.
        if (!sawContent && xKind == FieldKind::Text && yKind == FieldKind::Text) {
            sawContent = true;
            const std::string_view names[] = {first, second};
            std::string *stored[] = {&data.xName, &data.yName};
            for (int column = 0; column < 2; ++column) {
                if (const std::string problem = lengthProblem(names[column], maxColumnNameCharacters); !problem.empty())
                    return fail(lineNumber, "the name of column " + std::to_string(column + 1) + " ("
                                                + quoted(names[column]) + "): " + problem);
                if (!names[column].empty()) // control bytes and broken UTF-8 made visible, as in messages
                    *stored[column] = excerpt(names[column], maxColumnNameCharacters);
            }
            continue;
        }
        sawContent = true;
        if (xKind != FieldKind::Finite)
            return fail(lineNumber, "x: " + quoted(first) + " is not a finite number");
        if (yKind != FieldKind::Finite)
            return fail(lineNumber, std::string(secondName) + ": " + quoted(second) + " is not a finite number");
        if (std::abs(xv) > maxMagnitude)
            return fail(lineNumber, "x: " + quoted(first) + " is too large (at most 1e100 in magnitude)");
        if (std::abs(yv) > maxMagnitude)
            return fail(lineNumber, std::string(secondName) + ": " + quoted(second) + " is too large (at most 1e100 in magnitude)");
        if (logistic && yv != 0.0 && yv != 1.0)
            return fail(lineNumber, "label: must be 0 or 1, got " + quoted(second));
        if (data.size() >= maxSamples)
            return fail(lineNumber, "too many samples (at most " + std::to_string(maxSamples) + ")");
        data.x.push_back(xv);
        data.y.push_back(yv);
    }
    if (data.size() == 0)
        return fail(0, "no samples: the file has no data rows");
    return data;
}

std::optional<DataSet> readDataCsv(const std::string &path, bool logistic, std::string *error)
{
    // A scenario from elsewhere may name /dev/zero (never ends), a FIFO (blocks on open) or a folder: anything but
    // a regular file within the size limit is refused at once, without blocking (InputFile.h).
    const std::optional<std::string> text = readInputFile(path, maxDataCsvBytes, error);
    if (!text)
        return std::nullopt;
    return parseDataCsv(*text, logistic, error);
}

} // namespace gdviz
