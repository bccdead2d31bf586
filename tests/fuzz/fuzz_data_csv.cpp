// Fuzz target: the CSV data loader. The first byte chooses linear (even) or logistic (odd) data, the rest is the
// file's text -> parseDataCsv(). A failure has a message; a success holds only finite numbers (labels 0 or 1),
// one sample per non-blank line except a header, and survives being written and read again unchanged. Messages
// and column names are short and printable whatever the bytes (README "Limits").

#include "DataSet.h"
#include "FuzzCheck.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

using gdviz::fuzz::check;

namespace {

/// Lines holding something other than spaces, tabs and carriage returns: the loader's idea of a non-blank line.
std::size_t contentLines(const std::string &text)
{
    std::size_t count = 0;
    bool content = false;
    for (const char c : text) {
        if (c == '\n') {
            count += content;
            content = false;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            content = true;
        }
    }
    return count + content;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const bool logistic = data[0] & 1;
    const std::string text(reinterpret_cast<const char *>(data) + 1, size - 1);
    std::string error;
    const auto parsed = gdviz::parseDataCsv(text, logistic, &error);
    if (!parsed) {
        check(!error.empty(), "a rejected file has a message");
        check(error.rfind("line ", 0) == 0 || error.rfind("no samples", 0) == 0,
              "the message names the line, or says there are no samples: " + error);
        gdviz::fuzz::checkMessage(error, 1000); // quotes at most 40 characters of the file (an escape is up to 8 bytes)
        return 0;
    }
    const gdviz::DataSet &set = *parsed;
    check(set.size() > 0 && set.x.size() == set.y.size(), "a loaded set has samples, as many x as y");
    const std::size_t lines = contentLines(text);
    check(set.size() == lines || set.size() + 1 == lines, "one sample per non-blank line, but for a header");
    for (const std::string *name : {&set.xName, &set.yName})
        gdviz::fuzz::checkMessage(*name, 8 * gdviz::maxColumnNameCharacters + 3); // a column's name is a short, printable label
    std::string written;
    char row[64];
    for (std::size_t i = 0; i < set.size(); ++i) {
        check(std::isfinite(set.x[i]) && std::isfinite(set.y[i]), "every sample is finite");
        check(std::abs(set.x[i]) <= gdviz::maxDataMagnitude && std::abs(set.y[i]) <= gdviz::maxDataMagnitude,
              "every sample is within the data's magnitude limit");
        check(!logistic || set.y[i] == 0 || set.y[i] == 1, "every label is 0 or 1");
        std::snprintf(row, sizeof row, "%.17g,%.17g\n", set.x[i], set.y[i]);
        written += row;
    }
    const auto again = gdviz::parseDataCsv(written, logistic, &error);
    check(again && again->x == set.x && again->y == set.y, "written with 17 digits and read back, the set is unchanged");
    return 0;
}
