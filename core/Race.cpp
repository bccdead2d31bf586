#include "Race.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
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

const Race::Entry *Race::findEntry(RunId id) const
{
    for (const Entry &e : m_entries)
        if (e.id == id)
            return &e;
    return nullptr;
}

const Run *Race::find(RunId id) const
{
    const Entry *e = findEntry(id);
    return e ? &e->run : nullptr;
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
    for (Entry &e : m_entries)
        if (e.id == id) {
            e.run = Run(m_scenario.objective, settings, m_scenario.stop, m_scenario.viewWindow());
            e.owed = 0;
        }
}

void Race::restartAll()
{
    for (Entry &e : m_entries) {
        e.run = Run(m_scenario.objective, e.run.settings(), m_scenario.stop, m_scenario.viewWindow());
        e.owed = 0;
    }
}

std::vector<RunId> Race::setStopRules(const StopRules &stop)
{
    m_scenario.stop = stop;
    std::vector<RunId> revived;
    for (Entry &e : m_entries)
        if (e.run.setStopRules(stop)) {
            e.owed = 0;
            revived.push_back(e.id);
        }
    return revived;
}

bool Race::resume(RunId id)
{
    for (Entry &e : m_entries)
        if (e.id == id && e.run.resume()) {
            e.owed = 0;
            return true;
        }
    return false;
}

void Race::setClock(RaceClock clock)
{
    m_scenario.raceBy = clock;
    for (Entry &e : m_entries)
        e.owed = 0;
}

unsigned long long Race::nextCost(RunId id) const
{
    const Run *run = find(id);
    return run && clock() == RaceClock::Samples ? run->nextBatchSize() : 1;
}

unsigned long long Race::work(RunId id) const
{
    const Run *run = find(id);
    if (!run)
        return 0;
    return clock() == RaceClock::Samples ? run->samplesSeen() : (unsigned long long)(run->current().step);
}

unsigned long long Race::owed(RunId id) const
{
    const Entry *e = findEntry(id);
    return e ? e->owed : 0;
}

unsigned long long Race::leastNextCost() const
{
    unsigned long long least = 0;
    for (const Entry &e : m_entries)
        if (e.run.isRunning()) {
            const unsigned long long cost = nextCost(e.id);
            least = least == 0 ? cost : std::min(least, cost);
        }
    return least;
}

void Race::grant(unsigned long long amount)
{
    for (Entry &e : m_entries)
        if (e.run.isRunning())
            e.owed += amount;
}

bool Race::spent() const
{
    for (const Entry &e : m_entries)
        if (e.run.isRunning() && e.owed >= nextCost(e.id))
            return false;
    return true;
}

bool Race::spend(const BlockSink &sink, Deadline deadline)
{
    for (Entry &e : m_entries) {
        if (!e.run.isRunning() || e.owed == 0)
            continue;
        const unsigned long long affordable = clock() == RaceClock::Samples ? e.run.updatesWithin(e.owed) : e.owed;
        if (affordable == 0)
            continue;
        const unsigned long long before = work(e.id);
        advance(e.id, long(std::min<unsigned long long>(affordable, std::numeric_limits<long>::max())), sink, deadline);
        // What the updates cost: exactly what the run's own count of updates or samples says it did.
        e.owed -= std::min(e.owed, work(e.id) - before);
        if (!e.run.isRunning())
            e.owed = 0;
    }
    return spent();
}

namespace {
// After every block the clock is read: for an objective with samples every sampleRecordBlock updates, often
// enough that a million-sample objective (about 1.5 ms an update) never keeps the worker from its commands for
// long; for a named function (at most about 0.1 us an update) every recordBlock updates, which halves the
// time a recorded update spends around the loop (Run::advance's entry and exit, the sink's call).
bool passed(const Race::Deadline &deadline)
{
    return deadline && std::chrono::steady_clock::now() >= *deadline;
}

Race::BlockSink perRecord(const Race::Sink &sink)
{
    return [&sink](RunId id, std::span<const StepRecord> records) {
        for (const StepRecord &r : records)
            sink(id, r);
    };
}

using Block = std::array<StepRecord, Race::recordBlock>;

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>; // clang before 17 deduces no aggregate's arguments by itself
} // namespace

template <class Records>
long Race::advanceInto(RunId id, long updates, Records &&records, Deadline deadline)
{
    // records(wanted) gives the span a block is written into; records(block) takes the records made in it.
    Run *run = find(id);
    long done = 0;
    const std::size_t blockSize = m_scenario.objective->sampleCount() > 0 ? sampleRecordBlock : recordBlock;
    while (run && done < updates && run->isRunning()) {
        const std::size_t wanted = std::min<std::size_t>(blockSize, std::size_t(updates - done));
        const std::span<StepRecord> block = records(wanted);
        const std::size_t made = run->advance(block);
        records(block.first(made));
        done += long(made);
        if (made == blockSize && passed(deadline))
            break;
    }
    return done;
}

long Race::advance(RunId id, long updates, const BlockSink &sink, Deadline deadline)
{
    Block block;
    return advanceInto(
        id, updates,
        Overloaded{[&](std::size_t wanted) { return std::span(block).first(wanted); },
                   [&](std::span<const StepRecord> made) { sink(id, made); }},
        deadline);
}

long Race::advance(RunId id, long updates, Trajectory &trajectory, Deadline deadline)
{
    return advanceInto(
        id, updates,
        Overloaded{[&](std::size_t wanted) { return trajectory.room(wanted); },
                   [&](std::span<const StepRecord> made) { trajectory.commit(made.size()); }},
        deadline);
}

long Race::advance(RunId id, long updates, const Sink &sink, Deadline deadline)
{
    return advance(id, updates, perRecord(sink), deadline);
}

void Race::advanceAll(long updates, const BlockSink &sink, Deadline deadline)
{
    for (Entry &e : m_entries)
        advance(e.id, updates, sink, deadline);
}

void Race::advanceAll(long updates, const Sink &sink, Deadline deadline)
{
    advanceAll(updates, perRecord(sink), deadline);
}

double Race::nextEpochTarget(RunId id) const
{
    const Run *run = find(id);
    if (!run || m_scenario.objective->sampleCount() == 0)
        return 0;
    return std::floor(run->current().epoch + 1e-12) + 1;
}

bool Race::advanceToEpoch(RunId id, double target, const BlockSink &sink, Deadline deadline)
{
    Run *run = find(id);
    if (!run || !run->isRunning())
        return true;
    if (m_scenario.objective->sampleCount() == 0) {
        advance(id, 1, sink);
        return true;
    }
    const double until = target - 1e-12;
    Block block;
    const auto records = std::span(block).first(sampleRecordBlock);
    while (run->isRunning() && run->current().epoch < until) {
        const std::size_t made = run->advance(records, until);
        sink(id, std::span<const StepRecord>(block.data(), made));
        if (made == records.size() && passed(deadline))
            return false;
    }
    return true;
}

bool Race::advanceToEpoch(RunId id, double target, const Sink &sink, Deadline deadline)
{
    return advanceToEpoch(id, target, perRecord(sink), deadline);
}

} // namespace gdviz
