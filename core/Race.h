#pragma once
// The runs of one scenario racing on one objective: the single piece of code that steps runs, shared
// by the headless command line and the engine's worker thread, so the two cannot drift apart.

#include "Scenario.h"
#include "Trajectory.h"

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace gdviz {

using RunId = int;

class Race {
public:
    /// Runs get ids firstId, firstId + 1, ... in scenario order.
    Race(const Scenario &scenario, RunId firstId = 0);

    const Scenario &scenario() const { return m_scenario; }
    std::vector<RunId> runIds() const;
    bool contains(RunId id) const { return find(id) != nullptr; }
    const Run &run(RunId id) const { return *find(id); }
    Run &run(RunId id) { return *find(id); }
    bool anyRunning() const;

    /// Adds a run (restarted from its start point); its settings must be valid for the objective.
    void addRun(RunId id, const RunSettings &settings);
    void removeRun(RunId id);
    /// Replaces a run's settings and starts it again from its (new) start point.
    void replaceRun(RunId id, const RunSettings &settings);
    void restartAll();
    /// New stop rules for every run; returns the runs that ended by a rule the new ones loosen and run again
    /// (Run::setStopRules).
    std::vector<RunId> setStopRules(const StopRules &stop);
    /// Run::resume() for the run, which then starts owing nothing (see grant()).
    bool resume(RunId id);

    /// Called with the new records of one run, a block at a time (up to recordBlock of them, in order; up to
    /// sampleRecordBlock for an objective with samples):
    /// (run id, records). When it is called, the run has made every update of the block and none after.
    using BlockSink = std::function<void(RunId, std::span<const StepRecord>)>;
    /// Called with each new record: (run id, record); a BlockSink called per record of each block.
    using Sink = std::function<void(RunId, const StepRecord &)>;
    static constexpr std::size_t recordBlock = 64, sampleRecordBlock = 16;
    /// Optional: a moment after which advancing stops early (checked every few updates), so that a
    /// thread stepping a slow objective (a million samples) never stays away from its commands for long.
    using Deadline = std::optional<std::chrono::steady_clock::time_point>;

    /// Up to `updates` updates of one run, while it is running. Returns how many were made.
    long advance(RunId id, long updates, const BlockSink &sink, Deadline deadline = std::nullopt);
    long advance(RunId id, long updates, const Sink &sink, Deadline deadline = std::nullopt);
    /// advance() recording into trajectory: the run writes each block of records straight into the trajectory's
    /// storage (Trajectory::room), rather than into a block the sink then copies. The same records kept.
    long advance(RunId id, long updates, Trajectory &trajectory, Deadline deadline = std::nullopt);
    /// Up to `updates` updates of every running run, run by run.
    void advanceAll(long updates, const BlockSink &sink, Deadline deadline = std::nullopt);
    void advanceAll(long updates, const Sink &sink, Deadline deadline = std::nullopt);
    /// The epoch a run reaches with advanceToEpoch() when asked now: its next whole epoch (for analytic
    /// objectives, which have no epochs, the next update: see advanceToEpoch).
    double nextEpochTarget(RunId id) const;
    /// Advances the run until its epoch reaches target (analytic objectives: one update). Returns true when
    /// it got there or the run ended; false when the deadline came first.
    bool advanceToEpoch(RunId id, double target, const BlockSink &sink, Deadline deadline = std::nullopt);
    bool advanceToEpoch(RunId id, double target, const Sink &sink, Deadline deadline = std::nullopt);

    // The race's clock ("race_by"): what a tick of the window's animation gives every running run. The worker
    // grants every running run the same budget in the clock's unit (grant()), and each run makes the updates
    // its budget pays for (spend()): under the updates clock an update costs 1, under the samples clock its
    // batch's size (n for a full batch, k for a mini-batch, the epoch's last batch its own size, 1 for an
    // analytic objective). What a run cannot pay for yet stays owed to it, exactly, in whole units: at 100
    // samples/s on n = 200 a full-batch run updates every 2 s. When every running run has spent its budget
    // (spent()), all have made the same work, each within its next update's cost.
    RaceClock clock() const { return m_scenario.raceBy; }
    /// A new unit: what runs were owed is forgotten.
    void setClock(RaceClock clock);
    /// The run's next update on the clock: 1 (updates), or the samples of its next batch.
    unsigned long long nextCost(RunId id) const;
    /// The work the run has done on the clock: updates made, or samples processed (analytic: updates).
    unsigned long long work(RunId id) const;
    /// What the run is owed on the clock and has not spent.
    unsigned long long owed(RunId id) const;
    /// The least nextCost() among the running runs (0 when none runs).
    unsigned long long leastNextCost() const;
    /// Every running run is owed `amount` more units of the clock.
    void grant(unsigned long long amount);
    /// True when no running run is owed as much as its next update costs: every grant is spent.
    bool spent() const;
    /// Every running run, in turn, makes the updates its budget pays for. At the deadline each run still makes
    /// one block (as advance() does), so that the runs move together; what is left stays owed. Returns spent().
    bool spend(const BlockSink &sink, Deadline deadline = std::nullopt);

private:
    struct Entry {
        RunId id;
        Run run;
        unsigned long long owed = 0; // the clock's units granted and not spent yet
    };
    const Entry *findEntry(RunId id) const;
    template <class Records>
    long advanceInto(RunId id, long updates, Records &&records, Deadline deadline);
    const Run *find(RunId id) const;
    Run *find(RunId id);
    Scenario m_scenario; // runs here are the settings runs restart from
    std::vector<Entry> m_entries;
};

} // namespace gdviz
