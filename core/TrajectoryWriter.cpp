#include "TrajectoryWriter.h"

#include <algorithm>
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

StateColumns stateColumnsFor(const std::vector<RunSettings> &runs)
{
    StateColumns columns;
    for (const OptimizerInfo &info : optimizers())
        for (const StateQuantityInfo &q : info.state) {
            const bool kept = std::any_of(runs.begin(), runs.end(), [&](const RunSettings &run) {
                return run.optimizer.kind == info.kind && q.keptWith(run.optimizer);
            });
            const bool listed = std::any_of(columns.quantities.begin(), columns.quantities.end(),
                                            [&](const StateColumns::Quantity &c) { return c.name == q.name; });
            if (kept && !listed)
                columns.quantities.push_back({q.name, q.scalar != nullptr});
        }
    return columns;
}

TrajectoryCsvWriter::TrajectoryCsvWriter(std::ostream &out, StateColumns state)
    : m_out(out)
    , m_state(std::move(state))
{
}

const char *TrajectoryCsvWriter::header()
{
    return "run,step,epoch,theta0,theta1,loss,batch_loss,grad0,grad1,lr";
}

void TrajectoryCsvWriter::writeHeader()
{
    m_out << header();
    for (const StateColumns::Quantity &q : m_state.quantities) {
        if (q.scalar)
            m_out << ',' << q.name;
        else
            m_out << ',' << q.name << "0," << q.name << '1';
    }
    m_out << '\n';
}

void TrajectoryCsvWriter::field(double value)
{
    m_out << ',' << exactNumber(value);
}

void TrajectoryCsvWriter::writeRow(const std::string &runName, const StepRecord &r)
{
    writeTrajectoryFields(runName, r);
    for (const StateColumns::Quantity &q : m_state.quantities)
        m_out << (q.scalar ? "," : ",,");
    m_out << '\n';
}

void TrajectoryCsvWriter::writeRow(const std::string &runName, const StepRecord &r, const OptimizerSettings &optimizer,
                                   const OptimizerState &state)
{
    writeTrajectoryFields(runName, r);
    const std::vector<StateQuantityInfo> &kept = optimizerInfo(optimizer.kind).state;
    for (const StateColumns::Quantity &column : m_state.quantities) {
        const auto q = std::find_if(kept.begin(), kept.end(), [&](const StateQuantityInfo &k) { return k.name == column.name; });
        const bool held = q != kept.end() && q->heldIn(optimizer, state);
        if (column.scalar) {
            if (held)
                field(q->scalar(state));
            else
                m_out << ',';
        } else if (held) {
            const Vec2 v = q->vector(state);
            field(v[0]);
            field(v[1]);
        } else {
            m_out << ",,";
        }
    }
    m_out << '\n';
}

void TrajectoryCsvWriter::writeTrajectoryFields(const std::string &runName, const StepRecord &r)
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
}

} // namespace gdviz
