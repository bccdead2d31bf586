#include "DescentWorker.h"

#include "ScenarioReader.h"

#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace gdviz {

namespace {
constexpr qint64 flushIntervalMs = 16; // at most ~60 stepsTaken signals a second
constexpr qint64 fastChunkBudgetMs = 8; // "as fast as possible": work per tick before commands get through
// "As fast as possible" grants every running run this much of the clock's unit at a time (a round): 256 updates,
// or under the samples clock 256 samples or the cheapest running run's next update if that is more (a race of
// full batches of a million samples then makes one update each a round, not one every 4,000 rounds).
constexpr unsigned long long fastRound = 256;
// "As fast as possible" never gathers more than this many records while the engine is still handling the last
// report (about 5 MB): past it the worker waits for the GUI instead of piling up records it cannot show yet.
constexpr long maxPendingRecords = 1L << 16;

Race::Deadline budgetFromNow()
{
    return std::chrono::steady_clock::now() + std::chrono::milliseconds(fastChunkBudgetMs);
}

QString number(double x)
{
    return QString::number(x, 'g', 6);
}

/// What the window may show when a run that had ended runs again: how, and what it now has room for.
QString resumedMessage(const Run &run, RunStatus ended, const StopRules &rules, bool byStopRules)
{
    const StepRecord &r = run.current();
    const QString at = ended == RunStatus::MaxEpochs ? QStringLiteral("resumed at epoch %1").arg(number(r.epoch))
                                                     : QStringLiteral("resumed at update %1").arg(r.step);
    if (byStopRules)
        return at + QStringLiteral(" under the new stop rules");
    switch (ended) {
    case RunStatus::MaxSteps:
        return at + QStringLiteral(" with the new settings, for up to %1 more updates").arg(rules.maxSteps);
    case RunStatus::MaxEpochs:
        return at + QStringLiteral(" with the new settings, for up to %1 more epochs").arg(number(rules.maxEpochs));
    case RunStatus::Converged:
        return at + QStringLiteral(" with the new settings, until it converges again");
    default:
        return at + QStringLiteral(" with the new settings");
    }
}
} // namespace

DescentWorker::DescentWorker(std::atomic<RunId> *nextId, std::atomic<int> *stepsInFlight)
    : m_nextId(nextId)
    , m_stepsInFlight(stepsInFlight)
    , m_sink([this](RunId id, std::span<const StepRecord> records) { record(id, records); })
    , m_timer(new QTimer(this)) // a child, so it moves to the worker thread with us
{
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &DescentWorker::tick);
    m_sinceFlush.start();
}

void DescentWorker::loadScenario(const Scenario &scenario, quint64 ticket)
{
    const bool wasPlaying = m_playing;
    m_playing = false;
    m_timer->stop();
    dropPending();
    const RunId firstId = m_nextId->fetch_add(RunId(scenario.runs.size()));
    m_race.emplace(scenario, firstId);
    emit scenarioLoaded(scenario, ticket);
    if (wasPlaying)
        emit playingChanged(false);
    for (RunId id : m_race->runIds())
        announceStart(id);
}

void DescentWorker::loadScenarioFile(const QString &path)
{
    std::string error;
    auto scenario = readScenario(path.toStdString(), &error);
    if (!scenario) {
        emit errorOccurred(QString::fromStdString(error)); // the old scenario stays
        return;
    }
    loadScenario(*scenario);
}

void DescentWorker::play()
{
    if (m_playing || !m_race || !m_race->anyRunning())
        return;
    m_playing = true;
    m_clock.start();
    m_unitsGranted = 0;
    restartTimerFor(true);
    emit playingChanged(true);
}

void DescentWorker::pause()
{
    if (!m_playing)
        return;
    m_playing = false;
    m_timer->stop();
    m_epochTargets.clear();
    flush();
    emit playingChanged(false);
}

void DescentWorker::step()
{
    if (!m_race)
        return;
    m_race->advanceAll(1, m_sink);
    settle();
}

void DescentWorker::stepEpoch()
{
    if (!m_race)
        return;
    for (RunId id : m_race->runIds())
        if (m_race->run(id).isRunning() && !m_epochTargets.contains(id))
            m_epochTargets.insert(id, m_race->nextEpochTarget(id));
    continueEpochs();
}

void DescentWorker::continueEpochs()
{
    if (!m_race || m_epochTargets.isEmpty())
        return;
    const Race::Deadline deadline = budgetFromNow();
    for (auto it = m_epochTargets.begin(); it != m_epochTargets.end();) {
        if (!m_race->contains(it.key()) || m_race->advanceToEpoch(it.key(), it.value(), m_sink, deadline))
            it = m_epochTargets.erase(it);
        else
            ++it;
    }
    if (m_epochTargets.isEmpty()) {
        settle();
        return;
    }
    // Not there yet (a slow objective): let queued commands in, then go on.
    if (m_sinceFlush.elapsed() >= flushIntervalMs)
        flush(false);
    QMetaObject::invokeMethod(this, &DescentWorker::continueEpochs, Qt::QueuedConnection);
}

