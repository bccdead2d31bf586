// The descent engine on its worker thread: the same trajectories whether played at any speed, stepped
// by hand or run headless; live learning-rate changes; and a storm of random commands. Every wait is on
// a signal (QTRY_*), never on a sleep or a clock.

#include "DescentEngine.h"
#include "Race.h"
#include "ScenarioReader.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace gdviz;

class TestEngine : public QObject {
    Q_OBJECT
private slots:
    void loadAnnouncesEveryRun();
    void playedSteppedAndHeadlessAreIdentical_data();
    void playedSteppedAndHeadlessAreIdentical();
    void liveLearningRateChangeTakesEffectAtTheNextUpdate();
    void stepEpochStopsAtTheEpochBoundary();
    void changingStartPointRestartsTheRun();
    void badFileKeepsTheOldScenario();
    void badRunSettingsAreRefusedWithTheFilesWording_data();
    void badRunSettingsAreRefusedWithTheFilesWording();
    void stepsAreReportedInBatches();
    void survivesACommandStorm();
    void quitsWhilePlayingFlatOut();
    void samplesClockRacesFairly_data();
    void samplesClockRacesFairly();
    void loadingAScenarioSetsItsClock();
    void finishedRunRevivedByALearningRate();
    void divergedRunRestartsWithTheNewSettings();
    void looserStopRulesReviveEndedRuns();
    void nextLearningRateFollowsTheSchedule();
};

static const char *raceJson = R"({"objective": {"kind": "linear_regression", "data": {"generate": {"n": 300, "noise": 0.8, "seed": 5}}},
 "runs": [{"name": "Batch GD", "lr": 0.05, "batch_size": "full", "start": [-2, 3]},
          {"name": "Stochastic GD", "lr": 0.05, "batch_size": 1, "seed": 1, "start": [-2, 3]},
          {"name": "Mini-batch GD", "optimizer": "adam", "lr": 0.05, "batch_size": 32, "seed": 2, "start": [-2, 3]}],
 "stop": {"max_epochs": 4}})";

static Scenario scenarioFrom(const char *json)
{
    std::string error;
    auto s = parseScenario(json, "test.json", "", &error);
    if (!s)
        qFatal("%s", error.c_str());
    return *s;
}

/// The core, stepped directly: what the engine must reproduce.
static std::vector<StepRecord> coreTrajectory(const Scenario &scenario, const RunSettings &settings)
{
    Run run(scenario.objective, settings, scenario.stop);
    std::vector<StepRecord> records{run.current()};
    while (run.isRunning())
        records.push_back(run.step());
    return records;
}

static void loadAndWait(DescentEngine &engine, const Scenario &scenario)
{
    QSignalSpy started(&engine, &DescentEngine::runStarted);
    engine.loadScenario(scenario);
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), int(scenario.runs.size()), 10000);
}

static bool sameRecords(std::span<const StepRecord> a, std::span<const StepRecord> b, QString *why)
{
    if (a.size() != b.size()) {
        *why = QStringLiteral("%1 records vs %2").arg(a.size()).arg(b.size());
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].step != b[i].step || a[i].theta != b[i].theta || a[i].loss != b[i].loss || a[i].epoch != b[i].epoch) {
            *why = QStringLiteral("record %1 differs").arg(i);
            return false;
        }
    return true;
}

void TestEngine::loadAnnouncesEveryRun()
{
    DescentEngine engine;
    QSignalSpy loaded(&engine, &DescentEngine::scenarioLoaded);
    loadAndWait(engine, scenarioFrom(raceJson));
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(engine.runIds().size(), std::size_t(3));
    for (RunId id : engine.runIds()) {
        QCOMPARE(engine.trajectory(id).records().size(), std::size_t(1)); // paused at step 0
        QCOMPARE(engine.runStatus(id), RunStatus::Running);
    }
    QVERIFY(!engine.isPlaying());
}

void TestEngine::playedSteppedAndHeadlessAreIdentical_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<double>("speed");
    QTest::newRow("played flat out") << "play" << asFastAsPossible;
    QTest::newRow("played at 20000/s") << "play" << 20000.0;
    QTest::newRow("stepped by hand") << "step" << 0.0;
    QTest::newRow("stepped by epochs") << "epoch" << 0.0;
}

