// A run's stepping and stop rules against closed forms: plain GD on a quadratic, the normal equations of
// linear regression, epochs counted in samples, and each way a run can end.

#include "AnalyticFunctions.h"
#include "EngineTypes.h"
#include "RegressionObjectives.h"
#include "Run.h"
#include "TestSupport.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace gdviz;

class TestRun : public QObject {
    Q_OBJECT
private slots:
    void plainGradientDescentOnQuadraticIsGeometric();
    void batchGradientDescentReachesNormalEquations();
    void momentumBeatsPlainDescentOnIllConditionedBowl();
    void epochsCountSamplesSeen_data();
    void epochsCountSamplesSeen();
    void hugeLearningRateDiverges_data();
    void hugeLearningRateDiverges();
    void lossToleranceConverges();
    void startAtMinimumConvergesAtOnce();
    void stopEndsARunningRun();
    void recordsTheLearningRateEachUpdateUsed();
    void hugeValuesEndAsDiverged_data();
    void hugeValuesEndAsDiverged();
    void settingsNameTheBadField_data();
    void settingsNameTheBadField();
    void divergesJustBeyondTheRule_data();
    void divergesJustBeyondTheRule();
    void advanceMakesTheUpdatesOfStep_data();
    void advanceMakesTheUpdatesOfStep();
    void resumedAtMaxEpochsGoesOnFromItsLastPoint();
    void resumedAtMaxStepsGetsAsManyStepsAgain();
    void resumedConvergedRunMayConvergeAtOnce();
    void resumeLeavesDivergedAndRunningRunsAlone();
    void stoppedRunResumes();
    void looserStopRulesRevive_data();
    void looserStopRulesRevive();
    void roomGivenByResumeOutlastsNewStopRules();
    void batchSizesPayForUpdates_data();
    void batchSizesPayForUpdates();
    void explainsTheNextUpdateExactly_data();
    void explainsTheNextUpdateExactly();
    void explainsAnEndedOrDivergedRun();
};

static std::shared_ptr<const Objective> quadratic(double a, double b)
{
    return std::make_shared<AnalyticObjective>(AnalyticKind::Quadratic, std::map<std::string, double>{{"a", a}, {"b", b}});
}

static RunSettings sgd(double lr, Vec2 start)
{
    RunSettings s;
    s.optimizer.lr = lr;
    s.start = start;
    return s;
}

void TestRun::plainGradientDescentOnQuadraticIsGeometric()
{
    // theta_k = theta_0 * (1 - lr * a)^k per coordinate, for f = 0.5 (a x^2 + b y^2).
    StopRules stop;
    stop.maxSteps = 60;
    Run run(quadratic(1, 10), sgd(0.05, Vec2(2, -1.5)), stop);
    while (run.isRunning()) {
        const StepRecord &r = run.step();
        const double k = double(r.step);
        QVERIFY(test::closeRelative(r.theta[0], 2 * std::pow(1 - 0.05, k), 1e-12));
        QVERIFY(test::closeRelative(r.theta[1], -1.5 * std::pow(1 - 0.5, k), 1e-12, 1e-300));
        QVERIFY(test::closeRelative(r.loss, 0.5 * (r.theta[0] * r.theta[0] + 10 * r.theta[1] * r.theta[1]), 1e-15));
    }
    QCOMPARE(run.status(), RunStatus::MaxSteps);
    QCOMPARE(run.current().step, 60L);
    QCOMPARE(run.current().epoch, 0.0);
}

void TestRun::batchGradientDescentReachesNormalEquations()
{
    DataGeneratorSettings g;
    g.n = 200;
    g.seed = 7;
    auto data = std::make_shared<const DataSet>(generateLinearData(g));
    // Normal equations for y ~ w x + b: [Sxx Sx; Sx n] [w; b] = [Sxy; Sy], solved by Cramer's rule.
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < data->size(); ++i) {
        sx += data->x[i];
        sy += data->y[i];
        sxx += data->x[i] * data->x[i];
        sxy += data->x[i] * data->y[i];
    }
    const double n = double(data->size()), det = sxx * n - sx * sx;
    const Vec2 optimum((sxy * n - sx * sy) / det, (sxx * sy - sx * sxy) / det);

    StopRules stop;
    stop.maxSteps = 100000;
    stop.gradTol = 1e-12;
    RunSettings s = sgd(0.1, Vec2(-3, 4));
    s.batchSize = fullBatch;
    Run run(std::make_shared<LinearRegressionObjective>(data), s, stop);
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::Converged);
    QVERIFY(test::closeRelative(run.current().theta[0], optimum[0], 1e-10));
    QVERIFY(test::closeRelative(run.current().theta[1], optimum[1], 1e-10));
    QCOMPARE(run.current().epoch, double(run.current().step)); // full batch: one epoch per update
}

void TestRun::momentumBeatsPlainDescentOnIllConditionedBowl()
{
    StopRules stop;
    stop.maxSteps = 100000;
    stop.gradTol = 1e-6;
    Run plain(quadratic(1, 50), sgd(0.019, Vec2(3, 1)), stop);
    RunSettings heavyBall = sgd(0.019, Vec2(3, 1));
    heavyBall.optimizer.momentum = 0.8;
    Run momentum(quadratic(1, 50), heavyBall, stop);
    while (plain.isRunning())
        plain.step();
    while (momentum.isRunning())
        momentum.step();
    QCOMPARE(plain.status(), RunStatus::Converged);
    QCOMPARE(momentum.status(), RunStatus::Converged);
    QVERIFY2(momentum.current().step * 3 < plain.current().step,
             qPrintable(QStringLiteral("momentum %1 steps, plain %2").arg(momentum.current().step).arg(plain.current().step)));
}

void TestRun::epochsCountSamplesSeen_data()
{
    QTest::addColumn<int>("batchSize");
    QTest::addColumn<double>("maxEpochs");
    QTest::addColumn<int>("updates");
    // n = 10: ceil(10 / k) updates per epoch.
    QTest::newRow("full, 3 epochs") << 0 << 3.0 << 3;
    QTest::newRow("stochastic, 2 epochs") << 1 << 2.0 << 20;
    QTest::newRow("k=3, 2 epochs") << 3 << 2.0 << 8;
    QTest::newRow("k=4, half an epoch") << 4 << 0.5 << 2;
}

void TestRun::epochsCountSamplesSeen()
{
    QFETCH(int, batchSize);
    QFETCH(double, maxEpochs);
    QFETCH(int, updates);
    DataGeneratorSettings g;
    g.n = 10;
    auto objective = std::make_shared<LinearRegressionObjective>(std::make_shared<const DataSet>(generateLinearData(g)));
    StopRules stop;
    stop.maxSteps = 0;
    stop.maxEpochs = maxEpochs;
    RunSettings s = sgd(0.01, Vec2(0, 0));
    s.batchSize = batchSize;
    Run run(objective, s, stop);
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::MaxEpochs);
    QCOMPARE(int(run.current().step), updates);
    QVERIFY(run.current().epoch >= maxEpochs);
}