void DescentWorker::reset()
{
    if (!m_race)
        return;
    pause();
    dropPending();
    m_race->restartAll();
    for (RunId id : m_race->runIds())
        announceStart(id);
}

void DescentWorker::setSpeed(double unitsPerSecond)
{
    m_speed = std::max(0.0, unitsPerSecond);
    m_clock.start();
    m_unitsGranted = 0;
    restartTimerFor(m_playing);
}

void DescentWorker::setRaceClock(RaceClock clock)
{
    if (m_race)
        m_race->setClock(clock);
    m_clock.start();
    m_unitsGranted = 0;
    emit raceClockChanged(clock);
}

void DescentWorker::addRun(RunId id, const RunSettings &settings)
{
    if (!m_race)
        return;
    m_race->addRun(id, settings);
    announceStart(id);
}

void DescentWorker::removeRun(RunId id)
{
    if (!m_race || !m_race->contains(id))
        return;
    flush(); // steps taken so far reach the GUI before the removal does
    m_epochTargets.remove(id);
    m_race->removeRun(id);
    emit runRemoved(id);
}

void DescentWorker::changeRun(RunId id, const RunSettings &settings)
{
    if (!m_race || !m_race->contains(id))
        return;
    Run &run = m_race->run(id);
    const RunSettings &old = run.settings();
    // What defines a run from its first step (where it starts, which samples each update sees)
    // restarts it; hyperparameters change live from the next update.
    if (settings.start != old.start || settings.batchSize != old.batchSize || settings.shuffle != old.shuffle
        || settings.seed != old.seed) {
        restartWith(id, settings);
        return;
    }
    const bool changed = settings.optimizer != old.optimizer || settings.schedule != old.schedule;
    if (settings.optimizer != old.optimizer)
        run.setOptimizer(settings.optimizer);
    if (settings.schedule != old.schedule)
        run.setSchedule(settings.schedule);
    run.setName(settings.name);
    if (changed)
        reviveAfterChange(id);
}

void DescentWorker::setLearningRate(RunId id, double lr)
{
    if (!m_race || !m_race->contains(id))
        return;
    Run &run = m_race->run(id);
    OptimizerSettings optimizer = run.settings().optimizer;
    if (optimizer.lr == lr)
        return;
    optimizer.lr = lr;
    run.setOptimizer(optimizer);
    reviveAfterChange(id);
}

void DescentWorker::reviveAfterChange(RunId id)
{
    const Run &run = m_race->run(id);
    const RunStatus ended = run.status();
    if (ended == RunStatus::Running)
        return;
    if (ended == RunStatus::Diverged) {
        // Where it diverged there is nothing to go on from: the new settings start again from its start point.
        const RunSettings settings = run.settings();
        restartWith(id, settings);
        emit runRevived(id, RunRevival::Restarted, QStringLiteral("restarted from its start with the new settings"));
        return;
    }
    flush(); // the steps and the end so far reach the GUI before the run runs again
    if (m_race->resume(id))
        emit runRevived(id, RunRevival::Resumed, resumedMessage(run, ended, m_race->scenario().stop, false));
}

void DescentWorker::setStartPoint(RunId id, const Vec2 &start)
{
    if (!m_race || !m_race->contains(id))
        return;
    RunSettings settings = m_race->run(id).settings();
    settings.start = start;
    restartWith(id, settings);
}

void DescentWorker::restartWith(RunId id, const RunSettings &settings)
{
    flush();
    m_epochTargets.remove(id);
    m_race->replaceRun(id, settings);
    announceStart(id);
}

void DescentWorker::dropPending()
{
    m_pending.clear();
    m_pendingIndex.clear();
    m_pendingRecords = 0;
    m_finishedPending.clear();
    m_epochTargets.clear();
}

void DescentWorker::setStopRules(const StopRules &stop)
{
    if (!m_race)
        return;
    flush(); // a run's end reaches the GUI before the rules that may revive it
    std::vector<std::pair<RunId, RunStatus>> ended;
    for (RunId id : m_race->runIds())
        ended.emplace_back(id, m_race->run(id).status());
    const std::vector<RunId> revived = m_race->setStopRules(stop);
    for (const auto &[id, status] : ended)
        if (std::find(revived.begin(), revived.end(), id) != revived.end())
            emit runRevived(id, RunRevival::Resumed, resumedMessage(m_race->run(id), status, stop, true));
}

