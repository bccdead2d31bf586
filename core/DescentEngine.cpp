#include "DescentEngine.h"

#include "DescentWorker.h"

#include <algorithm>
#include <cmath>

namespace gdviz {

DescentEngine::DescentEngine(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<RunSteps>();
    qRegisterMetaType<UpdateExplanation>();
    qRegisterMetaType<QList<RunSteps>>();
    qRegisterMetaType<RunStart>();
    qRegisterMetaType<Scenario>();
    qRegisterMetaType<RunStatus>();
    qRegisterMetaType<RunRevival>();
    qRegisterMetaType<RaceClock>();
    qRegisterMetaType<RunId>("gdviz::RunId");

    m_worker = new DescentWorker(&m_nextId, &m_stepsInFlight);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &DescentWorker::scenarioLoaded, this, &DescentEngine::onScenarioLoaded);
    connect(m_worker, &DescentWorker::runStarted, this, &DescentEngine::onRunStarted);
    connect(m_worker, &DescentWorker::stepsTaken, this, &DescentEngine::onStepsTaken);
    connect(m_worker, &DescentWorker::runFinished, this, &DescentEngine::onRunFinished);
    connect(m_worker, &DescentWorker::runRevived, this, &DescentEngine::onRunRevived);
    connect(m_worker, &DescentWorker::raceClockChanged, this, &DescentEngine::noteRaceClock);
    connect(m_worker, &DescentWorker::runRemoved, this, [this](RunId id) {
        m_runs.erase(id);
        emit runRemoved(id);
    });
    connect(m_worker, &DescentWorker::playingChanged, this, [this](bool playing) {
        m_playing = playing;
        emit playingChanged(playing);
    });
    connect(m_worker, &DescentWorker::errorOccurred, this, &DescentEngine::errorOccurred);
    connect(m_worker, &DescentWorker::snapshotTaken, this, &DescentEngine::snapshotTaken);
    connect(m_worker, &DescentWorker::updateExplained, this, &DescentEngine::updateExplained);
    m_thread.setObjectName(QStringLiteral("gdviz descent worker"));
    m_thread.start();
}

DescentEngine::~DescentEngine()
{
    post([](DescentWorker *w) { w->shutDown(); });
    m_thread.quit();
    m_thread.wait();
}

template <typename F>
void DescentEngine::post(F command)
{
    DescentWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, command] { command(worker); }, Qt::QueuedConnection);
}

std::string DescentEngine::checkSettings(const RunSettings &s, RunId id) const
{
    for (const auto &[other, view] : m_runs)
        if (other != id && view.settings.name == s.name)
            return "name: '" + s.name + "' is already the name of another run";
    return s.validate();
}

quint64 DescentEngine::loadScenario(const Scenario &scenario)
{
    const quint64 ticket = ++m_ticketsGiven;
    post([scenario, ticket](DescentWorker *w) { w->loadScenario(scenario, ticket); });
    return ticket;
}

void DescentEngine::loadScenarioFile(const QString &path)
{
    post([path](DescentWorker *w) { w->loadScenarioFile(path); });
}

void DescentEngine::play()
{
    post([](DescentWorker *w) { w->play(); });
}

void DescentEngine::pause()
{
    post([](DescentWorker *w) { w->pause(); });
}

void DescentEngine::togglePlay()
{
    if (m_playing)
        pause();
    else
        play();
}

void DescentEngine::step()
{
    post([](DescentWorker *w) { w->step(); });
}

void DescentEngine::stepEpoch()
{
    post([](DescentWorker *w) { w->stepEpoch(); });
}

void DescentEngine::reset()
{
    post([](DescentWorker *w) { w->reset(); });
}

void DescentEngine::setSpeed(double unitsPerSecond)
{
    m_speed = std::isfinite(unitsPerSecond) && unitsPerSecond > 0 && unitsPerSecond <= 1e6
                  ? std::max(0.1, unitsPerSecond)
                  : asFastAsPossible;
    post([speed = m_speed](DescentWorker *w) { w->setSpeed(speed); });
}

void DescentEngine::setRaceClock(RaceClock clock)
{
    noteRaceClock(clock);
    post([clock](DescentWorker *w) { w->setRaceClock(clock); });
}

void DescentEngine::noteRaceClock(RaceClock clock)
{
    if (clock == m_scenario.raceBy)
        return;
    m_scenario.raceBy = clock;
    emit raceClockChanged(clock);
}

