// A race under a learning rate of 1e6: on every objective and with every optimizer the wild run ends as
// diverged at its first update (three were asked for) with its reason (that update, and for SGD its lr against
// the stable limit where it started; none claimed for adaptive optimizers),
// never reporting a non-finite value as a normal step, and the calm run goes on to its normal stop.
// The default divergence rule is relative to the view (StopRules.h): a run far from but coming back
// towards the view is not diverged, one beyond 100 view widths is, and a file's divergence_bound replaces
// the rule. Records reach the sink in order, a block at a time (64 for a named function, 16 with samples).

#include "AnalyticFunctions.h"
#include "Race.h"
#include "ScenarioReader.h"
#include "Trajectory.h"

#include <QTest>

#include <chrono>
#include <cmath>
#include <map>

using namespace gdviz;

namespace {
// Written out here, not taken from the code: the wording a student reads.
const QString startLeftTheView = QStringLiteral("at the start: the start point is more than 100 view widths from the view's centre");
} // namespace

class TestRace : public QObject {
    Q_OBJECT
private slots:
    void hugeLearningRateEndsOnlyThatRun_data();
    void hugeLearningRateEndsOnlyThatRun();
    void divergenceIsMeasuredFromTheView_data();
    void divergenceIsMeasuredFromTheView();
    void recordsComeInBlocks_data();
    void recordsComeInBlocks();
    void recordingIntoATrajectoryKeepsTheSinksRecords_data();
    void recordingIntoATrajectoryKeepsTheSinksRecords();
    void clocksKeepTheRunsLevel_data();
    void clocksKeepTheRunsLevel();
    void fullBatchUpdatesWhenItsSamplesArePaid();
    void deadlineMovesEveryRunAndKeepsWhatIsOwed();
    void resumeAndLooserRulesKeepTheScenariosRules();
};

void TestRace::hugeLearningRateEndsOnlyThatRun_data()
{
    QTest::addColumn<QString>("objective");
    QTest::addColumn<QString>("optimizer");
    QStringList objectives;
    for (const auto &info : analyticFunctions())
        objectives << QStringLiteral(R"({"kind": "%1"})").arg(QString::fromStdString(info.name));
    objectives << QStringLiteral(R"j({"kind": "expression", "expr": "x^2 + 3*y^2 + sin(x*y)"})j")
               << QStringLiteral(R"({"kind": "linear_regression", "data": {"generate": {"n": 50}}})")
               << QStringLiteral(R"({"kind": "logistic_regression", "data": {"generate": {"n": 50}}})");
    QCOMPARE(objectives.size(), 16);
    // Every first update at lr 1e6 moves theta by far more than 100 view widths (the widest default view
    // is 20 wide, so 2000 from its centre), from the update rules:
    // - sgd moves lr * g; logistic regression's gradient is bounded by the largest |x| but is still about
    //   0.1 or more away from the minimum: 1e5.
    // - rmsprop moves lr * g / sqrt((1 - alpha) g^2) = 10 lr; adagrad lr * g / |g| = lr; adam and nadam
    //   about lr; adamax lr; adamw first decays theta by (1 - lr * weight_decay) = 1 - 1e4.
    // - adadelta moves lr * sqrt(eps) / sqrt((1 - rho) g^2) * g = 1e6 * 1e-3 / sqrt(0.1) = 3162.
    for (const QString &objective : objectives)
        for (const auto &info : optimizers()) {
            const QString row = objective.section('"', 3, 3) + " / " + QString::fromStdString(info.name);
            QTest::newRow(qPrintable(row)) << objective << QString::fromStdString(info.name);
        }
}