void TestRun::hugeLearningRateDiverges_data()
{
    QTest::addColumn<QString>("name");
    for (const auto &info : analyticFunctions())
        QTest::newRow(info.name.c_str()) << QString::fromStdString(info.name);
}

void TestRun::hugeLearningRateDiverges()
{
    QFETCH(QString, name);
    auto objective = std::make_shared<AnalyticObjective>(findAnalyticFunction(name.toStdString())->kind,
                                                         std::map<std::string, double>{});
    StopRules stop;
    stop.maxSteps = 1000;
    Run run(objective, sgd(1e6, Vec2(0.7, 0.3)), stop);
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::Diverged);
    QVERIFY2(run.current().step <= 10, qPrintable(QString::number(run.current().step)));
    QVERIFY(!run.statusReason().empty());
}

void TestRun::lossToleranceConverges()
{
    StopRules stop;
    stop.maxSteps = 10000;
    stop.lossTol = 1e-3;
    Run run(quadratic(1, 1), sgd(0.1, Vec2(1, 1)), stop);
    double previous = run.current().loss;
    while (run.isRunning()) {
        previous = run.current().loss;
        run.step();
    }
    // Each update multiplies the loss by (1 - 0.1)^2 = 0.81: the relative change is 0.19 > 1e-3, until
    // the loss underflows... so it must not converge by loss_tol before reaching a tiny loss.
    QCOMPARE(run.status(), RunStatus::Converged);
    QVERIFY(std::abs(run.current().loss - previous) <= 1e-3 * std::abs(previous));
}

void TestRun::startAtMinimumConvergesAtOnce()
{
    StopRules stop;
    stop.gradTol = 1e-9;
    Run run(quadratic(1, 10), sgd(0.1, Vec2(0, 0)), stop);
    QCOMPARE(run.status(), RunStatus::Converged);
    QCOMPARE(run.current().step, 0L);
}

void TestRun::stopEndsARunningRun()
{
    Run run(quadratic(1, 10), sgd(0.01, Vec2(1, 1)), StopRules{});
    run.step();
    run.stop();
    QCOMPARE(run.status(), RunStatus::Stopped);
    const StepRecord before = run.current();
    run.step(); // no effect once ended
    QCOMPARE(run.current().step, before.step);
}

void TestRun::recordsTheLearningRateEachUpdateUsed()
{
    RunSettings s = sgd(0.1, Vec2(1, 1));
    s.schedule.kind = LearningRateSchedule::Kind::InverseTime;
    s.schedule.decay = 1.0;
    StopRules stop;
    stop.maxSteps = 5;
    Run run(quadratic(1, 1), s, stop);
    QCOMPARE(run.current().lr, 0.1); // what update 0 will use
    double x = 1;
    for (int k = 0; k < 5; ++k) {
        const double lr = 0.1 / (1 + double(k)); // inverse_time at update t = k
        x -= lr * x;
        const StepRecord &r = run.step();
        QCOMPARE(r.lr, lr);
        QVERIFY(test::closeRelative(r.theta[0], x, 1e-15));
    }
}

void TestRun::hugeValuesEndAsDiverged_data()
{
    // Values a file may hold (finite doubles) that overflow later: each ends the run as diverged, with
    // its reason, at the first record where it shows. f = 0.5 (x^2 + 10 y^2).
    QTest::addColumn<double>("lr");
    QTest::addColumn<Vec2>("start");
    QTest::addColumn<double>("bound");
    QTest::addColumn<long>("step");
    QTest::addColumn<QString>("reason");
    // The stable limit of plain GD on this bowl is 2 / 10 = 0.2 everywhere (StableLearningRate.h).
    // lr 1e308 times the gradient (0.7, 3) overflows theta to -inf on the first update.
    QTest::newRow("lr 1e308") << 1e308 << Vec2(0.7, 0.3) << 1e6 << 1L
                              << "at update 1: a parameter overflowed to infinity: lr 1e+308 is above the stable limit 0.2 here";
    // A start beyond the bound has diverged before any update.
    QTest::newRow("start 1e308") << 0.1 << Vec2(1e308, 0) << 1e6 << 0L << "at the start: the start point is beyond the divergence bound 1e+06";
    // Within a raised bound, 0.5 * (1e200)^2 overflows: the loss at the start is inf.
    QTest::newRow("start 1e200, bound 1e300") << 0.1 << Vec2(1e200, 0) << 1e300 << 0L << "at the start: the loss overflowed to infinity";
    // lr 1e6 on y: y grows 1e7-fold per update (|1 - lr * 10|), the loss 1e14-fold: inf after 22 updates
    // of y = 0.3 * (1 - 1e7)^k, when 5 y^2 passes 1.8e308 (k = 22: y ~ 3e153, y^2 ~ 1e307; k = 23: inf).
    QTest::newRow("lr 1e6, bound 1e300") << 1e6 << Vec2(0.7, 0.3) << 1e300 << 23L
                                         << "at update 23: the loss overflowed to infinity after every step overshot further "
                                            "(loss x10^14 per step): lr 1e+06 is above the stable limit 0.2 here";
}

void TestRun::hugeValuesEndAsDiverged()
{
    QFETCH(double, lr);
    QFETCH(Vec2, start);
    QFETCH(double, bound);
    QFETCH(long, step);
    QFETCH(QString, reason);
    StopRules stop;
    stop.divergenceBound = bound;
    Run run(quadratic(1, 10), sgd(lr, start), stop);
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::Diverged);
    QCOMPARE(run.current().step, step);
    QCOMPARE(QString::fromStdString(run.statusReason()), reason);
}

void TestRun::settingsNameTheBadField_data()
{
    QTest::addColumn<RunSettings>("settings");
    QTest::addColumn<QString>("message");
    const RunSettings good = sgd(0.1, Vec2(1, 2));
    auto with = [&](auto change) {
        RunSettings s = good;
        change(s);
        return s;
    };
    QTest::newRow("good") << good << QString();
    QTest::newRow("empty name") << with([](RunSettings &s) { s.name.clear(); }) << "name: must not be empty";
    QTest::newRow("start not finite") << with([](RunSettings &s) { s.start[1] = INFINITY; }) << "start: must hold finite numbers";
    QTest::newRow("batch size negative") << with([](RunSettings &s) { s.batchSize = -3; })
                                         << "batch_size: must be \"full\" or a whole number >= 1, got -3";
    QTest::newRow("lr zero") << with([](RunSettings &s) { s.optimizer.lr = 0; }) << "lr: must be > 0, got 0";
    QTest::newRow("lr NaN") << with([](RunSettings &s) { s.optimizer.lr = NAN; }) << "lr: must be > 0, got nan";
    QTest::newRow("momentum too big") << with([](RunSettings &s) { s.optimizer.dampening = 1.5; })
                                      << "dampening: must be in [0, 1], got 1.5";
    QTest::newRow("schedule gamma") << with([](RunSettings &s) {
        s.schedule.kind = LearningRateSchedule::Kind::Exponential;
        s.schedule.gamma = 2;
    }) << "schedule.gamma: must be in (0, 1], got 2";
}

