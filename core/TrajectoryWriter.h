#pragma once
// The trajectory CSV of the headless command line (and later the window's export):
//   run,step,epoch,theta0,theta1,loss,batch_loss,grad0,grad1,lr
// one row per update, step 0 the start point. Numbers have 17 significant digits, so they read back
// bit-exact. A value that is not finite (a diverged run's last row) is written as an empty field,
// never as "nan" or "inf" that could be mistaken for data.

#include "Run.h"

#include <ostream>
#include <string>

namespace gdviz {

class TrajectoryCsvWriter {
public:
    explicit TrajectoryCsvWriter(std::ostream &out);

    static const char *header(); // without the newline
    void writeHeader();
    void writeRow(const std::string &runName, const StepRecord &record);

private:
    void field(double value);
    std::ostream &m_out;
};

/// A run name as a CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break.
std::string csvField(const std::string &text);

/// The number with 17 significant digits ("%.17g"); empty when not finite.
std::string exactNumber(double value);

} // namespace gdviz
