#pragma once
// The (x, y) samples a regression objective learns from: loaded from CSV or generated from a seed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gdviz {

/// Samples stored as two contiguous columns, so per-sample loops vectorize.
/// For logistic regression y holds the labels 0 or 1.
struct DataSet {
    std::vector<double> x;
    std::vector<double> y;
    // The columns' names: a CSV file's header, else "x" and "y" ("label" for logistic data); for axis labels.
    std::string xName = "x", yName = "y";
    std::size_t size() const { return x.size(); }
};

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
    std::string validate(bool logistic) const;
};

DataSet generateLinearData(const DataGeneratorSettings &settings);
DataSet generateLogisticData(const DataGeneratorSettings &settings);

/// Reads two numeric columns (x,y or x,label) from CSV text. A first line that is not numeric is a
/// header. Blank lines are skipped. On failure returns nullopt and sets *error to a message naming the
/// line, e.g. "line 7: 'abc' is not a number". Labels must be 0 or 1 when logistic is true.
std::optional<DataSet> parseDataCsv(const std::string &text, bool logistic, std::string *error);

/// parseDataCsv() over a file; the error also says when the file cannot be read.
std::optional<DataSet> readDataCsv(const std::string &path, bool logistic, std::string *error);

} // namespace gdviz