void TestRun::settingsNameTheBadField()
{
    QFETCH(RunSettings, settings);
    QFETCH(QString, message);
    QCOMPARE(QString::fromStdString(settings.validate()), message);
}

void TestRun::divergesJustBeyondTheRule_data()
{
    // The rules of StopRules.h at their edges: a point exactly at the limit is still running, the next
    // double beyond it has diverged, with the rule's reason; points that are not finite diverge as such.
    // f = 0.5 (x^2 + 10 y^2) stays finite everywhere here. The view is Rosenbrock's (-2..2, -1..3): centre
    // (0, 1), 100 view widths = 400 both ways; a bound, when given, replaces the view rule.
    // The reason names the rule: at the start when the run is made there, "at update 1" when the same rules are
    // set live (below), with lr 1e-300 against the bowl's stable limit 2 / 10 = 0.2.
    QTest::addColumn<Vec2>("start");
    QTest::addColumn<double>("bound"); // 0: none, the view rule
    QTest::addColumn<QString>("reason"); // empty: still running
    QTest::addColumn<QString>("liveReason");
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    const QString left = "at the start: the start point is more than 100 view widths from the view's centre";
    const QString liveLeft = "at update 1: the point is more than 100 view widths from the view's centre: lr 1e-300 is below the stable limit 0.2 here";
    const QString beyond = "at the start: the start point is beyond the divergence bound 1e+06";
    const QString liveBeyond = "at update 1: a parameter's magnitude is beyond the divergence bound 1e+06: lr 1e-300 is below the stable limit 0.2 here";
    const QString notFinite = "at the start: the start point is not finite", none;
    QTest::newRow("x at +400") << Vec2(400, 1) << 0.0 << none << none;
    QTest::newRow("x just beyond +400") << Vec2(std::nextafter(400.0, inf), 1) << 0.0 << left << liveLeft;
    QTest::newRow("x at -400") << Vec2(-400, 1) << 0.0 << none << none;
    QTest::newRow("x just beyond -400") << Vec2(std::nextafter(-400.0, -inf), 1) << 0.0 << left << liveLeft;
    QTest::newRow("y at 1 + 400") << Vec2(0, 401) << 0.0 << none << none;
    QTest::newRow("y just beyond 1 + 400") << Vec2(0, std::nextafter(401.0, inf)) << 0.0 << left << liveLeft;
    QTest::newRow("y at 1 - 400") << Vec2(0, -399) << 0.0 << none << none;
    QTest::newRow("y just beyond 1 - 400") << Vec2(0, std::nextafter(-399.0, -inf)) << 0.0 << left << liveLeft;
    QTest::newRow("x NaN") << Vec2(nan, 1) << 0.0 << notFinite << none;
    QTest::newRow("y -inf") << Vec2(0, -inf) << 0.0 << notFinite << none;
    QTest::newRow("bound: x at 1e6") << Vec2(1e6, 0) << 1e6 << none << none;
    QTest::newRow("bound: x just beyond 1e6") << Vec2(std::nextafter(1e6, inf), 0) << 1e6 << beyond << liveBeyond;
    QTest::newRow("bound: y at -1e6") << Vec2(0, -1e6) << 1e6 << none << none;
    QTest::newRow("bound: y just beyond -1e6") << Vec2(0, std::nextafter(-1e6, -inf)) << 1e6 << beyond << liveBeyond;
    QTest::newRow("bound: far outside the view") << Vec2(5000, -5000) << 1e6 << none << none;
    QTest::newRow("bound inf: y inf") << Vec2(0, inf) << inf << notFinite << none;
    QTest::newRow("bound inf: far") << Vec2(1e100, 1e100) << inf << none << none;
}

void TestRun::divergesJustBeyondTheRule()
{
    QFETCH(Vec2, start);
    QFETCH(double, bound);
    QFETCH(QString, reason);
    QFETCH(QString, liveReason);
    StopRules stop;
    stop.maxSteps = 1;
    if (bound > 0)
        stop.divergenceBound = bound;
    const ViewWindow rosenbrockView{-2, 2, -1, 3};
    const Run run(quadratic(1, 10), sgd(1e-300, start), stop, rosenbrockView); // the start is checked as it is made
    QCOMPARE(run.status(), reason.isEmpty() ? RunStatus::Running : RunStatus::Diverged);
    QCOMPARE(QString::fromStdString(run.statusReason()), reason);
    // The same rules set live (setStopRules) on a run that was under none, checked after an update so small
    // (lr 1e-300) that theta stays where it started.
    if (!start.allFinite())
        return;
    StopRules none;
    none.maxSteps = 0;
    none.divergenceBound = std::numeric_limits<double>::infinity();
    Run live(quadratic(1, 10), sgd(1e-300, start), none, rosenbrockView);
    QVERIFY(live.isRunning());
    stop.maxSteps = 0;
    live.setStopRules(stop);
    QCOMPARE(live.step().theta, start);
    QCOMPARE(live.status(), reason.isEmpty() ? RunStatus::Running : RunStatus::Diverged);
    QCOMPARE(QString::fromStdString(live.statusReason()), liveReason);
}

