#pragma once
// The (x, y) samples a regression objective learns from: loaded from CSV or generated from a seed.

#include <Eigen/Core>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gdviz {

// What data may hold (README "Scenario files", "Limits"), whether read from CSV or generated.
/// Samples in one data set: a CSV's data lines, a generator's n.
inline constexpr std::size_t maxDataSamples = 10'000'000;
/// The largest magnitude of a value, x or y, in the data (a CSV value, every generated sample): squares and
/// products of values, and their sums over maxDataSamples samples, stay far from overflow (at 1e200, y^2 would
/// be infinite and so every loss).
inline constexpr double maxDataMagnitude = 1e100;
/// A CSV header's column name, shown as an axis label.
inline constexpr std::size_t maxColumnNameCharacters = 80;

/// How x was rescaled after loading ("standardize_x", standardizeX()): stored x = (file's x - mean) / sd, with the
/// mean and population sd (divided by n) of the file's x. Not applied: the identity (mean 0, sd 1).
struct XScaling {
    double mean = 0, sd = 1;
    bool applied = false;
    /// A stored x back in the file's units: mean + sd x.
    double toFileUnits(double x) const { return applied ? mean + sd * x : x; }
};

/// Samples stored as two contiguous columns, so per-sample loops vectorize.
/// For logistic regression y holds the labels 0 or 1.
struct DataSet {
    std::vector<double> x;
    std::vector<double> y;
    // The columns' names: a CSV file's header, else "x" and "y" ("label" for logistic data); for axis labels.
    std::string xName = "x", yName = "y";
    XScaling xScaling = {}; // x as stored = (x in the file - mean) / sd when applied
    std::size_t size() const { return x.size(); }
};

/// Feature scaling ("standardize_x"): replaces every x by (x - mean) / sd, mean and population sd of x (divided by
/// n) taken by two passes in long double (DataMoments), so that a million rows far from 0 lose nothing to
/// cancellation, and records them in data->xScaling. The standardized x then have mean 0 and sd 1 to about an ulp.
/// y is unchanged. Returns false and leaves data unchanged when there is nothing to scale (every x the same: "every x
/// is the same (sd 0): nothing to scale"; no samples; a spread below 1e-308) or x is already standardized; *error
/// (may be null) then says why.
bool standardizeX(DataSet *data, std::string *error);

/// The line theta = (w, b) fitted on data's stored x, y = w x + b, as the same line in the file's units: x was
/// standardized to (x - mean) / sd, so y = w (x - mean) / sd + b = (w / sd) x + (b - w mean / sd), returned as
/// (slope, intercept) = (w / sd, b - w mean / sd). For logistic regression the same map takes the logit's (w, b) to
/// the file's units (the decision boundary x = -b / w follows). theta itself when x was not standardized.
Eigen::Vector2d lineInFileUnits(const DataSet &data, const Eigen::Vector2d &theta);

/// Whether to offer "standardize x": true when the condition number of E[[x^2, x], [x, 1]] (the shape of the mean
/// squared error's Hessian in (w, b), whatever y is; logistic regression's is the same weighted by p (1 - p)) is
/// above 100. Plain gradient descent at its stable rate then needs about 100 times as many updates as on the round
/// bowl of standardized x (condition number 1), and SGD's safe rate is set by the largest x^2. With mean m and sd s
/// the rule holds for s > 10 or s < 0.1 when m = 0, and for |m| > 2.85 s when s = 1: x in [-3, 3] (s = 1.7, m = 0:
/// condition number 3) is not offered; x in 40..250 (mean 145, sd 61: about 170,000) is. False when
/// every x is the same (nothing to scale) or x is already standardized.
bool wouldBenefitFromStandardizing(const DataSet &data);

/// The threshold of wouldBenefitFromStandardizing(): the condition number of E[[x^2, x], [x, 1]] above which
/// scaling is offered.
inline constexpr double standardizingConditionThreshold = 100;

/// The condition number (largest over smallest eigenvalue) of E[[x^2, x], [x, 1]] over data's stored x: 1 for
/// standardized x, infinite when every x is the same.
double xConditionNumber(const DataSet &data);

/// The seeded generator of the scenario's "data": {"generate": {...}}. Same settings, same samples on
/// every machine (see Random.h).
struct DataGeneratorSettings {
    std::size_t n = 200;
    double xMin = -3, xMax = 3;
    std::uint64_t seed = 0;
    // linear regression: y = slope * x + intercept + noise * N(0, 1), x uniform in [xMin, xMax]
    double slope = 2, intercept = -1, noise = 0.5;
    // logistic regression: label 1 with probability balance; x ~ N(+-separation/2, 1), clipped to the range
    double balance = 0.5, separation = 2;

    /// Empty when valid, else what is wrong, naming the field: "n: must be between 1 and 10000000, got 0".
    /// Valid settings generate only samples within maxDataMagnitude (up to the rounding of the sum): for linear
    /// data each setting is within it and so is the largest |y| they can give, |slope| max(|xMin|, |xMax|) +
    /// |intercept| + 8.572 noise (8.572 bounds the generator's normal draws).
    std::string validate(bool logistic) const;
};

DataSet generateLinearData(const DataGeneratorSettings &settings);
DataSet generateLogisticData(const DataGeneratorSettings &settings);

/// Reads two numeric columns (x,y or x,label) from CSV text. A first line whose two fields are both text (not
/// numbers, and not written like numbers: "nan", "inf", "1e400" are numbers that are not finite) is a header
/// of column names of at most maxColumnNameCharacters each. Blank lines are skipped. Every value must be finite
/// and within maxDataMagnitude. On failure returns nullopt and sets *error to a message naming the line and
/// quoting at most 40 characters of it (MessageText.h), e.g. "line 7: y: 'abc' is not a finite number".
/// Labels must be 0 or 1 when logistic is true.
std::optional<DataSet> parseDataCsv(const std::string &text, bool logistic, std::string *error);

/// parseDataCsv() over a file; the error also says when the file cannot be read.
std::optional<DataSet> readDataCsv(const std::string &path, bool logistic, std::string *error);

} // namespace gdviz
