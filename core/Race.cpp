#include "Race.h"

#include <cmath>
#include <utility>

namespace gdviz {

Race::Race(const Scenario &scenario, RunId firstId)
    : m_scenario(scenario)
{
    m_scenario.runs.clear();
    RunId id = firstId;
    for (const RunSettings &settings : scenario.runs)
        addRun(id++, settings);
}

std::vector<RunId> Race::runIds() const
{
    std::vector<RunId> ids;
    for (const Entry &e : m_entries)
        ids.push_back(e.id);
    return ids;
}

const Run *Race::find(RunId id) const
{
    for (const Entry &e : m_entries)
        if (e.id == id)
            return &e.run;
    return nullptr;
}

Run *Race::find(RunId id)
{
    return const_cast<Run *>(std::as_const(*this).find(id));
}

bool Race::anyRunning() const
{
    for (const Entry &e : m_entries)
        if (e.run.isRunning())
            return true;
    return false;
}

void Race::addRun(RunId id, const RunSettings &settings)
{
    m_entries.push_back({id, Run(m_scenario.objective, settings, m_scenario.stop, m_scenario.viewWindow())});
}

void Race::removeRun(RunId id)
{
    std::erase_if(m_entries, [id](const Entry &e) { return e.id == id; });
}

void Race::replaceRun(RunId id, const RunSettings &settings)
{
    if (Run *run = find(id))
        *run = Run(m_scenario.objective, settings, m_scenario.stop, m_scenario.viewWindow());
}

void Race::restartAll()
{
    for (Entry &e : m_entries)
        e.run = Run(m_scenario.objective, e.run.settings(), m_scenario.stop, m_scenario.viewWindow());
}

void Race::setStopRules(const StopRules &stop)
{
    m_scenario.stop = stop;
    for (Entry &e : m_entries)
        e.run.setStopRules(stop);
}

namespace {
constexpr long deadlineCheckInterval = 16; // updates between clock reads
bool passed(const Race::Deadline &deadline)
{
    return deadline && std::chrono::steady_clock::now() >= *deadline;
}
} // namespace

long Race::advance(RunId id, long updates, const Sink &sink, Deadline deadline)
{
    Run *run = find(id);
    long done = 0;
    while (run && done < updates && run->isRunning()) {
        sink(id, run->step());
        ++done;
        if (done % deadlineCheckInterval == 0 && passed(deadline))
            break;
    }
    return done;
}

void Race::advanceAll(long updates, const Sink &sink, Deadline deadline)
{
    for (Entry &e : m_entries)
        advance(e.id, updates, sink, deadline);
}

double Race::nextEpochTarget(RunId id) const
{
    const Run *run = find(id);
    if (!run || m_scenario.objective->sampleCount() == 0)
        return 0;
    return std::floor(run->current().epoch + 1e-12) + 1;
}

bool Race::advanceToEpoch(RunId id, double target, const Sink &sink, Deadline deadline)
{
    Run *run = find(id);
    if (!run || !run->isRunning())
        return true;
    if (m_scenario.objective->sampleCount() == 0) {
        advance(id, 1, sink);
        return true;
    }
    long done = 0;
    while (run->isRunning() && run->current().epoch < target - 1e-12) {
        sink(id, run->step());
        if (++done % deadlineCheckInterval == 0 && passed(deadline))
            return false;
    }
    return true;
}

} // namespace gdviz