void TestRun::advanceMakesTheUpdatesOfStep_data()
{
    // objective: a named function's name, or "linear" (100 samples, mini-batches of 7). rule: "sgd", "momentum"
    // (0.9), "nesterov" (0.9, weight decay 0.01), "damped" (momentum 0.5, dampening 0.3, a step schedule),
    // "decay" (SGD with weight decay 0.01 alone), "momentum, exponential" (0.9, gamma 0.99), "amsgrad" (Adam with
    // it), or another optimizer's name with torch's defaults. A named function is stepped by a loop of its own for
    // each form of the rule (RunAnalytic.cpp: SGD plain, heavy ball or any, in registers; Adam/AdamW inline; the
    // others through apply()), linear regression by update().
    // change: what happens live after changeAt updates, in mid-block when changeAt is not a multiple of the block:
    // "lr" (halved), "momentum" (0.9 switched on: plain SGD becomes heavy ball), "schedule" (a step schedule set),
    // "max_steps" (lowered to 20, below the step already made: the next update ends the run). stop: "" (300
    // updates), "grad_tol", "loss_tol" (small enough to end the run before).
    QTest::addColumn<QString>("objective");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<double>("lr");
    QTest::addColumn<int>("blockSize");
    QTest::addColumn<int>("changeAt");
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("stopRule");
    QTest::addColumn<QString>("ends"); // the status both end with
    const QString lr = QStringLiteral("lr"), none;
    QTest::newRow("rosenbrock adam, blocks of 1") << "rosenbrock" << "adam" << 0.05 << 1 << 100 << lr << none << "max_steps";
    QTest::newRow("rosenbrock adam, blocks of 16") << "rosenbrock" << "adam" << 0.05 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("rosenbrock adam, change in mid-block") << "rosenbrock" << "adam" << 0.05 << 16 << 37 << lr << none << "max_steps";
    QTest::newRow("rosenbrock sgd, blocks of 16") << "rosenbrock" << "sgd" << 5e-4 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("rosenbrock sgd, blocks of 7") << "rosenbrock" << "sgd" << 5e-4 << 7 << 100 << lr << none << "max_steps";
    QTest::newRow("rosenbrock sgd, change in mid-block") << "rosenbrock" << "sgd" << 5e-4 << 16 << 37 << lr << none << "max_steps";
    QTest::newRow("rosenbrock sgd, momentum switched on") << "rosenbrock" << "sgd" << 5e-4 << 16 << 37 << "momentum" << none << "max_steps";
    QTest::newRow("rosenbrock sgd, max_steps lowered") << "rosenbrock" << "sgd" << 5e-4 << 16 << 37 << "max_steps" << none << "max_steps";
    QTest::newRow("rosenbrock momentum") << "rosenbrock" << "momentum" << 1e-4 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("rosenbrock momentum, schedule set") << "rosenbrock" << "momentum" << 1e-4 << 16 << 37 << "schedule" << none << "max_steps";
    QTest::newRow("rosenbrock decay") << "rosenbrock" << "decay" << 5e-4 << 16 << 37 << lr << none << "max_steps";
    QTest::newRow("quadratic momentum, exponential") << "quadratic" << "momentum, exponential" << 0.01 << 16 << 37 << lr << none << "max_steps";
    QTest::newRow("quadratic sgd, grad_tol") << "quadratic" << "sgd" << 0.05 << 16 << 37 << lr << "grad_tol" << "converged";
    QTest::newRow("matyas momentum, loss_tol") << "matyas" << "momentum" << 0.05 << 16 << 37 << lr << "loss_tol" << "converged";
    QTest::newRow("quadratic adam, grad_tol") << "quadratic" << "adam" << 0.05 << 16 << 37 << lr << "grad_tol" << "converged";
    QTest::newRow("beale nesterov") << "beale" << "nesterov" << 1e-5 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("rastrigin damped") << "rastrigin" << "damped" << 1e-3 << 5 << 100 << lr << none << "max_steps";
    QTest::newRow("ackley sgd") << "ackley" << "sgd" << 0.01 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("goldstein_price momentum") << "goldstein_price" << "momentum" << 1e-8 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("six_hump_camel nesterov") << "six_hump_camel" << "nesterov" << 0.01 << 3 << 100 << lr << none << "max_steps";
    QTest::newRow("saddle sgd (leaves the view)") << "saddle" << "sgd" << 0.1 << 16 << 100 << lr << none << "diverged";
    QTest::newRow("himmelblau sgd, lr 1 (diverges)") << "himmelblau" << "sgd" << 1.0 << 16 << 100 << lr << none << "diverged";
    QTest::newRow("rosenbrock adamw") << "rosenbrock" << "adamw" << 0.05 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("beale adam amsgrad") << "beale" << "amsgrad" << 0.01 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("booth adagrad") << "booth" << "adagrad" << 0.5 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("matyas rmsprop") << "matyas" << "rmsprop" << 0.01 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("himmelblau adadelta") << "himmelblau" << "adadelta" << 1.0 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("three_hump_camel adamax") << "three_hump_camel" << "adamax" << 0.01 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("styblinski_tang nadam") << "styblinski_tang" << "nadam" << 0.01 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("linear adam") << "linear" << "adam" << 0.05 << 16 << 100 << lr << none << "max_steps";
    QTest::newRow("linear sgd, blocks of 5") << "linear" << "sgd" << 0.02 << 5 << 100 << lr << none << "max_steps";
    QTest::newRow("linear sgd, blocks of 64") << "linear" << "sgd" << 0.02 << 64 << 100 << lr << none << "max_steps";
}