void TestEngine::playedSteppedAndHeadlessAreIdentical()
{
    QFETCH(QString, mode);
    QFETCH(double, speed);
    const Scenario scenario = scenarioFrom(raceJson);
    DescentEngine engine;
    loadAndWait(engine, scenario);
    QSignalSpy finished(&engine, &DescentEngine::runFinished);
    if (mode == QLatin1String("play")) {
        engine.setSpeed(speed);
        engine.play();
    } else if (mode == QLatin1String("step")) {
        for (int i = 0; i < 4 * 300; ++i) // the longest run: 4 epochs of 300 single samples
            engine.step();
    } else {
        for (int i = 0; i < 4; ++i)
            engine.stepEpoch();
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 60000);

    // The headless command line, run as a user would, on the same scenario.
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("race.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(raceJson);
    file.close();
    const QString csv = dir.filePath(QStringLiteral("race.csv"));
    QCOMPARE(QProcess::execute(QStringLiteral(GDVIZ_BINARY), {"--headless", "--scenario", file.fileName(), "--csv", csv}), 0);
    QFile out(csv);
    QVERIFY(out.open(QIODevice::ReadOnly));
    out.readLine();
    std::map<QString, std::vector<StepRecord>> headless;
    while (!out.atEnd()) {
        const QList<QByteArray> f = out.readLine().trimmed().split(',');
        StepRecord r;
        r.step = f[1].toLong();
        r.epoch = f[2].toDouble();
        r.theta = Vec2(f[3].toDouble(), f[4].toDouble());
        r.loss = f[5].toDouble();
        headless[QString::fromUtf8(f[0])].push_back(r);
    }

    for (RunId id : engine.runIds()) {
        const RunSettings &settings = engine.runSettings(id);
        const std::span<const StepRecord> played = engine.trajectory(id).records();
        QString why;
        QVERIFY2(sameRecords(played, coreTrajectory(scenario, settings), &why), qPrintable(why));
        QVERIFY2(sameRecords(played, headless[QString::fromStdString(settings.name)], &why), qPrintable(why));
        QCOMPARE(engine.runStatus(id), RunStatus::MaxEpochs);
    }
}

void TestEngine::liveLearningRateChangeTakesEffectAtTheNextUpdate()
{
    const Scenario scenario = scenarioFrom(R"({"objective": {"kind": "rosenbrock"},
        "runs": [{"name": "GD", "lr": 0.001, "start": [-1.5, 2]}, {"name": "Momentum", "momentum": 0.9, "lr": 0.0005, "start": [0, 2]}],
        "stop": {"max_steps": 200}})");
    DescentEngine engine;
    loadAndWait(engine, scenario);
    const RunId gd = engine.runIds().front();
    const int k = 37;
    QSignalSpy finished(&engine, &DescentEngine::runFinished);
    for (int i = 0; i < k; ++i)
        engine.step();
    engine.setLearningRate(gd, 0.0021);
    engine.setSpeed(asFastAsPossible);
    engine.play();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);

    // The core: k updates at the old rate, then the new one.
    Run reference(scenario.objective, scenario.runs[0], scenario.stop);
    std::vector<StepRecord> expected{reference.current()};
    for (int i = 0; i < k; ++i)
        expected.push_back(reference.step());
    OptimizerSettings faster = scenario.runs[0].optimizer;
    faster.lr = 0.0021;
    reference.setOptimizer(faster);
    while (reference.isRunning())
        expected.push_back(reference.step());

    const auto &records = engine.trajectory(gd).records();
    QString why;
    QVERIFY2(sameRecords(records, expected, &why), qPrintable(why));
    QCOMPARE(records[k].lr, 0.001); // update k used the old rate...
    QCOMPARE(records[k + 1].lr, 0.0021); // ...update k + 1 the new one, and says so
    QVERIFY(records[k + 1].settingsChanged);
    QVERIFY(!records[k].settingsChanged);
    // Without the change the run would differ: the reference is not trivially equal.
    QVERIFY(coreTrajectory(scenario, scenario.runs[0]).back().theta != records.back().theta);
    // The untouched run is the plain core trajectory.
    QVERIFY2(sameRecords(engine.trajectory(engine.runIds().back()).records(), coreTrajectory(scenario, scenario.runs[1]), &why), qPrintable(why));
}

