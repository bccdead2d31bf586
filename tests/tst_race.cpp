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

#include <cmath>

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

QTEST_APPLESS_MAIN(TestRace)
#include "tst_race.moc"