void TestRun::advanceMakesTheUpdatesOfStep()
{
    // Run::advance() (what Race steps runs with) against the same run stepped by step() one update at a
    // time: the same records bit for bit, including the one that ends the run and the first after a live
    // change; and an epoch limit stops the run where step() reaches it.
    QFETCH(QString, objective);
    QFETCH(QString, rule);
    QFETCH(double, lr);
    QFETCH(int, blockSize);
    QFETCH(int, changeAt);
    QFETCH(QString, change);
    QFETCH(QString, stopRule);
    QFETCH(QString, ends);
    std::shared_ptr<const Objective> f;
    RunSettings s;
    StopRules stop;
    stop.maxSteps = 300;
    if (stopRule == "grad_tol")
        stop.gradTol = 1e-3;
    if (stopRule == "loss_tol")
        stop.lossTol = 1e-3;
    if (objective == "linear") {
        DataGeneratorSettings g;
        g.n = 100;
        f = std::make_shared<LinearRegressionObjective>(std::make_shared<const DataSet>(generateLinearData(g)));
        s.batchSize = 7;
        s.seed = 3;
    } else {
        f = std::make_shared<AnalyticObjective>(findAnalyticFunction(objective.toStdString())->kind, std::map<std::string, double>{});
        s.start = f->defaultView().xMin * Vec2(0.37, -0.61);
    }
    const bool sgdVariant = rule == "sgd" || rule.startsWith("momentum") || rule == "nesterov" || rule == "damped" || rule == "decay";
    const OptimizerInfo *info = findOptimizer(rule == "amsgrad" ? "adam" : rule.toStdString());
    QVERIFY(sgdVariant || info);
    s.optimizer = OptimizerSettings::defaultsFor(sgdVariant ? OptimizerKind::Sgd : info->kind);
    s.optimizer.amsgrad = rule == "amsgrad";
    s.optimizer.lr = lr;
    if (rule.startsWith("momentum") || rule == "nesterov")
        s.optimizer.momentum = 0.9;
    if (rule == "nesterov")
        s.optimizer.nesterov = true;
    if (rule == "nesterov" || rule == "decay")
        s.optimizer.weightDecay = 0.01;
    if (rule == "damped") {
        s.optimizer.momentum = 0.5;
        s.optimizer.dampening = 0.3;
        s.schedule.kind = LearningRateSchedule::Kind::Step;
        s.schedule.stepSize = 40;
    }
    if (rule == "momentum, exponential") {
        s.schedule.kind = LearningRateSchedule::Kind::Exponential;
        s.schedule.gamma = 0.99;
    }
    auto changeLive = [&](Run &run) {
        OptimizerSettings changed = run.settings().optimizer;
        if (change == "lr") {
            changed.lr = lr / 2;
            run.setOptimizer(changed);
        } else if (change == "momentum") {
            changed.momentum = 0.9;
            run.setOptimizer(changed);
        } else if (change == "schedule") {
            LearningRateSchedule schedule;
            schedule.kind = LearningRateSchedule::Kind::Step;
            schedule.stepSize = 10;
            run.setSchedule(schedule);
        } else if (change == "max_steps") {
            StopRules lowered = stop;
            lowered.maxSteps = 20;
            run.setStopRules(lowered);
        }
    };
    auto same = [](const StepRecord &a, const StepRecord &b) {
        return a.step == b.step && a.epoch == b.epoch && a.theta == b.theta && a.loss == b.loss && a.grad == b.grad
            && a.batchLoss == b.batchLoss && a.lr == b.lr && a.settingsChanged == b.settingsChanged;
    };
    Run stepped(f, s, stop), advanced(f, s, stop);
    std::vector<StepRecord> expected, got;
    while (stepped.isRunning()) {
        if (stepped.current().step == changeAt)
            changeLive(stepped);
        expected.push_back(stepped.step());
    }
    std::vector<StepRecord> block(static_cast<std::size_t>(blockSize));
    while (advanced.isRunning()) {
        const long before = advanced.current().step;
        if (before == changeAt)
            changeLive(advanced);
        const std::size_t wanted = std::size_t(std::min<long>(blockSize, before < changeAt ? changeAt - before : blockSize));
        const std::size_t made = advanced.advance(std::span(block).first(wanted));
        QVERIFY(made >= 1 && made <= wanted);
        got.insert(got.end(), block.begin(), block.begin() + std::ptrdiff_t(made));
    }
    QCOMPARE(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i)
        QVERIFY2(same(got[i], expected[i]), qPrintable(QStringLiteral("record %1").arg(i)));
    QCOMPARE(advanced.status(), stepped.status());
    QCOMPARE(advanced.statusReason(), stepped.statusReason());
    QVERIFY(same(advanced.current(), stepped.current()));
    QCOMPARE(QString(statusName(advanced.status())), ends);
    QCOMPARE(advanced.advance(block), std::size_t(0)); // an ended run makes no more updates

    if (objective == "linear") { // 100 samples in batches of 7: 15 updates an epoch, the last of 2 samples
        Run toEpoch(f, s, stop);
        QCOMPARE(toEpoch.advance(block, 1.0 - 1e-12), std::min(block.size(), std::size_t(15)));
        if (block.size() >= 15) {
            QCOMPARE(toEpoch.current().epoch, 1.0);
            QCOMPARE(toEpoch.advance(block, 1.0 - 1e-12), std::size_t(0)); // already there
        }
    }
}

// Four samples written out, so that the gradient can be computed here by hand: MSE = mean (w x + b - y)^2 has
// the gradient (2/n sum r x, 2/n sum r) with r = w x + b - y (README: "mean of (w x + b - y)^2, no 1/2").
static const DataSet fourPoints{{-1, 0, 1, 2}, {0.5, -1, 2, 3}};

static Vec2 mseGradient(const DataSet &d, const Vec2 &theta)
{
    Vec2 g = Vec2::Zero();
    for (std::size_t i = 0; i < d.size(); ++i) {
        const double r = theta[0] * d.x[i] + theta[1] - d.y[i];
        g += Vec2(2 * r * d.x[i], 2 * r) / double(d.size());
    }
    return g;
}

void TestRun::resumedAtMaxEpochsGoesOnFromItsLastPoint()
{
    // Batch GD ends at max_epochs 3; a new lr and resume(): the next update is plain gradient descent from the
    // last point with the new rate, the step and epoch counts go on, and it has room for 3 more epochs.
    auto objective = std::make_shared<LinearRegressionObjective>(std::make_shared<const DataSet>(fourPoints));
    StopRules stop;
    stop.maxSteps = 0;
    stop.maxEpochs = 3;
    RunSettings s = sgd(0.05, Vec2(-3, 4));
    Run run(objective, s, stop);
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::MaxEpochs);
    QCOMPARE(run.current().step, 3L);
    const StepRecord last = run.current();

    OptimizerSettings faster = s.optimizer;
    faster.lr = 0.2;
    run.setOptimizer(faster);
    QCOMPARE(run.status(), RunStatus::MaxEpochs); // a change alone does not step or revive
    QVERIFY(run.resume());
    QCOMPARE(run.status(), RunStatus::Running);
    QVERIFY(run.statusReason().empty());
    const StepRecord &next = run.step();
    const Vec2 expected = last.theta - 0.2 * mseGradient(fourPoints, last.theta);
    QVERIFY2(test::closeRelative(next.theta[0], expected[0], 1e-13, 1e-14) && test::closeRelative(next.theta[1], expected[1], 1e-13, 1e-14),
             qPrintable(QStringLiteral("(%1, %2) vs (%3, %4)").arg(next.theta[0]).arg(next.theta[1]).arg(expected[0]).arg(expected[1])));
    QCOMPARE(next.step, 4L);
    QCOMPARE(next.epoch, 4.0);
    QCOMPARE(next.lr, 0.2);
    QVERIFY(next.settingsChanged); // the loss plot's mark
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::MaxEpochs);
    QCOMPARE(run.current().step, 6L); // 3 more epochs of one full batch each
    QCOMPARE(run.current().epoch, 6.0);
}

void TestRun::resumedAtMaxStepsGetsAsManyStepsAgain()
{
    // Plain GD on 0.5 (x^2 + 10 y^2) multiplies x by (1 - lr) and y by (1 - 10 lr) per update.
    StopRules stop;
    stop.maxSteps = 10;
    Run run(quadratic(1, 10), sgd(0.01, Vec2(1, 1)), stop);
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::MaxSteps);
    QCOMPARE(run.current().step, 10L);
    const Vec2 at10 = run.current().theta;
    QVERIFY(test::closeRelative(at10[0], std::pow(0.99, 10), 1e-14));
    OptimizerSettings changed = run.settings().optimizer;
    changed.lr = 0.05;
    run.setOptimizer(changed);
    QVERIFY(run.resume());
    long updates = 0;
    while (run.isRunning()) {
        run.step();
        ++updates;
    }
    QCOMPARE(updates, 10L); // another max_steps
    QCOMPARE(run.status(), RunStatus::MaxSteps);
    QCOMPARE(run.current().step, 20L);
    QVERIFY(test::closeRelative(run.current().theta[0], at10[0] * std::pow(0.95, 10), 1e-13));
    QVERIFY(test::closeRelative(run.current().theta[1], at10[1] * std::pow(0.5, 10), 1e-13));
}