void TestEngine::stepEpochStopsAtTheEpochBoundary()
{
    DescentEngine engine;
    loadAndWait(engine, scenarioFrom(raceJson));
    QSignalSpy steps(&engine, &DescentEngine::stepsTaken);
    engine.stepEpoch();
    QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), 10000);
    const std::vector<RunId> ids = engine.runIds();
    // n = 300: batch 1 update, stochastic 300 updates, mini-batch 32 -> ceil(300 / 32) = 10 updates.
    QCOMPARE(engine.trajectory(ids[0]).last().step, 1L);
    QCOMPARE(engine.trajectory(ids[1]).last().step, 300L);
    QCOMPARE(engine.trajectory(ids[2]).last().step, 10L);
    for (RunId id : ids)
        QCOMPARE(engine.trajectory(id).last().epoch, 1.0);
}

void TestEngine::changingStartPointRestartsTheRun()
{
    DescentEngine engine;
    const Scenario scenario = scenarioFrom(raceJson);
    loadAndWait(engine, scenario);
    const RunId id = engine.runIds().front();
    QSignalSpy started(&engine, &DescentEngine::runStarted);
    engine.step();
    engine.step();
    engine.setStartPoint(id, Vec2(1.5, -0.5));
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 10000);
    QCOMPARE(started.front().front().value<RunId>(), id);
    QCOMPARE(engine.trajectory(id).records().size(), std::size_t(1));
    QCOMPARE(engine.trajectory(id).last().theta, Vec2(1.5, -0.5));
    QCOMPARE(engine.trajectory(id).last().loss, scenario.objective->evaluate(Vec2(1.5, -0.5), nullptr));
}

void TestEngine::badFileKeepsTheOldScenario()
{
    DescentEngine engine;
    loadAndWait(engine, scenarioFrom(raceJson));
    const std::vector<RunId> before = engine.runIds();
    QSignalSpy errors(&engine, &DescentEngine::errorOccurred);
    const QString bad = QStringLiteral(GDVIZ_TEST_DATA_DIR "/negative_lr.json");
    engine.loadScenarioFile(bad);
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, 10000);
    std::string expected;
    QVERIFY(!readScenario(bad.toStdString(), &expected));
    QCOMPARE(errors.front().front().toString(), QString::fromStdString(expected)); // the command line's message
    QCOMPARE(engine.runIds(), before);
    QCOMPARE(engine.scenario().runs.size(), std::size_t(3));
}

void TestEngine::badRunSettingsAreRefusedWithTheFilesWording_data()
{
    // The engine and the scenario reader check runs with the same RunSettings::validate: the reader's
    // message for the same mistake is "test.json: runs[0].<the same text>".
    QTest::addColumn<QString>("runJson");
    QTest::addColumn<QString>("message");
    QTest::newRow("schedule gamma") << R"({"name": "X", "lr": 0.1, "start": [0, 0], "schedule": {"kind": "exponential", "gamma": 2}})"
                                    << "schedule.gamma: must be in (0, 1], got 2";
    QTest::newRow("lr") << R"({"name": "X", "lr": -1, "start": [0, 0]})" << "lr: must be > 0, got -1";
    QTest::newRow("nesterov") << R"({"name": "X", "nesterov": true, "start": [0, 0]})" << "nesterov: needs momentum > 0 and dampening 0";
    QTest::newRow("empty name") << R"({"name": "", "start": [0, 0]})" << "name: must not be empty";
}