void TestRace::hugeLearningRateEndsOnlyThatRun()
{
    QFETCH(QString, objective);
    QFETCH(QString, optimizer);
    constexpr long maxSteps = 100;
    const QString json = QStringLiteral(R"({"objective": %1, "runs": [
        {"name": "Wild", "optimizer": "%2", "lr": 1e6, "start": [0.7, 0.3]},
        {"name": "Calm", "lr": 1e-7, "start": [0.7, 0.3]}], "stop": {"max_steps": %3}})")
                             .arg(objective, optimizer)
                             .arg(maxSteps);
    std::string error;
    const auto scenario = parseScenario(json.toStdString(), "race.json", {}, &error);
    QVERIFY2(scenario, error.c_str());
    Race race(*scenario);
    const RunId wild = race.runIds()[0], calm = race.runIds()[1];
    long calmUpdates = 0;
    race.advanceAll(10 * maxSteps, [&](RunId id, const StepRecord &r) {
        const bool finite = r.theta.allFinite() && std::isfinite(r.loss) && r.grad.allFinite();
        if (id == calm) {
            ++calmUpdates;
            QVERIFY(finite);
        } else if (!finite) {
            QCOMPARE(race.run(wild).status(), RunStatus::Diverged); // a non-finite record is always the last
        }
    });
    QVERIFY(!race.anyRunning());
    const Run &w = race.run(wild);
    QCOMPARE(w.status(), RunStatus::Diverged);
    QCOMPARE(w.current().step, 1L); // within three updates was asked for; by the rules above, the first
    // Every first update moved the point by far more than the view (above): the reason names that update and the
    // lr. SGD's rate is compared with the stable limit at the start point, 2 / lambda_max of the Hessian there,
    // far below 1e6 wherever the surface curves up. At (0.7, 0.3) six surfaces curve down in every direction
    // (a negative definite Hessian, e.g. Himmelblau's [[4u + 8x^2 + 2, 4(x + y)], [., 2 + 4v + 8y^2]] =
    // [[-34.9, 4], [4, -22.1]], the six-hump camel's [[-1.95, 1], [1, -3.68]], Styblinski-Tang's diagonal
    // 6x^2 - 16 and 6y^2 - 16, Rastrigin's 2 + 40 pi^2 cos(2 pi x) = -120 in both), where no limit exists: the
    // reason says so. Adaptive optimizers claim no limit.
    const QString reason = QString::fromStdString(w.statusReason());
    QVERIFY2(reason.startsWith(QLatin1String("at update 1: ")), qPrintable(reason));
    const QStringList curvingDown{"ackley", "goldstein_price", "himmelblau", "rastrigin", "six_hump_camel", "styblinski_tang"};
    if (optimizer == QLatin1String("sgd") && curvingDown.contains(objective.section('"', 3, 3)))
        QVERIFY2(reason.endsWith(QLatin1String(": lr 1e+06 (the surface curves down here: no stable limit)")), qPrintable(reason));
    else if (optimizer == QLatin1String("sgd"))
        QVERIFY2(reason.contains(QLatin1String(": lr 1e+06 is above the stable limit ")), qPrintable(reason));
    else
        QVERIFY2(reason.endsWith(QLatin1String(": lr 1e+06")), qPrintable(reason));
    QCOMPARE(race.run(calm).status(), RunStatus::MaxSteps);
    QCOMPARE(calmUpdates, maxSteps);
}