void TestRun::resumedConvergedRunMayConvergeAtOnce()
{
    // 0.5 (x^2 + y^2) from (1, 1) at lr 0.1: |grad| = sqrt(2) 0.9^k <= 0.1 first at k = 26. At lr 0.2 the gradient
    // only gets smaller: resumed, the run makes one update (x 0.8) and converges again, honestly.
    StopRules stop;
    stop.gradTol = 0.1;
    Run run(quadratic(1, 1), sgd(0.1, Vec2(1, 1)), stop);
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::Converged);
    QCOMPARE(run.current().step, 26L);
    const Vec2 at26 = run.current().theta;
    OptimizerSettings changed = run.settings().optimizer;
    changed.lr = 0.2;
    run.setOptimizer(changed);
    QVERIFY(run.resume());
    run.step();
    QCOMPARE(run.current().step, 27L);
    QVERIFY(test::closeRelative(run.current().theta[0], 0.8 * at26[0], 1e-14));
    QCOMPARE(run.status(), RunStatus::Converged);
}

void TestRun::resumeLeavesDivergedAndRunningRunsAlone()
{
    Run running(quadratic(1, 10), sgd(0.01, Vec2(1, 1)), StopRules{});
    running.step();
    QVERIFY(!running.resume());
    QCOMPARE(running.status(), RunStatus::Running);

    Run wild(quadratic(1, 10), sgd(5, Vec2(1, 1)), StopRules{}); // y is multiplied by -49 per update
    while (wild.isRunning())
        wild.step();
    QCOMPARE(wild.status(), RunStatus::Diverged);
    const StepRecord last = wild.current();
    QVERIFY(!wild.resume());
    QCOMPARE(wild.status(), RunStatus::Diverged);
    QCOMPARE(wild.step().step, last.step);
}

void TestRun::stoppedRunResumes()
{
    Run run(quadratic(1, 10), sgd(0.01, Vec2(1, 1)), StopRules{});
    run.step();
    run.stop();
    QVERIFY(run.resume());
    QCOMPARE(run.step().step, 2L);
    QCOMPARE(run.status(), RunStatus::Running);
}

void TestRun::looserStopRulesRevive_data()
{
    // A run on 0.5 (x^2 + y^2) from (1, 1) at lr 0.1 (|grad| = sqrt(2) 0.9^k; the loss falls by 19% an update), or
    // on 10 generated samples in batches of 3 (4 updates an epoch), ends by the rules before; the rules after are
    // set; whether it runs again; then where it ends (-1: no limit left, it is stepped 200 times and still runs).
    QTest::addColumn<QString>("objective");
    QTest::addColumn<QList<double>>("before"); // max_steps, max_epochs, grad_tol, loss_tol
    QTest::addColumn<QList<double>>("after");
    QTest::addColumn<bool>("revived");
    QTest::addColumn<long>("endsAt");
    const QString q = QStringLiteral("quadratic"), linear = QStringLiteral("linear");
    QTest::newRow("max_steps raised") << q << QList<double>{10, 0, 0, 0} << QList<double>{20, 0, 0, 0} << true << 20L;
    QTest::newRow("max_steps switched off") << q << QList<double>{10, 0, 0, 0} << QList<double>{0, 0, 0, 0} << true << -1L;
    QTest::newRow("max_steps lowered") << q << QList<double>{10, 0, 0, 0} << QList<double>{5, 0, 0, 0} << false << 10L;
    QTest::newRow("max_steps equal") << q << QList<double>{10, 0, 0, 0} << QList<double>{10, 0, 0, 0} << false << 10L;
    QTest::newRow("grad_tol set after max_steps") << q << QList<double>{10, 0, 0, 0} << QList<double>{10, 0, 1e-3, 0} << false << 10L;
    // sqrt(2) 0.9^k <= 0.1 first at k = 26, <= 0.02 at k = 41.
    QTest::newRow("grad_tol lowered") << q << QList<double>{1000, 0, 0.1, 0} << QList<double>{1000, 0, 0.02, 0} << true << 41L;
    QTest::newRow("grad_tol switched off") << q << QList<double>{100, 0, 0.1, 0} << QList<double>{100, 0, 0, 0} << true << 100L;
    QTest::newRow("grad_tol raised") << q << QList<double>{1000, 0, 0.1, 0} << QList<double>{1000, 0, 0.5, 0} << false << 26L;
    // The loss changes by 19% at every update: loss_tol 0.2 holds at once, 0.1 never.
    QTest::newRow("loss_tol lowered") << q << QList<double>{30, 0, 0, 0.2} << QList<double>{30, 0, 0, 0.1} << true << 30L;
    QTest::newRow("max_epochs raised") << linear << QList<double>{0, 1, 0, 0} << QList<double>{0, 2, 0, 0} << true << 8L;
    QTest::newRow("max_epochs lowered") << linear << QList<double>{0, 2, 0, 0} << QList<double>{0, 1, 0, 0} << false << 8L;
    QTest::newRow("max_epochs switched off, max_steps left") << linear << QList<double>{12, 1, 0, 0} << QList<double>{12, 0, 0, 0} << true << 12L;
}

void TestRun::looserStopRulesRevive()
{
    QFETCH(QString, objective);
    QFETCH(QList<double>, before);
    QFETCH(QList<double>, after);
    QFETCH(bool, revived);
    QFETCH(long, endsAt);
    auto rules = [](const QList<double> &v) {
        StopRules r;
        r.maxSteps = long(v[0]);
        r.maxEpochs = v[1];
        r.gradTol = v[2];
        r.lossTol = v[3];
        return r;
    };
    std::shared_ptr<const Objective> f = quadratic(1, 1);
    RunSettings s = sgd(0.1, Vec2(1, 1));
    if (objective == "linear") {
        DataGeneratorSettings g;
        g.n = 10;
        f = std::make_shared<LinearRegressionObjective>(std::make_shared<const DataSet>(generateLinearData(g)));
        s = sgd(0.01, Vec2(0, 0));
        s.batchSize = 3;
    }
    Run run(f, s, rules(before));
    while (run.isRunning())
        run.step();
    const RunStatus ended = run.status();
    const long endedAt = run.current().step;
    QCOMPARE(run.setStopRules(rules(after)), revived);
    QCOMPARE(run.status(), revived ? RunStatus::Running : ended);
    for (int i = 0; i < 200 && run.isRunning(); ++i)
        run.step();
    if (endsAt < 0) {
        QVERIFY(run.isRunning());
        QCOMPARE(run.current().step, endedAt + 200);
    } else {
        QVERIFY(!run.isRunning());
        QCOMPARE(run.current().step, endsAt);
    }
}

