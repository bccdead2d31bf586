#pragma once
// The engine's worker: lives on its own QThread, owns the Race, steps it at the requested speed in
// chunks re-queued through the event loop (so commands get through between chunks), and reports the
// steps taken at most about 60 times a second. Only DescentEngine talks to it, through queued signals.

#include "EngineTypes.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <atomic>
#include <memory>
#include <optional>

class QTimer;

namespace gdviz {

class DescentWorker : public QObject {
    Q_OBJECT
public:
    /// nextId: shared with the engine, so runs added from either side get unique ids. stepsInFlight:
    /// stepsTaken signals sent but not yet handled by the engine; while one is, the regular reports wait
    /// and gather more steps (back-pressure, so a slow GUI thread is never flooded).
    DescentWorker(std::atomic<RunId> *nextId, std::atomic<int> *stepsInFlight);

public slots:
    /// ticket comes back with scenarioLoaded (DescentEngine::loadScenario's; 0 for a file read here).
    void loadScenario(const gdviz::Scenario &scenario, quint64 ticket = 0);
    void loadScenarioFile(const QString &path);
    void play();
    void pause();
    void step();
    void stepEpoch();
    void reset();
    /// Per run, in the race clock's unit: updates or samples per second; asFastAsPossible for no limit.
    void setSpeed(double unitsPerSecond);
    /// What was owed to the runs is forgotten (a new unit); the speed's number stays.
    void setRaceClock(gdviz::RaceClock clock);
    void addRun(gdviz::RunId id, const gdviz::RunSettings &settings);
    void removeRun(gdviz::RunId id);
    void changeRun(gdviz::RunId id, const gdviz::RunSettings &settings);
    void setLearningRate(gdviz::RunId id, double lr);
    void setStartPoint(gdviz::RunId id, const gdviz::Vec2 &start);
    /// Runs that ended by a rule the new ones loosen run again (runRevived).
    void setStopRules(const gdviz::StopRules &stop);
    /// Answers with snapshotTaken: every run's latest record, as the worker has it.
    void takeSnapshot();
    /// Answers with updateExplained: the run's next update (Run::explainNextUpdate), after the records before it.
    void explainUpdate(gdviz::RunId id);
    /// Stops the timer; called before the thread quits.
    void shutDown();

signals:
    void scenarioLoaded(const gdviz::Scenario &scenario, quint64 ticket);
    void runStarted(const gdviz::RunStart &start);
    void runRemoved(gdviz::RunId id);
    void stepsTaken(const QList<gdviz::RunSteps> &steps);
    void runFinished(gdviz::RunId id, gdviz::RunStatus status, const QString &reason);
    /// An ended run runs again after a live change: resumed where it stopped, or restarted (after runStarted).
    void runRevived(gdviz::RunId id, gdviz::RunRevival how, const QString &message);
    void raceClockChanged(gdviz::RaceClock clock);
    void playingChanged(bool playing);
    void errorOccurred(const QString &message);
    void snapshotTaken(const QList<gdviz::RunSteps> &latest);
    void updateExplained(gdviz::RunId id, const gdviz::UpdateExplanation &explanation);

private:
    void tick();
    void continueEpochs(); // works towards m_epochTargets in budgeted chunks, re-queued
    void record(RunId id, std::span<const StepRecord> records);
    /// Emits stepsTaken, then runFinished for runs that ended. A regular (not forced) flush waits while
    /// the engine has not handled the previous report; a forced one keeps the order of events exact.
    void flush(bool force = true);
    void dropPending();
    void restartWith(RunId id, const RunSettings &settings);
    /// After a change of the run's own settings: an ended run resumes, a diverged one restarts (runRevived).
    void reviveAfterChange(RunId id);
    void announceStart(RunId id);
    void restartTimerFor(bool playing);
    void settle(); // flushes; stops playing when no run is left running

    std::atomic<RunId> *m_nextId;
    std::atomic<int> *m_stepsInFlight;
    Race::BlockSink m_sink; // record(), as the Race's sink
    QHash<RunId, double> m_epochTargets; // stepEpoch in progress: the epoch each run is heading for
    std::optional<Race> m_race;
    QTimer *m_timer = nullptr;
    bool m_playing = false;
    double m_speed = 60;
    QElapsedTimer m_clock; // since play (or the last speed or clock change)
    unsigned long long m_unitsGranted = 0; // per run since m_clock started, at a finite speed (Race::grant)
    QElapsedTimer m_sinceFlush;
    QList<RunSteps> m_pending;
    long m_pendingRecords = 0; // records in m_pending
    QHash<RunId, qsizetype> m_pendingIndex;
    QList<RunId> m_finishedPending;
};

} // namespace gdviz
