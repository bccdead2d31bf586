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
    m_entries.push_back({id, Run(m_scenario.objective, settings, m_scenario.stop)});
}

void Race::removeRun(RunId id)
{
    std::erase_if(m_entries, [id](const Entry &e) { return e.id == id; });
}

void Race::restartRun(RunId id)
{
    if (Run *run = find(id))
        *run = Run(m_scenario.objective, run->settings(), m_scenario.stop);
}

void Race::replaceRun(RunId id, const RunSettings &settings)
{
    if (Run *run = find(id))
        *run = Run(m_scenario.objective, settings, m_scenario.stop);
}

void Race::restartAll()
{
    for (Entry &e : m_entries)
        e.run = Run(m_scenario.objective, e.run.settings(), m_scenario.stop);
}

void Race::setStopRules(const StopRules &stop)
{
    m_scenario.stop = stop;
    for (Entry &e : m_entries)
        e.run.setStopRules(stop);
}

long Race::advance(RunId id, long updates, const Sink &sink)
{
    Run *run = find(id);
    long done = 0;
    while (run && done < updates && run->isRunning()) {
        sink(id, run->step());
        ++done;
    }
    return done;
}

void Race::advanceAll(long updates, const Sink &sink)
{
    for (Entry &e : m_entries)
        advance(e.id, updates, sink);
}

void Race::advanceOneEpoch(const Sink &sink)
{
    for (Entry &e : m_entries) {
        if (!e.run.isRunning())
            continue;
        if (m_scenario.objective->sampleCount() == 0) {
            advance(e.id, 1, sink);
            continue;
        }
        const double target = std::floor(e.run.current().epoch + 1e-12) + 1;
        while (e.run.isRunning() && e.run.current().epoch < target - 1e-12)
            sink(e.id, e.run.step());
    }
}

} // namespace gdviz