void TestRace::divergenceIsMeasuredFromTheView_data()
{
    // One sgd run, 100 updates at most. The quadratic 0.5 (x^2 + 10 y^2) has the view [-3, 3]^2: 100 view
    // widths is 600 from its centre. sgd at lr 0.05 multiplies x by 0.95 and y by 0.5 per update.
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<int>("status");
    QTest::addColumn<long>("step");
    QTest::addColumn<QString>("reason");
    const QString quadratic = QStringLiteral(R"({"objective": {"kind": "quadratic"}, "runs": [{"name": "R", "lr": 0.05, "start": [%1, %2]}], "stop": {"max_steps": 100%3}})");
    const int diverged = int(RunStatus::Diverged), maxSteps = int(RunStatus::MaxSteps);
    QTest::newRow("50 widths away in x, coming back") << quadratic.arg("300", "0.3", "") << maxSteps << 100L << QString();
    QTest::newRow("50 heights away in y, coming back") << quadratic.arg("0.7", "-300", "") << maxSteps << 100L << QString();
    QTest::newRow("exactly 100 widths away, coming back") << quadratic.arg("600", "0", "") << maxSteps << 100L << QString();
    QTest::newRow("beyond 100 widths: diverged before any update") << quadratic.arg("601", "0", "") << diverged << 0L << startLeftTheView;
    // divergence_bound replaces the view rule: the same start is then fine, one beyond the bound is not.
    QTest::newRow("beyond 100 widths under divergence_bound 1e6") << quadratic.arg("601", "0", R"(, "divergence_bound": 1e6)") << maxSteps << 100L << QString();
    QTest::newRow("beyond divergence_bound 1e3") << quadratic.arg("1001", "0", R"(, "divergence_bound": 1e3)") << diverged << 0L
                                                 << QStringLiteral("at the start: the start point is beyond the divergence bound 1000");
    // Moving away: the saddle x^2 - y^2 (view [-2, 2]^2, 400 from its centre) at lr 0.1 multiplies y by 1.2
    // per update: from 200 (50 widths) y passes 400 at the fourth update (200 * 1.2^4 = 414.72), the loss -y^2
    // falling each time, to -171993.6. The saddle's Hessian diag(2, -2) sets the stable limit 2 / 2 = 1.
    QTest::newRow("50 widths away in y, leaving")
        << QStringLiteral(R"({"objective": {"kind": "saddle"}, "runs": [{"name": "R", "lr": 0.1, "start": [0, 200]}], "stop": {"max_steps": 100}})")
        << diverged << 4L
        << QStringLiteral("at update 4: the loss keeps falling without bound (-170000 now) and the point is more than 100 "
                          "view widths from the view's centre: lr 0.1 is below the stable limit 1 here");
    // A file's view is the one measured from: (x-1000)^2 + y^2 in its view [990, 1010] x [-10, 10]
    // (2000 from its centre) descends from 50 widths away (x = 2000); without the view, the formula's
    // default [-3, 3]^2 puts the same start beyond 100 widths (600).
    const QString formula = QStringLiteral(R"({"objective": {"kind": "expression", "expr": "(x-1000)^2 + y^2"}, "runs": [{"name": "R", "lr": 0.1, "start": [2000, 0]}], "stop": {"max_steps": 100}%1})");
    QTest::newRow("formula, 50 widths from its file's view") << formula.arg(R"(, "view": {"x": [990, 1010], "y": [-10, 10]})") << maxSteps << 100L << QString();
    QTest::newRow("formula, no view: its default view") << formula.arg("") << diverged << 0L << startLeftTheView;
}

void TestRace::divergenceIsMeasuredFromTheView()
{
    QFETCH(QString, scenario);
    QFETCH(int, status);
    QFETCH(long, step);
    QFETCH(QString, reason);
    std::string error;
    const auto parsed = parseScenario(scenario.toStdString(), "view.json", {}, &error);
    QVERIFY2(parsed, error.c_str());
    Race race(*parsed);
    race.advanceAll(1000, [](RunId, const StepRecord &) {});
    const Run &run = race.run(race.runIds()[0]);
    QCOMPARE(int(run.status()), status);
    QCOMPARE(run.current().step, step);
    QCOMPARE(QString::fromStdString(run.statusReason()), reason);
}

void TestRace::recordsComeInBlocks_data()
{
    // A named function's records come 64 at a time, an objective with samples' 16 at a time (Race.h: the clock is
    // read after each block, so a slow objective's blocks stay short); 150 updates asked for.
    QTest::addColumn<QString>("objective");
    QTest::addColumn<QList<int>>("blocks");
    QTest::newRow("rosenbrock") << R"({"kind": "rosenbrock"})" << QList<int>{64, 64, 22};
    QTest::newRow("linear regression") << R"({"kind": "linear_regression", "data": {"generate": {"n": 50}}})"
                                       << QList<int>{16, 16, 16, 16, 16, 16, 16, 16, 16, 6};
}

void TestRace::recordsComeInBlocks()
{
    // Every record once, in order (steps 1, 2, 3, ...), in blocks of the sizes above.
    QFETCH(QString, objective);
    QFETCH(QList<int>, blocks);
    const QString json = QStringLiteral(R"({"objective": %1, "stop": {"max_steps": 1000},
        "runs": [{"name": "a", "optimizer": "sgd", "lr": 0.0001, "batch_size": 8, "start": [0.5, 0.5]}]})").arg(objective);
    std::string error;
    const auto scenario = parseScenario(json.toStdString(), "blocks.json", {}, &error);
    QVERIFY2(scenario, error.c_str());
    Race race(*scenario);
    QList<int> sizes;
    long expectedStep = 1;
    bool inOrder = true;
    race.advance(race.runIds().front(), 150, [&](RunId, std::span<const StepRecord> records) {
        sizes.append(int(records.size()));
        for (const StepRecord &r : records)
            inOrder = inOrder && r.step == expectedStep++;
    });
    QVERIFY(inOrder);
    QCOMPARE(sizes, blocks);
}

