#pragma once
// The descent engine as the GUI thread sees it: commands that may be called at any time, in any order,
// and signals that report what the worker thread did. It owns the worker thread (Qt's worker-object
// pattern) and keeps, on the GUI thread, each run's settings and recorded trajectory, built only from
// the worker's signals, which arrive in the order the worker sent them.

#include "EngineTypes.h"
#include "Trajectory.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <map>

namespace gdviz {

class DescentWorker;

class DescentEngine : public QObject {
    Q_OBJECT
public:
    explicit DescentEngine(QObject *parent = nullptr);
    /// Ends the worker thread cleanly, even while runs play at full speed.
    ~DescentEngine() override;

    // Commands. Each is queued to the worker and takes effect at its next update.
    /// Returns the load's ticket, a number that grows with every call: once loadedTicket() has reached it (when
    /// scenarioLoaded() is emitted for it), scenario() and the runs are this scenario's.
    quint64 loadScenario(const Scenario &scenario);
    /// Reads and checks the file on the worker thread; on bad input emits errorOccurred with the
    /// command line's message, and the current scenario stays.
    void loadScenarioFile(const QString &path);
    void play();
    void pause();
    void togglePlay();
    /// One update of every running run.
    void step();
    /// Every running run to its next whole epoch (analytic objectives: one update).
    void stepEpoch();
    /// Every run back to its start point, same seeds: the replay is identical. Pauses.
    void reset();
    /// Per run, in the race clock's unit (updates or samples per second), from 0.1 to 1,000,000;
    /// asFastAsPossible (0) for no limit (so is anything not finite, not positive or above the range).
    void setSpeed(double unitsPerSecond);
    /// What the speed counts (Scenario.h): every run makes the same number of updates per second, or processes
    /// the same number of samples (a full-batch update of n samples costs as much as n stochastic ones). As fast
    /// as possible keeps the runs level in that unit too. Loading a scenario sets its "race_by". Stepping by
    /// hand (step, stepEpoch) stays per update and per epoch.
    void setRaceClock(RaceClock clock);
    /// Returns the new run's id, or -1 (and errorOccurred) when the settings are not valid.
    RunId addRun(const RunSettings &settings);
    void removeRun(RunId id);
    /// Hyperparameters, schedule and name change live; a new start point, batch size, shuffle or seed
    /// restarts the run. Invalid settings are refused with errorOccurred.
    /// A change of the optimizer, its hyperparameters or the schedule always acts: a run that had ended by a
    /// stop rule (or was stopped) runs again from where it stopped, with room for another max_steps updates or
    /// max_epochs epochs where that limit ended it (a converged run goes on until it converges again); a
    /// diverged run restarts from its start point (runStarted). Either way runRevived says so.
    void changeRun(RunId id, const RunSettings &settings);
    /// As changeRun with only the learning rate changed (the same rate changes nothing).
    void setLearningRate(RunId id, double lr);
    /// Moves the run's start point and restarts it there.
    void setStartPoint(RunId id, const Vec2 &start);
    /// Runs that ended by the rule the new ones loosen run again (runRevived): max_steps or max_epochs
    /// raised past them or switched off, a tolerance lowered or switched off for a converged run.
    void setStopRules(const StopRules &stop);
    /// Asks the worker for every run's latest record (answered by snapshotTaken).
    void requestSnapshot();
    /// Asks the worker to explain the run's next update (answered by updateExplained, after the stepsTaken that
    /// bring the run to the step it explains from). Nothing comes for a run that no longer exists.
    void requestUpdateExplanation(RunId id);

    // What the GUI thread knows, from the signals received so far.
    bool hasScenario() const { return m_hasScenario; }
    /// The ticket of the last loadScenario() the engine holds (0 before any).
    quint64 loadedTicket() const { return m_loadedTicket; }
    const Scenario &scenario() const { return m_scenario; }
    std::vector<RunId> runIds() const;
    bool hasRun(RunId id) const { return m_runs.count(id) > 0; }
    const RunSettings &runSettings(RunId id) const { return m_runs.at(id).settings; }
    const Trajectory &trajectory(RunId id) const { return m_runs.at(id).trajectory; }
    RunStatus runStatus(RunId id) const { return m_runs.at(id).status; }
    QString statusReason(RunId id) const { return m_runs.at(id).reason; }
    bool isPlaying() const { return m_playing; }
    double speed() const { return m_speed; }
    RaceClock raceClock() const { return m_scenario.raceBy; }
    /// The learning rate the run's next update will use, its schedule applied, as the GUI knows the run: right
    /// after a live change it is the new rate. A diverged run goes on only by restarting, so its next update
    /// is the first from its start point.
    double nextLearningRate(RunId id) const;

signals:
    void scenarioLoaded();
    void runStarted(gdviz::RunId id);
    void runRemoved(gdviz::RunId id);
    void stepsTaken(const QList<gdviz::RunSteps> &steps);
    void runFinished(gdviz::RunId id, gdviz::RunStatus status, const QString &reason);
    /// A live change brought back a run that had ended: resumed where it stopped, or (diverged) restarted from
    /// its start point, after runStarted. message says which, in words the window can show, e.g. "restarted
    /// from its start with the new settings", "resumed at update 1000 with the new settings, for up to 1000
    /// more updates". runStatus() is then Running.
    void runRevived(gdviz::RunId id, gdviz::RunRevival how, const QString &message);
    /// The race clock changed: set, or by loading a scenario with another "race_by".
    void raceClockChanged(gdviz::RaceClock clock);
    void playingChanged(bool playing);
    void errorOccurred(const QString &message);
    void snapshotTaken(const QList<gdviz::RunSteps> &latest);
    /// The run's next update: explanation.step is the update's number, one past the run's latest record.
    void updateExplained(gdviz::RunId id, const gdviz::UpdateExplanation &explanation);

private:
    struct RunView {
        RunSettings settings;
        Trajectory trajectory;
        RunStatus status = RunStatus::Running;
        QString reason;
    };
    template <typename F>
    void post(F command); // runs command on the worker thread, in call order
    /// Empty when the settings may be given to run `id` (-1: a new run), else what is wrong.
    std::string checkSettings(const RunSettings &settings, RunId id) const;
    void onScenarioLoaded(const Scenario &scenario, quint64 ticket);
    void onRunStarted(const RunStart &start);
    void onStepsTaken(const QList<RunSteps> &steps);
    void onRunFinished(RunId id, RunStatus status, const QString &reason);
    void onRunRevived(RunId id, RunRevival how, const QString &message);
    void noteRaceClock(RaceClock clock);

    QThread m_thread;
    DescentWorker *m_worker = nullptr;
    std::atomic<RunId> m_nextId{0};
    std::atomic<int> m_stepsInFlight{0};
    bool m_hasScenario = false;
    quint64 m_ticketsGiven = 0;
    quint64 m_loadedTicket = 0;
    Scenario m_scenario;
    std::map<RunId, RunView> m_runs;
    bool m_playing = false;
    double m_speed = 60;
};

} // namespace gdviz