void TestEngine::badRunSettingsAreRefusedWithTheFilesWording()
{
    QFETCH(QString, runJson);
    QFETCH(QString, message);
    std::string readerMessage;
    QVERIFY(!parseScenario(QStringLiteral(R"({"objective": {"kind": "booth"}, "runs": [%1]})").arg(runJson).toStdString(), "test.json", "",
                           &readerMessage));
    QCOMPARE(QString::fromStdString(readerMessage), "test.json: runs[0]." + message);

    // The same settings, as the window would hand them to the engine.
    const QJsonObject run = QJsonDocument::fromJson(runJson.toUtf8()).object();
    RunSettings settings;
    settings.name = run.value("name").toString().toStdString();
    settings.optimizer.lr = run.value("lr").toDouble(0.01);
    settings.optimizer.nesterov = run.value("nesterov").toBool();
    if (run.contains("schedule")) {
        settings.schedule.kind = LearningRateSchedule::Kind::Exponential;
        settings.schedule.gamma = run.value("schedule").toObject().value("gamma").toDouble();
    }
    DescentEngine engine;
    const Scenario scenario = scenarioFrom(raceJson);
    loadAndWait(engine, scenario);
    QSignalSpy errors(&engine, &DescentEngine::errorOccurred);
    QCOMPARE(engine.addRun(settings), -1);
    engine.changeRun(engine.runIds().front(), settings);
    QCOMPARE(errors.size(), 2);
    for (const auto &error : errors)
        QCOMPARE(error.front().toString(), message);
    QCOMPARE(engine.runIds().size(), std::size_t(3));
    QCOMPARE(engine.runSettings(engine.runIds().front()), scenario.runs.front()); // nothing changed
}

void TestEngine::stepsAreReportedInBatches()
{
    const Scenario scenario = scenarioFrom(R"({"objective": {"kind": "quadratic"},
        "runs": [{"name": "Slow", "lr": 0.0001, "start": [2, 1]}], "stop": {"max_steps": 200000}})");
    DescentEngine engine;
    loadAndWait(engine, scenario);
    QSignalSpy steps(&engine, &DescentEngine::stepsTaken);
    QSignalSpy finished(&engine, &DescentEngine::runFinished);
    engine.setSpeed(asFastAsPossible);
    engine.play();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QCOMPARE(engine.trajectory(engine.runIds().front()).last().step, 200000L);
    // Signals are sent at most every 16 ms, each carrying every step since the last one: far fewer
    // signals than steps, and none lost.
    qsizetype total = 0;
    for (const auto &arguments : steps)
        for (const RunSteps &batch : arguments.front().value<QList<RunSteps>>())
            total += batch.steps.size();
    QCOMPARE(total, qsizetype(200000));
    QVERIFY2(steps.size() < 200000 / 100, qPrintable(QString::number(steps.size())));
}

void TestEngine::survivesACommandStorm()
{
    const Scenario scenario = scenarioFrom(raceJson);
    const Scenario other = scenarioFrom(R"({"objective": {"kind": "himmelblau"},
        "runs": [{"name": "A", "lr": 0.01, "start": [0, 0]}, {"name": "B", "optimizer": "rmsprop", "lr": 0.01, "start": [1, 1]}],
        "stop": {"max_steps": 3000}})");
    DescentEngine engine;
    loadAndWait(engine, scenario);
    std::mt19937_64 random(2024);
    auto pick = [&](int n) { return int(random() % std::uint64_t(n)); };
    int added = 0;
    for (int i = 0; i < 5000; ++i) {
        const std::vector<RunId> ids = engine.runIds();
        const RunId someId = ids.empty() ? 12345 : ids[std::size_t(pick(int(ids.size())))];
        switch (pick(13)) {
        case 0: engine.play(); break;
        case 1: engine.pause(); break;
        case 2: engine.step(); break;
        case 3: engine.reset(); break;
        case 4: engine.setSpeed(pick(3) == 0 ? asFastAsPossible : 1.0 + pick(100000)); break;
        case 5: engine.setLearningRate(someId, std::pow(10.0, -4 + pick(50) / 10.0)); break;
        case 6: {
            RunSettings s = engine.hasScenario() && !ids.empty() ? engine.runSettings(someId) : RunSettings{};
            s.name = "Added " + std::to_string(++added);
            s.start = Vec2(pick(5) - 2.0, pick(5) - 2.0);
            engine.addRun(s);
            break;
        }
        case 7: engine.removeRun(someId); break;
        case 8: if (pick(50) == 0) engine.loadScenario(pick(2) ? scenario : other); break;
        case 9: engine.setStartPoint(someId, Vec2(pick(7) - 3.0, pick(7) - 3.0)); break;
        case 10: engine.stepEpoch(); break;
        case 11: QCoreApplication::processEvents(); break; // let the worker's signals in, mid-storm
        case 12: engine.setRaceClock(pick(2) ? RaceClock::Samples : RaceClock::Updates); break;
        }
    }
    // Afterwards the engine still answers, and its view of every run matches the worker's.
    engine.pause();
    QSignalSpy snapshot(&engine, &DescentEngine::snapshotTaken);
    engine.requestSnapshot();
    QTRY_COMPARE_WITH_TIMEOUT(snapshot.size(), 1, 30000);
    const auto latest = snapshot.front().front().value<QList<RunSteps>>();
    QCOMPARE(latest.size(), qsizetype(engine.runIds().size()));
    for (const RunSteps &run : latest) {
        QVERIFY(engine.hasRun(run.id));
        const StepRecord &mine = engine.trajectory(run.id).last();
        QCOMPARE(mine.step, run.steps.front().step);
        QCOMPARE(mine.theta, run.steps.front().theta);
        const auto &records = engine.trajectory(run.id).records();
        for (std::size_t i = 1; i < records.size(); ++i)
            QCOMPARE(records[i].step, records[i - 1].step + 1); // no step lost or repeated
    }
    // ... and a reset replays every run exactly as the core computes it with its settings.
    QSignalSpy finished(&engine, &DescentEngine::runFinished);
    QSignalSpy started(&engine, &DescentEngine::runStarted);
    engine.setStopRules(engine.scenario().objective->sampleCount() ? StopRules{0, 2, 0, 0, 1e6} : StopRules{500, 0, 0, 0, 1e6});
    engine.reset();
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), int(engine.runIds().size()), 30000);
    engine.setSpeed(asFastAsPossible);
    engine.play();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), int(engine.runIds().size()), 60000);
    for (RunId id : engine.runIds()) {
        QString why;
        QVERIFY2(sameRecords(engine.trajectory(id).records(), coreTrajectory(engine.scenario(), engine.runSettings(id)), &why),
                 qPrintable(why));
    }
}