void DescentWorker::explainUpdate(RunId id)
{
    flush(true); // the records up to the run's current one reach the GUI first
    if (m_race && m_race->contains(id))
        emit updateExplained(id, m_race->run(id).explainNextUpdate());
}

void DescentWorker::takeSnapshot()
{
    flush();
    QList<RunSteps> latest;
    if (m_race)
        for (RunId id : m_race->runIds())
            latest.append(RunSteps{id, {m_race->run(id).current()}});
    emit snapshotTaken(latest);
}

void DescentWorker::shutDown()
{
    m_playing = false;
    m_timer->stop();
}

void DescentWorker::tick()
{
    if (!m_playing || !m_race)
        return;
    const Race::Deadline deadline = budgetFromNow();
    // Every running run is granted the same budget on the race's clock, in rounds: a new round only once every
    // run has spent the last one (Race::spend), so the runs stay level (in updates or in samples) however the
    // deadline cuts the work, and a run that cannot pay for an update yet keeps what it is owed.
    if (m_speed <= asFastAsPossible) {
        if (m_pendingRecords >= maxPendingRecords && m_stepsInFlight->load() > 0) {
            QThread::usleep(200); // the timer fires again at once: do not spin a core the GUI needs
            return;
        }
        do {
            if (m_race->spent())
                m_race->grant(m_race->clock() == RaceClock::Samples ? std::max(fastRound, m_race->leastNextCost()) : fastRound);
            m_race->spend(m_sink, deadline);
        } while (m_race->anyRunning() && std::chrono::steady_clock::now() < *deadline);
    } else {
        const double due = m_speed * double(m_clock.nsecsElapsed()) * 1e-9 - double(m_unitsGranted);
        // Never more than 50 ms worth of work in one tick: a machine that cannot keep up falls behind the
        // requested speed instead of freezing, and does not try to catch up in a burst afterwards.
        const double most = std::max(1.0, std::floor(m_speed * 0.05));
        const auto todo = (unsigned long long)(std::min(std::floor(due), most));
        if (todo > 0 && m_race->spent()) {
            m_race->grant(todo);
            m_unitsGranted += todo;
        }
        m_race->spend(m_sink, deadline);
        if (std::floor(due) > most) {
            m_clock.start();
            m_unitsGranted = 0;
        }
    }
    if (m_sinceFlush.elapsed() >= flushIntervalMs)
        flush(false);
    if (!m_race->anyRunning())
        settle();
}

void DescentWorker::record(RunId id, std::span<const StepRecord> records)
{
    if (records.empty())
        return;
    auto it = m_pendingIndex.constFind(id);
    if (it == m_pendingIndex.constEnd()) {
        it = m_pendingIndex.insert(id, m_pending.size());
        m_pending.append(RunSteps{id, {}});
    }
    QList<StepRecord> &steps = m_pending[*it].steps;
    for (const StepRecord &r : records)
        steps.append(r);
    m_pendingRecords += long(records.size());
    if (!m_race->run(id).isRunning())
        m_finishedPending.append(id);
}

void DescentWorker::flush(bool force)
{
    if (!force && m_stepsInFlight->load() > 0)
        return; // the engine is still drawing the last report: gather more first
    if (!m_pending.isEmpty()) {
        m_stepsInFlight->fetch_add(1);
        emit stepsTaken(m_pending);
    }
    m_pending.clear();
    m_pendingIndex.clear();
    m_pendingRecords = 0;
    const QList<RunId> finished = std::exchange(m_finishedPending, {});
    for (RunId id : finished) {
        if (!m_race || !m_race->contains(id))
            continue;
        const Run &run = m_race->run(id);
        emit runFinished(id, run.status(), QString::fromStdString(run.statusReason()));
    }
    m_sinceFlush.restart();
}

void DescentWorker::announceStart(RunId id)
{
    const Run &run = m_race->run(id);
    emit runStarted({id, run.settings(), run.current(), run.status(), QString::fromStdString(run.statusReason())});
    if (!run.isRunning())
        emit runFinished(id, run.status(), QString::fromStdString(run.statusReason()));
}

void DescentWorker::restartTimerFor(bool playing)
{
    if (!playing) {
        m_timer->stop();
        return;
    }
    const int interval = m_speed <= asFastAsPossible ? 0 : int(std::clamp(1000.0 / m_speed, 1.0, double(flushIntervalMs)));
    m_timer->start(interval);
}

void DescentWorker::settle()
{
    flush();
    if (m_playing && !m_race->anyRunning()) {
        m_playing = false;
        m_timer->stop();
        emit playingChanged(false);
    }
}

} // namespace gdviz
