#include "TrajectoryWriter.h"

#include <cmath>
#include <cstdio>

namespace gdviz {

std::string exactNumber(double value)
{
    if (!std::isfinite(value))
        return {};
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
}

std::string csvField(const std::string &text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

TrajectoryCsvWriter::TrajectoryCsvWriter(std::ostream &out)
    : m_out(out)
{
}

const char *TrajectoryCsvWriter::header()
{
    return "run,step,epoch,theta0,theta1,loss,batch_loss,grad0,grad1,lr";
}

void TrajectoryCsvWriter::writeHeader()
{
    m_out << header() << '\n';
}

void TrajectoryCsvWriter::field(double value)
{
    m_out << ',' << exactNumber(value);
}

void TrajectoryCsvWriter::writeRow(const std::string &runName, const StepRecord &r)
{
    m_out << csvField(runName) << ',' << r.step;
    field(r.epoch);
    field(r.theta[0]);
    field(r.theta[1]);
    field(r.loss);
    field(r.batchLoss);
    field(r.grad[0]);
    field(r.grad[1]);
    field(r.lr);
    m_out << '\n';
}

} // namespace gdviz