void TestEngine::quitsWhilePlayingFlatOut()
{
    auto engine = std::make_unique<DescentEngine>();
    loadAndWait(*engine, scenarioFrom(R"({"objective": {"kind": "rosenbrock"},
        "runs": [{"name": "A", "lr": 1e-6, "start": [-1, 1]}, {"name": "B", "lr": 1e-6, "start": [1, -1]}, {"name": "C", "optimizer": "adam", "lr": 1e-6, "start": [0, 2]}],
        "stop": {"max_steps": 1000000000}})"));
    QSignalSpy steps(engine.get(), &DescentEngine::stepsTaken);
    engine->setSpeed(asFastAsPossible);
    engine->play();
    QTRY_VERIFY_WITH_TIMEOUT(steps.size() >= 3, 10000);
    engine.reset(); // joins the worker thread; a hang here fails by the ctest timeout, a crash by itself
    QVERIFY(!engine);
}

// n = 300; full batch, stochastic, mini-batches of 32 (the last of an epoch: 12). Endless for these tests.
static const char *samplesRaceJson = R"({"objective": {"kind": "linear_regression", "data": {"generate": {"n": 300, "noise": 0.8, "seed": 5}}},
 "runs": [{"name": "Batch GD", "lr": 0.05, "batch_size": "full", "start": [-2, 3]},
          {"name": "Stochastic GD", "lr": 0.05, "batch_size": 1, "seed": 1, "start": [-2, 3]},
          {"name": "Mini-batch GD", "optimizer": "adam", "lr": 0.05, "batch_size": 32, "seed": 2, "start": [-2, 3]}],
 "stop": {"max_steps": 0}, "race_by": "samples"})";

/// Samples a run has processed, from its last record: epoch x n.
static long long samplesSeen(const DescentEngine &engine, RunId id)
{
    return std::llround(engine.trajectory(id).last().epoch * double(engine.scenario().objective->sampleCount()));
}

void TestEngine::samplesClockRacesFairly_data()
{
    QTest::addColumn<double>("speed"); // samples per second per run
    QTest::newRow("1500 samples/s") << 1500.0;
    QTest::newRow("as fast as possible") << asFastAsPossible;
}