RunId DescentEngine::addRun(const RunSettings &settings)
{
    const std::string problem = checkSettings(settings, -1);
    if (!problem.empty() || !m_hasScenario) {
        emit errorOccurred(QString::fromStdString(problem.empty() ? "no scenario is loaded" : problem));
        return -1;
    }
    const RunId id = m_nextId.fetch_add(1);
    post([id, settings](DescentWorker *w) { w->addRun(id, settings); });
    return id;
}

void DescentEngine::removeRun(RunId id)
{
    post([id](DescentWorker *w) { w->removeRun(id); });
}

void DescentEngine::changeRun(RunId id, const RunSettings &settings)
{
    const std::string problem = checkSettings(settings, id);
    if (!problem.empty()) {
        emit errorOccurred(QString::fromStdString(problem));
        return;
    }
    if (auto it = m_runs.find(id); it != m_runs.end())
        it->second.settings = settings;
    post([id, settings](DescentWorker *w) { w->changeRun(id, settings); });
}

void DescentEngine::setLearningRate(RunId id, double lr)
{
    if (!std::isfinite(lr) || !(lr > 0)) {
        emit errorOccurred(QStringLiteral("lr: must be > 0"));
        return;
    }
    if (auto it = m_runs.find(id); it != m_runs.end())
        it->second.settings.optimizer.lr = lr;
    post([id, lr](DescentWorker *w) { w->setLearningRate(id, lr); });
}

void DescentEngine::setStartPoint(RunId id, const Vec2 &start)
{
    if (!start.allFinite())
        return;
    post([id, start](DescentWorker *w) { w->setStartPoint(id, start); });
}

void DescentEngine::setStopRules(const StopRules &stop)
{
    m_scenario.stop = stop;
    post([stop](DescentWorker *w) { w->setStopRules(stop); });
}

void DescentEngine::requestUpdateExplanation(RunId id)
{
    post([id](DescentWorker *w) { w->explainUpdate(id); });
}

void DescentEngine::requestSnapshot()
{
    post([](DescentWorker *w) { w->takeSnapshot(); });
}

double DescentEngine::nextLearningRate(RunId id) const
{
    const RunView &view = m_runs.at(id);
    const long next = view.status == RunStatus::Diverged ? 0 : view.trajectory.last().step;
    return view.settings.schedule.at(view.settings.optimizer.lr, next);
}

std::vector<RunId> DescentEngine::runIds() const
{
    std::vector<RunId> ids;
    for (const auto &[id, view] : m_runs)
        ids.push_back(id);
    return ids;
}

void DescentEngine::onScenarioLoaded(const Scenario &scenario, quint64 ticket)
{
    if (ticket != 0)
        m_loadedTicket = ticket;
    const RaceClock before = m_scenario.raceBy;
    m_scenario = scenario;
    m_hasScenario = true;
    m_runs.clear();
    // The clock first: whoever handles scenarioLoaded (a window that sets the speed, say) sees the new clock's
    // settings already in place, and is not overridden by them afterwards.
    if (scenario.raceBy != before)
        emit raceClockChanged(scenario.raceBy);
    emit scenarioLoaded();
}

void DescentEngine::onRunStarted(const RunStart &start)
{
    RunView &view = m_runs[start.id];
    view.settings = start.settings;
    view.trajectory.clear();
    view.trajectory.append(start.start);
    view.status = start.status;
    view.reason = start.reason;
    emit runStarted(start.id);
}

void DescentEngine::onStepsTaken(const QList<RunSteps> &steps)
{
    for (const RunSteps &batch : steps) {
        auto it = m_runs.find(batch.id);
        if (it == m_runs.end())
            continue;
        for (const StepRecord &record : batch.steps)
            it->second.trajectory.append(record);
    }
    emit stepsTaken(steps);
    m_stepsInFlight.fetch_sub(1); // handled: the worker may send the next report
}

void DescentEngine::onRunRevived(RunId id, RunRevival how, const QString &message)
{
    if (auto it = m_runs.find(id); it != m_runs.end()) {
        it->second.status = RunStatus::Running;
        it->second.reason.clear();
    }
    emit runRevived(id, how, message);
}

void DescentEngine::onRunFinished(RunId id, RunStatus status, const QString &reason)
{
    if (auto it = m_runs.find(id); it != m_runs.end()) {
        it->second.status = status;
        it->second.reason = reason;
    }
    emit runFinished(id, status, reason);
}

} // namespace gdviz