void TestRace::recordingIntoATrajectoryKeepsTheSinksRecords_data()
{
    QTest::addColumn<QString>("objective");
    QTest::addColumn<QString>("optimizer");
    QTest::addColumn<int>("maxSteps");
    QTest::addColumn<int>("cap"); // the trajectory's
    QTest::newRow("rosenbrock, adam") << R"({"kind": "rosenbrock"})" << R"("adam", "lr": 0.01)" << 1000 << 100000;
    QTest::newRow("rosenbrock, stops mid-block") << R"({"kind": "rosenbrock"})" << R"("sgd", "lr": 0.0001)" << 100 << 100000;
    QTest::newRow("rosenbrock, thinned (cap 40)") << R"({"kind": "rosenbrock"})" << R"("sgd", "lr": 0.0001, "momentum": 0.9)" << 1000 << 40;
    QTest::newRow("linear regression") << R"({"kind": "linear_regression", "data": {"generate": {"n": 50}}})"
                                       << R"("sgd", "lr": 0.01)" << 1000 << 100000;
}

void TestRace::recordingIntoATrajectoryKeepsTheSinksRecords()
{
    // Race::advance into a trajectory (the run writes in the trajectory's storage) keeps exactly the records that
    // the block sink hands over and Trajectory::append keeps: every field, bit for bit, and the same thinning.
    QFETCH(QString, objective);
    QFETCH(QString, optimizer);
    QFETCH(int, maxSteps);
    QFETCH(int, cap);
    const QString json = QStringLiteral(R"({"objective": %1, "stop": {"max_steps": %2},
        "runs": [{"name": "a", "optimizer": %3, "batch_size": 8, "start": [-1.5, 2]}]})")
                             .arg(objective)
                             .arg(maxSteps)
                             .arg(optimizer);
    std::string error;
    const auto scenario = parseScenario(json.toStdString(), "into.json", {}, &error);
    QVERIFY2(scenario, error.c_str());
    Race sinkRace(*scenario), inPlaceRace(*scenario);
    const RunId id = sinkRace.runIds().front();
    Trajectory appended{std::size_t(cap)}, inPlace{std::size_t(cap)};
    appended.append(sinkRace.run(id).current());
    inPlace.append(inPlaceRace.run(id).current());
    for (const long updates : {1L, 150L, 5000L}) {
        const long bySink = sinkRace.advance(id, updates, [&](RunId, std::span<const StepRecord> r) { appended.append(r); });
        QCOMPARE(inPlaceRace.advance(id, updates, inPlace), bySink);
    }
    QCOMPARE(inPlaceRace.run(id).status(), sinkRace.run(id).status());
    QCOMPARE(inPlace.droppedCount(), appended.droppedCount());
    QCOMPARE(inPlace.records().size(), appended.records().size());
    for (std::size_t k = 0; k < appended.records().size(); ++k) {
        const StepRecord &a = appended.records()[k], &b = inPlace.records()[k];
        const bool same = a.step == b.step && a.epoch == b.epoch && a.theta == b.theta && a.grad == b.grad
                          && a.loss == b.loss && a.batchLoss == b.batchLoss && a.lr == b.lr
                          && a.settingsChanged == b.settingsChanged;
        QVERIFY2(same, qPrintable(QStringLiteral("record %1 (step %2) differs").arg(k).arg(a.step)));
    }
}

namespace {
// n = 200 samples; batches full, 1, 32 (the epoch's last batch 8) and 64 (last 8); a named function for the
// analytic case. Far more epochs than the tests play.
const char *clockRaceJson = R"({"objective": {"kind": "linear_regression", "data": {"generate": {"n": 200, "noise": 1, "seed": 7}}},
 "runs": [{"name": "Batch", "lr": 0.02, "batch_size": "full", "start": [-3, 4]},
          {"name": "Stochastic", "lr": 0.02, "batch_size": 1, "seed": 1, "start": [-3, 4]},
          {"name": "Mini-batch", "lr": 0.02, "batch_size": 32, "seed": 2, "start": [-3, 4]},
          {"name": "Mini-batch 64", "optimizer": "adam", "lr": 0.02, "batch_size": 64, "seed": 3, "start": [-3, 4]}],
 "stop": {"max_epochs": 1000}, "race_by": "%1"})";