void TestEngine::samplesClockRacesFairly()
{
    // Played by samples, paused: every run has processed the same samples, within what its next update costs
    // (a full batch: 300) and, flat out, the round the worker grants at a time (256 samples: DescentWorker.cpp):
    // the full-batch run does not race ahead by 300 samples an update as it does by updates.
    QFETCH(double, speed);
    DescentEngine engine;
    loadAndWait(engine, scenarioFrom(samplesRaceJson));
    QCOMPARE(engine.raceClock(), RaceClock::Samples);
    const std::vector<RunId> ids = engine.runIds();
    QSignalSpy playing(&engine, &DescentEngine::playingChanged);
    QElapsedTimer elapsed;
    elapsed.start();
    engine.setSpeed(speed);
    engine.play();
    // A few full-batch updates (of 300 samples each), for a race worth measuring.
    const long batchUpdates = speed > 0 ? 2 : 10;
    QTRY_VERIFY_WITH_TIMEOUT(engine.trajectory(ids[0]).last().step >= batchUpdates, 30000);
    engine.pause();
    QTRY_VERIFY_WITH_TIMEOUT(playing.size() == 2 && !engine.isPlaying(), 10000);
    const qint64 ms = elapsed.elapsed();
    const long long slack = speed == asFastAsPossible ? 256 + 300 : 300;
    long long least = std::numeric_limits<long long>::max(), most = 0;
    for (RunId id : ids) {
        least = std::min(least, samplesSeen(engine, id));
        most = std::max(most, samplesSeen(engine, id));
    }
    QVERIFY2(most - least < slack, qPrintable(QStringLiteral("samples from %1 to %2").arg(least).arg(most)));
    // The same samples, far more updates for the small batches: one per sample, one per 32 (or 12).
    QCOMPARE(engine.trajectory(ids[0]).last().step, long(samplesSeen(engine, ids[0]) / 300));
    QCOMPARE(engine.trajectory(ids[1]).last().step, long(samplesSeen(engine, ids[1])));
    QVERIFY(engine.trajectory(ids[1]).last().step > 50 * engine.trajectory(ids[0]).last().step);
    QVERIFY(engine.trajectory(ids[2]).last().step > 5 * engine.trajectory(ids[0]).last().step);
    if (speed > 0) // never more than the speed allows in the time played (the worker's clock starts after ours)
        QVERIFY2(double(most) <= speed * double(ms) / 1000 + 1, qPrintable(QStringLiteral("%1 samples in %2 ms").arg(most).arg(ms)));
}

void TestEngine::loadingAScenarioSetsItsClock()
{
    DescentEngine engine;
    QSignalSpy clock(&engine, &DescentEngine::raceClockChanged);
    QCOMPARE(engine.raceClock(), RaceClock::Updates);
    loadAndWait(engine, scenarioFrom(samplesRaceJson));
    QCOMPARE(engine.raceClock(), RaceClock::Samples);
    QCOMPARE(clock.size(), 1);
    engine.setRaceClock(RaceClock::Updates);
    QCOMPARE(engine.raceClock(), RaceClock::Updates);
    QCOMPARE(engine.scenario().raceBy, RaceClock::Updates); // what a save writes
    QCOMPARE(clock.size(), 2);
    loadAndWait(engine, scenarioFrom(raceJson)); // no race_by: updates
    QCOMPARE(engine.raceClock(), RaceClock::Updates);
    loadAndWait(engine, scenarioFrom(samplesRaceJson));
    QCOMPARE(engine.raceClock(), RaceClock::Samples);
    QCOMPARE(clock.size(), 3);

    // Switched to updates, the full-batch run keeps step with the others, update for update (200 a second: one
    // update a tick, never cut by the worker's deadline).
    engine.setRaceClock(RaceClock::Updates);
    engine.setSpeed(200);
    engine.play();
    const std::vector<RunId> ids = engine.runIds();
    QTRY_VERIFY_WITH_TIMEOUT(engine.trajectory(ids[0]).last().step >= 20, 30000);
    engine.pause();
    QTRY_VERIFY_WITH_TIMEOUT(!engine.isPlaying(), 10000);
    const long steps = engine.trajectory(ids[0]).last().step;
    for (RunId id : ids)
        QCOMPARE(engine.trajectory(id).last().step, steps);
}