void TestRun::roomGivenByResumeOutlastsNewStopRules()
{
    // Resumed at max_steps 10, the run may go to 20; new stop rules (a tolerance that never holds here) keep that
    // room, counted from where it resumed: the scenario's max_steps stays 10 and still means "10 more".
    StopRules stop;
    stop.maxSteps = 10;
    Run run(quadratic(1, 10), sgd(0.01, Vec2(1, 1)), stop);
    while (run.isRunning())
        run.step();
    QVERIFY(run.resume());
    run.step();
    StopRules withTolerance = stop;
    withTolerance.gradTol = 1e-12;
    QVERIFY(!run.setStopRules(withTolerance));
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::MaxSteps);
    QCOMPARE(run.current().step, 20L);
    withTolerance.maxSteps = 15; // 15 more from update 10: room again
    QVERIFY(run.setStopRules(withTolerance));
    while (run.isRunning())
        run.step();
    QCOMPARE(run.current().step, 25L);
}

void TestRun::batchSizesPayForUpdates_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("batchSize"); // 0: full
    QTest::newRow("n 10, k 3 (last batch 1)") << 10 << 3;
    QTest::newRow("n 10, k 4 (last batch 2)") << 10 << 4;
    QTest::newRow("n 10, stochastic") << 10 << 1;
    QTest::newRow("n 10, full") << 10 << 0;
    QTest::newRow("n 10, k 10 (full)") << 10 << 10;
    QTest::newRow("n 10, k 25 (full)") << 10 << 25;
    QTest::newRow("n 7, k 6") << 7 << 6;
    QTest::newRow("n 200, k 32 (last batch 8)") << 200 << 32;
    QTest::newRow("analytic") << 0 << 0;
}

void TestRun::batchSizesPayForUpdates()
{
    // The samples clock's arithmetic against the batches written out from their definition (README, "Batches"):
    // an epoch is ceil(n / k) batches of k, the last one n - k (ceil(n / k) - 1); a full batch is n; an analytic
    // objective counts 1 per update. From each point of two epochs: the next batch's size, the samples seen so far,
    // and how many updates each budget of 0 to 3n + 2 samples pays for (in order, as many as fit).
    QFETCH(int, n);
    QFETCH(int, batchSize);
    std::shared_ptr<const Objective> f = quadratic(1, 1);
    RunSettings s = sgd(1e-4, Vec2(1, 1));
    s.batchSize = batchSize;
    std::vector<unsigned long long> sizes; // of the batches of the first updates, from the definition
    if (n > 0) {
        DataGeneratorSettings g;
        g.n = std::size_t(n);
        f = std::make_shared<LinearRegressionObjective>(std::make_shared<const DataSet>(generateLinearData(g)));
        const int k = batchSize == 0 || batchSize > n ? n : batchSize;
        const int perEpoch = (n + k - 1) / k;
        for (int update = 0; update < 8 * n; ++update)
            sizes.push_back(update % perEpoch == perEpoch - 1 ? (unsigned long long)(n - k * (perEpoch - 1)) : (unsigned long long)k);
    } else {
        sizes.assign(100, 1);
    }
    StopRules stop;
    stop.maxSteps = 0;
    Run run(f, s, stop);
    const int points = n > 0 ? 2 * n : 20;
    unsigned long long seen = 0;
    for (int made = 0; made <= points; ++made) {
        QCOMPARE(run.samplesSeen(), seen);
        QCOMPARE(run.nextBatchSize(), sizes[std::size_t(made)]);
        for (unsigned long long budget = 0; budget <= 3ULL * std::max(n, 1) + 2; ++budget) {
            unsigned long long paid = 0, left = budget;
            for (std::size_t u = std::size_t(made); sizes[u] <= left; ++u) {
                left -= sizes[u];
                ++paid;
            }
            QVERIFY2(run.updatesWithin(budget) == paid,
                     qPrintable(QStringLiteral("after %1 updates, %2 samples pay for %3 updates, not %4")
                                    .arg(made).arg(budget).arg(paid).arg(run.updatesWithin(budget))));
        }
        seen += sizes[std::size_t(made)];
        run.step();
        if (n > 0)
            QCOMPARE(run.current().epoch, double(seen) / n); // the epoch counts exactly these samples
    }
}


void TestRun::explainsTheNextUpdateExactly_data()
{
    QTest::addColumn<QString>("rule"); // "sgd", "momentum" (0.9), "adam", "adagrad" (an exponential schedule)
    QTest::addColumn<long>("batchSize"); // on the four samples; 0: the full batch
    for (const char *rule : {"sgd", "momentum", "adam", "adagrad"})
        for (long batch : {0L, 1L, 3L})
            QTest::newRow(qPrintable(QStringLiteral("%1, batch %2").arg(QLatin1String(rule)).arg(batch))) << QString::fromLatin1(rule) << batch;
}