/// The samples a run's next update processes, from the definition (README "Batches"), after `seen` samples.
unsigned long long nextBatch(unsigned long long seen, long batchSize, unsigned long long n)
{
    const unsigned long long k = batchSize == fullBatch ? n : std::min<unsigned long long>(batchSize, n);
    return std::min(k, n - seen % n);
}
} // namespace

void TestRace::clocksKeepTheRunsLevel_data()
{
    // Grants of a fixed size, each spent before the next (as the worker plays): after each, every run has done the
    // work granted, less what its next update costs (it cannot pay for it yet), never more.
    QTest::addColumn<QString>("clock");
    QTest::addColumn<int>("grant");
    QTest::addColumn<int>("rounds");
    QTest::newRow("samples, 1 a round") << "samples" << 1 << 1000;
    QTest::newRow("samples, 7 a round") << "samples" << 7 << 300;
    QTest::newRow("samples, 256 a round") << "samples" << 256 << 40;
    QTest::newRow("samples, 1000 a round") << "samples" << 1000 << 20;
    QTest::newRow("updates, 1 a round") << "updates" << 1 << 300;
    QTest::newRow("updates, 256 a round") << "updates" << 256 << 3; // the full batch ends at 1000 updates
}

void TestRace::clocksKeepTheRunsLevel()
{
    QFETCH(QString, clock);
    QFETCH(int, grant);
    QFETCH(int, rounds);
    std::string error;
    const auto scenario = parseScenario(QString::fromLatin1(clockRaceJson).arg(clock).toStdString(), "clock.json", {}, &error);
    QVERIFY2(scenario, error.c_str());
    const bool samples = clock == QLatin1String("samples");
    QCOMPARE(scenario->raceBy, samples ? RaceClock::Samples : RaceClock::Updates);
    Race race(*scenario);
    const unsigned long long n = 200;
    std::map<RunId, StepRecord> last;
    for (RunId id : race.runIds())
        last[id] = race.run(id).current();
    const auto sink = [&](RunId id, std::span<const StepRecord> records) { last[id] = records.back(); };
    unsigned long long granted = 0;
    for (int round = 0; round < rounds; ++round) {
        QVERIFY(race.spent());
        race.grant((unsigned long long)(grant));
        granted += (unsigned long long)(grant);
        QVERIFY(race.spend(sink));
        for (RunId id : race.runIds()) {
            // The work done, read from the records: samples seen = epoch x n, or updates = step.
            const StepRecord &r = last[id];
            const auto done = samples ? (unsigned long long)(std::llround(r.epoch * double(n))) : (unsigned long long)(r.step);
            const unsigned long long next = samples ? nextBatch(done, race.run(id).settings().batchSize, n) : 1;
            QVERIFY2(done <= granted && granted < done + next,
                     qPrintable(QStringLiteral("round %1, %2: %3 done of %4 granted, next update costs %5")
                                    .arg(round).arg(QString::fromStdString(race.run(id).settings().name)).arg(done).arg(granted).arg(next)));
            QCOMPARE(race.owed(id), granted - done);
        }
    }
    if (samples) { // by samples, the stochastic run makes 200 updates for each of the full batch's
        const std::vector<RunId> ids = race.runIds();
        QCOMPARE(last[ids[1]].step, long(granted)); // batch 1: one update per sample
        QCOMPARE(last[ids[0]].step, long(granted / n));
    } else {
        for (RunId id : race.runIds())
            QCOMPARE(last[id].step, long(granted)); // the updates clock: one update per unit, whatever the batch
    }
}