void TestEngine::finishedRunRevivedByALearningRate()
{
    // Batch GD on four written-out samples ends at max_epochs 3; a new lr revives it: the next update is plain
    // gradient descent from where it stopped with the new rate (the gradient computed here by hand), and it
    // has room for 3 more epochs. The scenario's stop rules, which a save writes, are unchanged.
    QTemporaryDir dir;
    QFile csv(dir.filePath(QStringLiteral("four.csv")));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("x,y\n-1,0.5\n0,-1\n1,2\n2,3\n");
    csv.close();
    std::string error;
    const auto scenario = parseScenario(R"({"objective": {"kind": "linear_regression", "data": {"csv": "four.csv"}},
        "runs": [{"name": "Batch GD", "lr": 0.05, "batch_size": "full", "start": [-3, 4]}], "stop": {"max_epochs": 3}})",
                                        "four.json", dir.path().toStdString(), &error);
    QVERIFY2(scenario, error.c_str());
    DescentEngine engine;
    loadAndWait(engine, *scenario);
    const RunId id = engine.runIds().front();
    QSignalSpy finished(&engine, &DescentEngine::runFinished);
    engine.play();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(engine.runStatus(id), RunStatus::MaxEpochs);
    const StepRecord last = engine.trajectory(id).last();
    QCOMPARE(last.step, 3L);
    QCOMPARE(engine.nextLearningRate(id), 0.05);

    QSignalSpy revived(&engine, &DescentEngine::runRevived);
    engine.setLearningRate(id, 0.355);
    QCOMPARE(engine.nextLearningRate(id), 0.355); // at once, before the worker has it
    QTRY_COMPARE_WITH_TIMEOUT(revived.size(), 1, 10000);
    QCOMPARE(revived.front().at(0).value<RunId>(), id);
    QCOMPARE(revived.front().at(1).value<RunRevival>(), RunRevival::Resumed);
    QCOMPARE(revived.front().at(2).toString(), QStringLiteral("resumed at epoch 3 with the new settings, for up to 3 more epochs"));
    QCOMPARE(engine.runStatus(id), RunStatus::Running);
    QCOMPARE(engine.trajectory(id).records().size(), std::size_t(4)); // nothing lost: it goes on

    QSignalSpy steps(&engine, &DescentEngine::stepsTaken);
    engine.step();
    QTRY_COMPARE_WITH_TIMEOUT(steps.size(), 1, 10000);
    const StepRecord next = engine.trajectory(id).last();
    // MSE = mean (w x + b - y)^2: gradient (2/n sum r x, 2/n sum r), r = w x + b - y.
    const double xs[] = {-1, 0, 1, 2}, ys[] = {0.5, -1, 2, 3};
    Vec2 g = Vec2::Zero();
    for (int i = 0; i < 4; ++i) {
        const double r = last.theta[0] * xs[i] + last.theta[1] - ys[i];
        g += Vec2(2 * r * xs[i], 2 * r) / 4.0;
    }
    const Vec2 expected = last.theta - 0.355 * g;
    QCOMPARE(next.step, 4L);
    QVERIFY(test::closeRelative(next.theta[0], expected[0], 1e-13, 1e-14));
    QVERIFY(test::closeRelative(next.theta[1], expected[1], 1e-13, 1e-14));
    QCOMPARE(next.lr, 0.355);
    QVERIFY(next.settingsChanged);
    engine.play();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
    QCOMPARE(engine.runStatus(id), RunStatus::MaxEpochs);
    QCOMPARE(engine.trajectory(id).last().step, 6L);
    QCOMPARE(engine.scenario().stop.maxEpochs, 3.0);
}

