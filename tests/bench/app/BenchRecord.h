#pragma once
// One JSON line of the tests/bench protocol (see tests/bench/run_benchmarks.py), for the measure_app_* programs.

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace gdviz::bench {

inline void printRecord(const QJsonObject &record)
{
    std::printf("%s\n", QJsonDocument(record).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

/// Median and 99th percentile (nearest rank) of times in seconds, with the goal "p99 < goalSeconds".
inline QJsonObject timingRecord(const QString &key, std::vector<double> seconds, double goalSeconds,
                                const QString &goal)
{
    std::sort(seconds.begin(), seconds.end());
    const std::size_t n = seconds.size();
    const double median = n % 2 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2;
    const double p99 = seconds[std::min(n - 1, std::size_t(0.99 * double(n)))];
    return {{"key", key}, {"side", "gdviz"}, {"median_s", median}, {"p99_s", p99}, {"runs", qint64(n)},
            {"goal", goal}, {"met", p99 < goalSeconds}};
}

} // namespace gdviz::bench