void TestRace::fullBatchUpdatesWhenItsSamplesArePaid()
{
    // One sample a round (100 samples/s played at 100 ticks a second): the full batch of 200 updates at exactly every
    // 200th round, never starved and never two at once; the analytic run, by samples, once a round.
    std::string error;
    const auto data = parseScenario(QString::fromLatin1(clockRaceJson).arg("samples").toStdString(), "clock.json", {}, &error);
    QVERIFY2(data, error.c_str());
    Race race(*data);
    const RunId batch = race.runIds()[0];
    std::vector<int> updatedAt;
    int round = 0;
    const auto sink = [&](RunId id, std::span<const StepRecord> records) {
        if (id == batch)
            for (std::size_t i = 0; i < records.size(); ++i)
                updatedAt.push_back(round);
    };
    for (round = 1; round <= 1000; ++round) {
        race.grant(1);
        race.spend(sink);
    }
    QCOMPARE(updatedAt, (std::vector<int>{200, 400, 600, 800, 1000}));

    const auto analytic = parseScenario(R"({"objective": {"kind": "quadratic"}, "runs": [{"name": "A", "lr": 0.01, "start": [1, 1]}],
        "stop": {"max_steps": 100}, "race_by": "samples"})", "analytic.json", {}, &error);
    QVERIFY2(analytic, error.c_str());
    Race named(*analytic);
    const RunId a = named.runIds().front();
    for (long k = 1; k <= 50; ++k) {
        named.grant(1);
        named.spend([](RunId, std::span<const StepRecord>) {});
        QCOMPARE(named.run(a).current().step, k); // one update per "sample": as the updates clock
    }
}

void TestRace::deadlineMovesEveryRunAndKeepsWhatIsOwed()
{
    // A deadline already passed: each run still makes one block of records (16 for an objective with samples) or
    // what it can pay for, so that no run is left standing; the rest stays owed and is spent later, exactly.
    std::string error;
    const auto scenario = parseScenario(QString::fromLatin1(clockRaceJson).arg("samples").toStdString(), "clock.json", {}, &error);
    QVERIFY2(scenario, error.c_str());
    Race race(*scenario);
    std::map<RunId, long> updates;
    const auto sink = [&](RunId id, std::span<const StepRecord> records) { updates[id] += long(records.size()); };
    race.grant(2000);
    QVERIFY(!race.spend(sink, std::chrono::steady_clock::now() - std::chrono::seconds(1)));
    const std::vector<RunId> ids = race.runIds();
    QCOMPARE(updates[ids[0]], 10L); // full batch: 2000 samples pay for 10 updates, fewer than a block
    QCOMPARE(updates[ids[1]], long(Race::sampleRecordBlock)); // stochastic: one block of 2000 updates
    QCOMPARE(updates[ids[2]], long(Race::sampleRecordBlock)); // batch 32: 16 updates of the 70 paid for
    QVERIFY(!race.spent());
    QVERIFY(race.spend(sink));
    QCOMPARE(updates[ids[1]], 2000L);
    // 2000 samples in batches of 32 (an epoch: 6 of 32 and one of 8): 10 epochs of 7 updates, nothing left.
    QCOMPARE(updates[ids[2]], 70L);
    for (RunId id : ids)
        QCOMPARE(race.owed(id), 0ULL);
}

void TestRace::resumeAndLooserRulesKeepTheScenariosRules()
{
    // The room a revived run gets is its own: the scenario's stop rules (which a save writes) stay as given.
    std::string error;
    const auto scenario = parseScenario(R"({"objective": {"kind": "quadratic"}, "runs": [{"name": "A", "lr": 0.01, "start": [1, 1]},
        {"name": "B", "lr": 0.02, "start": [1, 1]}], "stop": {"max_steps": 10}})", "rules.json", {}, &error);
    QVERIFY2(scenario, error.c_str());
    Race race(*scenario);
    const RunId a = race.runIds()[0], b = race.runIds()[1];
    race.advanceAll(100, [](RunId, std::span<const StepRecord>) {});
    QVERIFY(!race.anyRunning());
    QVERIFY(race.resume(a));
    QCOMPARE(race.scenario().stop.maxSteps, 10L);
    race.advanceAll(100, [](RunId, std::span<const StepRecord>) {});
    QCOMPARE(race.run(a).current().step, 20L);
    QCOMPARE(race.run(b).current().step, 10L);

    StopRules looser = scenario->stop;
    looser.maxSteps = 15; // B (at 10 of 15) runs again; A (at 20, its room counted from 10: 25) too
    QCOMPARE(race.setStopRules(looser), (std::vector<RunId>{a, b}));
    QCOMPARE(race.scenario().stop.maxSteps, 15L);
    race.advanceAll(100, [](RunId, std::span<const StepRecord>) {});
    QCOMPARE(race.run(a).current().step, 25L);
    QCOMPARE(race.run(b).current().step, 15L);
}

QTEST_APPLESS_MAIN(TestRace)
#include "tst_race.moc"