void TestEngine::divergedRunRestartsWithTheNewSettings()
{
    // lr 5 on 0.5 (x^2 + 10 y^2) multiplies y by -49 an update: diverged. A new lr restarts it from its start.
    const Scenario scenario = scenarioFrom(R"({"objective": {"kind": "quadratic"},
        "runs": [{"name": "Wild", "lr": 5, "start": [1, 1]}], "stop": {"max_steps": 50}})");
    DescentEngine engine;
    loadAndWait(engine, scenario);
    const RunId id = engine.runIds().front();
    QSignalSpy finished(&engine, &DescentEngine::runFinished);
    engine.play();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(engine.runStatus(id), RunStatus::Diverged);

    QSignalSpy started(&engine, &DescentEngine::runStarted);
    QSignalSpy revived(&engine, &DescentEngine::runRevived);
    engine.setLearningRate(id, 0.05);
    QCOMPARE(engine.nextLearningRate(id), 0.05);
    QTRY_COMPARE_WITH_TIMEOUT(revived.size(), 1, 10000);
    QCOMPARE(started.size(), 1); // before runRevived
    QCOMPARE(revived.front().at(1).value<RunRevival>(), RunRevival::Restarted);
    QCOMPARE(revived.front().at(2).toString(), QStringLiteral("restarted from its start with the new settings"));
    QCOMPARE(engine.runStatus(id), RunStatus::Running);
    QCOMPARE(engine.statusReason(id), QString());
    QCOMPARE(engine.trajectory(id).records().size(), std::size_t(1));
    QCOMPARE(engine.trajectory(id).last().theta, Vec2(1, 1));
    engine.play();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
    QCOMPARE(engine.runStatus(id), RunStatus::MaxSteps);
    const StepRecord &end = engine.trajectory(id).last();
    QCOMPARE(end.step, 50L);
    QVERIFY(test::closeRelative(end.theta[0], std::pow(0.95, 50), 1e-13));
    QVERIFY(test::closeRelative(end.theta[1], std::pow(0.5, 50), 1e-13));
}

void TestEngine::looserStopRulesReviveEndedRuns()
{
    const Scenario scenario = scenarioFrom(R"({"objective": {"kind": "quadratic"},
        "runs": [{"name": "A", "lr": 0.01, "start": [1, 1]}, {"name": "B", "lr": 0.02, "start": [1, 1]}], "stop": {"max_steps": 10}})");
    DescentEngine engine;
    loadAndWait(engine, scenario);
    QSignalSpy finished(&engine, &DescentEngine::runFinished);
    engine.play();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
    QSignalSpy revived(&engine, &DescentEngine::runRevived);
    StopRules lower = scenario.stop;
    lower.maxSteps = 5;
    engine.setStopRules(lower); // tighter: nothing to revive
    StopRules looser = scenario.stop;
    looser.maxSteps = 25;
    engine.setStopRules(looser);
    QTRY_COMPARE_WITH_TIMEOUT(revived.size(), 2, 10000);
    for (const auto &signal : revived) {
        QCOMPARE(signal.at(1).value<RunRevival>(), RunRevival::Resumed);
        QCOMPARE(signal.at(2).toString(), QStringLiteral("resumed at update 10 under the new stop rules"));
    }
    for (RunId id : engine.runIds())
        QCOMPARE(engine.runStatus(id), RunStatus::Running);
    engine.play();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, 10000);
    for (RunId id : engine.runIds()) {
        QCOMPARE(engine.trajectory(id).last().step, 25L);
        QCOMPARE(engine.trajectory(id).records().size(), std::size_t(26)); // one trajectory, no restart
    }
}

void TestEngine::nextLearningRateFollowsTheSchedule()
{
    // step schedule: lr gamma^floor(t / step_size) at update t; after k updates the next one is update k.
    const Scenario scenario = scenarioFrom(R"({"objective": {"kind": "quadratic"},
        "runs": [{"name": "A", "lr": 0.1, "start": [1, 1], "schedule": {"kind": "step", "step_size": 4, "gamma": 0.5}}],
        "stop": {"max_steps": 10}})");
    DescentEngine engine;
    loadAndWait(engine, scenario);
    const RunId id = engine.runIds().front();
    QCOMPARE(engine.nextLearningRate(id), 0.1);
    QSignalSpy steps(&engine, &DescentEngine::stepsTaken);
    for (int k = 1; k <= 9; ++k) {
        engine.step();
        QTRY_COMPARE_WITH_TIMEOUT(steps.size(), k, 10000);
        QCOMPARE(engine.nextLearningRate(id), 0.1 * std::pow(0.5, k / 4));
    }
    RunSettings changed = engine.runSettings(id);
    changed.optimizer.lr = 0.3;
    engine.changeRun(id, changed);
    QCOMPARE(engine.nextLearningRate(id), 0.3 * 0.25); // update 9: the new base rate, the schedule's factor
}

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