// explainNextUpdate() against closed forms on four samples written out: the batch it names is the one whose mean
// gradient (computed here by hand) it reports; theta after follows the rule's formula from the state it reports
// (plain SGD: theta - lr g; momentum: b = 0.9 b + g, theta - lr b; Adam: m, v and the bias corrections);
// and it is the update step() then makes, bit for bit, with the run left untouched by explaining it.
void TestRun::explainsTheNextUpdateExactly()
{
    QFETCH(QString, rule);
    QFETCH(long, batchSize);
    auto objective = std::make_shared<LinearRegressionObjective>(std::make_shared<const DataSet>(fourPoints));
    RunSettings s = sgd(0.05, Vec2(1.5, -0.5));
    s.batchSize = batchSize;
    s.shuffle = true;
    s.seed = 11;
    if (rule == QLatin1String("momentum"))
        s.optimizer.momentum = 0.9;
    if (rule == QLatin1String("adam"))
        s.optimizer = OptimizerSettings::defaultsFor(OptimizerKind::Adam), s.optimizer.lr = 0.05;
    if (rule == QLatin1String("adagrad")) {
        s.optimizer = OptimizerSettings::defaultsFor(OptimizerKind::Adagrad);
        s.optimizer.lr = 0.5;
        s.schedule.kind = LearningRateSchedule::Kind::Exponential;
        s.schedule.gamma = 0.9;
    }
    StopRules stop;
    stop.maxSteps = 40;
    Run run(objective, s, stop);
    for (int k = 0; k < 12; ++k) {
        const StepRecord before = run.current();
        const UpdateExplanation e = run.explainNextUpdate();
        QVERIFY(e.valid);
        QVERIFY(!e.runEnded);
        QCOMPARE(e.step, before.step + 1);
        QCOMPARE(e.thetaBefore, before.theta);
        QCOMPARE(e.lossBefore, before.loss);
        QCOMPARE(e.stateBefore.step, before.step);
        QCOMPARE(run.current().theta, before.theta); // explaining changed nothing
        // The learning rate after the schedule: 0.5 * 0.9^t for the exponential one.
        QVERIFY(test::closeRelative(e.lr, rule == QLatin1String("adagrad") ? 0.5 * std::pow(0.9, double(before.step)) : 0.05, 1e-14));
        // The batch: all four samples, or batchSize distinct ones, whose mean gradient is the one used.
        QCOMPARE(e.sampleCount, std::size_t(4));
        // An epoch is ceil(4 / b) updates, the last one the samples left (batches of 3: 3, then 1).
        const long b = batchSize == 0 ? 4 : batchSize, perEpoch = (4 + b - 1) / b, j = before.step % perEpoch;
        QCOMPARE(e.batch.size(), std::size_t(std::min(b, 4 - j * b)));
        DataSet chosen;
        for (SampleIndex i : e.batch) {
            QVERIFY(i < 4);
            chosen.x.push_back(fourPoints.x[i]);
            chosen.y.push_back(fourPoints.y[i]);
        }
        const Vec2 g = mseGradient(chosen, before.theta);
        QVERIFY2(test::closeRelative(e.gradient[0], g[0], 1e-13, 1e-15) && test::closeRelative(e.gradient[1], g[1], 1e-13, 1e-15),
                 qPrintable(QStringLiteral("step %1").arg(e.step)));
        const Vec2 full = mseGradient(fourPoints, before.theta);
        QVERIFY(test::closeRelative(e.fullGradient[0], full[0], 1e-13, 1e-15) && test::closeRelative(e.fullGradient[1], full[1], 1e-13, 1e-15));
        // theta after, from the rule's formula and the state the explanation reports.
        Vec2 expected;
        if (rule == QLatin1String("sgd")) {
            expected = before.theta - e.lr * e.gradient;
        } else if (rule == QLatin1String("momentum")) {
            const Vec2 b = e.stateBefore.sgd.hasMomentumBuffer ? Vec2(0.9 * e.stateBefore.sgd.momentumBuffer + e.gradient) : e.gradient;
            QVERIFY(test::closeRelative(e.stateAfter.sgd.momentumBuffer[0], b[0], 1e-13, 1e-15));
            QVERIFY(test::closeRelative(e.stateAfter.sgd.momentumBuffer[1], b[1], 1e-13, 1e-15));
            expected = before.theta - e.lr * b;
        } else if (rule == QLatin1String("adam")) {
            const double t = double(e.step);
            const Vec2 m = 0.9 * e.stateBefore.adam.expAvg + 0.1 * e.gradient;
            const Vec2 v = 0.999 * e.stateBefore.adam.expAvgSq + 0.001 * Vec2(e.gradient.array().square());
            QVERIFY(test::closeRelative(e.stateAfter.adam.expAvg[0], m[0], 1e-13, 1e-15));
            QVERIFY(test::closeRelative(e.stateAfter.adam.expAvgSq[1], v[1], 1e-13, 1e-15));
            const Vec2 mHat = m / (1 - std::pow(0.9, t)), vHat = v / (1 - std::pow(0.999, t));
            expected = before.theta - Vec2(e.lr * mHat.array() / (vHat.array().sqrt() + 1e-8));
        } else {
            const Vec2 sum = e.stateBefore.adagrad.sum + Vec2(e.gradient.array().square());
            QVERIFY(test::closeRelative(e.stateAfter.adagrad.sum[0], sum[0], 1e-13, 1e-15));
            expected = before.theta - Vec2(e.lr * e.gradient.array() / (sum.array().sqrt() + 1e-10));
        }
        QVERIFY2(test::closeRelative(e.thetaAfter[0], expected[0], 1e-12, 1e-14) && test::closeRelative(e.thetaAfter[1], expected[1], 1e-12, 1e-14),
                 qPrintable(QStringLiteral("step %1").arg(e.step)));
        // The update the run then makes: the same, bit for bit, state included.
        const StepRecord &after = run.step();
        QCOMPARE(after.theta, e.thetaAfter);
        QCOMPARE(after.loss, e.lossAfter);
        QCOMPARE(after.batchLoss, e.batchLoss);
        QCOMPARE(run.optimizerState().step, e.stateAfter.step);
        QCOMPARE(run.optimizerState().sgd.momentumBuffer, e.stateAfter.sgd.momentumBuffer);
        QCOMPARE(run.optimizerState().adam.expAvg, e.stateAfter.adam.expAvg);
        QCOMPARE(run.optimizerState().adam.expAvgSq, e.stateAfter.adam.expAvgSq);
        QCOMPARE(run.optimizerState().adagrad.sum, e.stateAfter.adagrad.sum);
    }
}

void TestRun::explainsAnEndedOrDivergedRun()
{
    // Ended by max_steps: the update it would make if it went on (plain SGD on a quadratic: theta - lr a theta).
    StopRules stop;
    stop.maxSteps = 3;
    Run ended(quadratic(1, 10), sgd(0.05, Vec2(2, -1)), stop);
    while (ended.isRunning())
        ended.step();
    const UpdateExplanation e = ended.explainNextUpdate();
    QVERIFY(e.valid);
    QVERIFY(e.runEnded);
    QCOMPARE(e.step, 4L);
    QVERIFY(test::closeRelative(e.thetaAfter[0], e.thetaBefore[0] * (1 - 0.05), 1e-15));
    QVERIFY(test::closeRelative(e.thetaAfter[1], e.thetaBefore[1] * (1 - 0.5), 1e-15));
    QCOMPARE(ended.status(), RunStatus::MaxSteps); // still ended
    QCOMPARE(ended.current().step, 3L);
    // Diverged: none, and why.
    Run diverged(quadratic(1, 10), sgd(1.0, Vec2(2, -1)), StopRules{});
    while (diverged.isRunning())
        diverged.step();
    QCOMPARE(diverged.status(), RunStatus::Diverged);
    const UpdateExplanation none = diverged.explainNextUpdate();
    QVERIFY(!none.valid);
    QVERIFY(!none.why.empty());
}

QTEST_APPLESS_MAIN(TestRun)
#include "tst_run.moc"
