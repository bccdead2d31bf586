// The largest stable learning rate (StableLearningRate.h) against its closed forms on quadratics, and against the
// dynamics themselves: the project's Run at 0.95 of the limit converges and at 1.05 of it diverges, for plain
// gradient descent, heavy-ball, damped and Nesterov momentum, weight decay, and full-batch linear regression.
// Then the reasons a diverged run gives (DivergenceExplanation.h): the update, the growth per step and the lr
// against the limit, whose number is compared with the closed form ("full-batch" for stochastic runs; no limit
// claimed for adaptive optimizers).

#include "AnalyticFunctions.h"
#include "DataSet.h"
#include "DivergenceExplanation.h"
#include "Expression.h"
#include "ExpressionObjective.h"
#include "RegressionObjectives.h"
#include "Run.h"
#include "StableLearningRate.h"

#include <QRegularExpression>
#include "TestSupport.h"

#include <QTest>

#include <cmath>
#include <memory>

using namespace gdviz;

namespace {

std::shared_ptr<const Objective> bowl(double a, double b)
{
    return std::make_shared<AnalyticObjective>(AnalyticKind::Quadratic, std::map<std::string, double>{{"a", a}, {"b", b}});
}

OptimizerSettings sgd(double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
{
    OptimizerSettings s;
    s.momentum = momentum;
    s.dampening = dampening;
    s.nesterov = nesterov;
    s.weightDecay = weightDecay;
    return s;
}

/// The closed forms of StableLearningRate.h, written out again: lambda = lambdaMax + weight decay.
double closedForm(double lambdaMax, const OptimizerSettings &s)
{
    const double lambda = lambdaMax + s.weightDecay, beta = s.momentum;
    if (beta == 0)
        return 2 / lambda;
    if (s.nesterov)
        return 2 * (1 + beta) / ((1 + 2 * beta) * lambda);
    return 2 * (1 + beta) / ((1 - s.dampening) * lambda);
}

/// The largest eigenvalue of 2 [[mean x^2, mean x], [mean x, 1]], summed here from the samples.
double linearRegressionCurvature(const DataSet &data)
{
    double s2 = 0, s1 = 0;
    for (double x : data.x) {
        s2 += x * x;
        s1 += x;
    }
    const double a = 2 * s2 / double(data.size()), b = 2 * s1 / double(data.size()), c = 2;
    return 0.5 * (a + c) + std::sqrt(0.25 * (a - c) * (a - c) + b * b);
}

/// The number after "stable limit " in a reason.
double limitIn(const QString &reason)
{
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("stable limit ([-+0-9.e]+)")).match(reason);
    return m.hasMatch() ? m.captured(1).toDouble() : std::nan("");
}

/// True when shown is value rounded to two significant digits (half a unit of the second digit away at most).
bool twoDigitsOf(double shown, double value)
{
    const double unit = std::pow(10.0, std::floor(std::log10(std::abs(value))) - 1);
    return std::abs(shown - value) <= 0.5 * unit * (1 + 1e-9);
}

RunStatus runToEnd(const std::shared_ptr<const Objective> &objective, RunSettings settings, long maxSteps)
{
    StopRules stop;
    stop.maxSteps = maxSteps;
    stop.gradTol = 1e-8;
    Run run(objective, settings, stop);
    std::vector<StepRecord> block(256);
    while (run.isRunning())
        run.advance(block);
    return run.status();
}

} // namespace

class TestStableLearningRate : public QObject {
    Q_OBJECT
private slots:
    void quadraticClosedForms_data();
    void quadraticClosedForms();
    void rotatedQuadraticUsesTheLargestEigenvalue();
    void noLimitWhereNothingCurvesUp();
    void adaptiveOptimizersClaimNoLimit();
    void limitSeparatesConvergenceFromDivergence_data();
    void limitSeparatesConvergenceFromDivergence();
    void fullBatchLinearRegressionLimit();
    void divergenceNamesTheLimit_data();
    void divergenceNamesTheLimit();
    void stochasticRunsNameTheFullBatchLimit();
    void adaptiveDivergenceNamesOnlyTheRate();
    void limitDigitsKeepTheRateOnItsSide();
};

void TestStableLearningRate::quadraticClosedForms_data()
{
    // 0.5 (a x^2 + b y^2) has the Hessian diag(a, b): lambda_max = max(a, b).
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::addColumn<OptimizerSettings>("settings");
    QTest::addColumn<double>("expected");
    QTest::newRow("plain, a = 1, b = 10") << 1.0 << 10.0 << sgd() << 2.0 / 10;
    QTest::newRow("plain, a = 50, b = 0.5") << 50.0 << 0.5 << sgd() << 2.0 / 50;
    QTest::newRow("plain, one direction curving down") << -3.0 << 4.0 << sgd() << 2.0 / 4;
    QTest::newRow("heavy ball 0.9") << 1.0 << 10.0 << sgd(0.9) << 2 * 1.9 / 10;
    QTest::newRow("heavy ball 0.5") << 8.0 << 2.0 << sgd(0.5) << 2 * 1.5 / 8;
    QTest::newRow("damped 0.9, dampening 0.5") << 1.0 << 10.0 << sgd(0.9, 0.5) << 2 * 1.9 / (0.5 * 10);
    QTest::newRow("nesterov 0.9") << 1.0 << 10.0 << sgd(0.9, 0, true) << 2 * 1.9 / (2.8 * 10);
    QTest::newRow("weight decay 2") << 1.0 << 10.0 << sgd(0, 0, false, 2) << 2.0 / 12;
    QTest::newRow("heavy ball 0.9, weight decay 0.5") << 1.0 << 10.0 << sgd(0.9, 0, false, 0.5) << 2 * 1.9 / 10.5;
    QTest::newRow("momentum 1: nothing is stable") << 1.0 << 10.0 << sgd(1) << 0.0;
}

void TestStableLearningRate::quadraticClosedForms()
{
    QFETCH(double, a);
    QFETCH(double, b);
    QFETCH(OptimizerSettings, settings);
    QFETCH(double, expected);
    const auto objective = bowl(a, b);
    for (const Vec2 &theta : {Vec2(0, 0), Vec2(2.5, -1), Vec2(-40, 300)}) { // the same everywhere on a quadratic
        const std::optional<double> limit = stableLearningRate(*objective, theta, settings);
        QVERIFY(limit);
        QVERIFY2(std::abs(*limit - expected) <= 1e-14 * expected, qPrintable(QString::number(*limit, 'g', 17)));
    }
}

void TestStableLearningRate::rotatedQuadraticUsesTheLargestEigenvalue()
{
    // 0.5 (3 x^2 + 2 x y + 3 y^2): Hessian [[3, 1], [1, 3]], eigenvalues 2 and 4 (along (1, -1) and (1, 1)).
    const ExpressionObjective objective(*Expression::parse("0.5*(3*x^2 + 2*x*y + 3*y^2)", nullptr), ViewWindow{});
    QCOMPARE(largestEigenvalue(objective.hessian(Vec2(1, 2))), 4.0);
    QCOMPARE(*stableLearningRate(objective, Vec2(1, 2), sgd()), 0.5);
}

void TestStableLearningRate::noLimitWhereNothingCurvesUp()
{
    // -(x^2 + y^2) curves down everywhere: every lr runs away, so no limit is claimed. Weight decay 3 adds 3 to
    // every eigenvalue (-2 + 3 = 1): then there is one, 2 / 1. Dampening 1 forgets every gradient after the first.
    const ExpressionObjective cap(*Expression::parse("-(x^2 + y^2)", nullptr), ViewWindow{});
    QVERIFY(!stableLearningRate(cap, Vec2(0.5, 0.5), sgd()));
    QCOMPARE(*stableLearningRate(cap, Vec2(0.5, 0.5), sgd(0, 0, false, 3)), 2.0);
    QVERIFY(!stableLearningRate(*bowl(1, 10), Vec2(1, 1), sgd(0.9, 1)));
    // Where the Hessian is not finite (Ackley's cone tip) there is nothing to claim either.
    QVERIFY(!stableLearningRate(AnalyticObjective(AnalyticKind::Ackley, {}), Vec2(0, 0), sgd()));
}

void TestStableLearningRate::adaptiveOptimizersClaimNoLimit()
{
    const auto objective = bowl(1, 10);
    for (const auto &info : optimizers()) {
        const std::optional<double> limit = stableLearningRate(*objective, Vec2(1, 1), OptimizerSettings::defaultsFor(info.kind));
        QCOMPARE(limit.has_value(), info.kind == OptimizerKind::Sgd);
    }
}

void TestStableLearningRate::limitSeparatesConvergenceFromDivergence_data()
{
    QTest::addColumn<OptimizerSettings>("settings");
    QTest::newRow("plain") << sgd();
    QTest::newRow("heavy ball 0.9") << sgd(0.9);
    QTest::newRow("heavy ball 0.5") << sgd(0.5);
    QTest::newRow("damped 0.9, dampening 0.5") << sgd(0.9, 0.5);
    QTest::newRow("nesterov 0.9") << sgd(0.9, 0, true);
    QTest::newRow("nesterov 0.5") << sgd(0.5, 0, true);
    QTest::newRow("weight decay 2") << sgd(0, 0, false, 2);
}

void TestStableLearningRate::limitSeparatesConvergenceFromDivergence()
{
    // On 0.5 (x^2 + 10 y^2) from (1, 1): at 0.95 of the limit the gradient falls below 1e-8, at 1.05 of it the
    // run leaves the view (100 view widths, 600 from the centre): the y direction's multiplier passes 1 in size.
    QFETCH(OptimizerSettings, settings);
    const auto objective = bowl(1, 10);
    const double limit = *stableLearningRate(*objective, Vec2(1, 1), settings);
    QCOMPARE(limit, closedForm(10, settings));
    RunSettings run;
    run.optimizer = settings;
    run.start = Vec2(1, 1);
    run.optimizer.lr = 0.95 * limit;
    QCOMPARE(runToEnd(objective, run, 100000), RunStatus::Converged);
    run.optimizer.lr = 1.05 * limit;
    QCOMPARE(runToEnd(objective, run, 100000), RunStatus::Diverged);
}

void TestStableLearningRate::fullBatchLinearRegressionLimit()
{
    // Full-batch GD on the lesson's data: the loss is quadratic, so the limit is exact and the same everywhere.
    const auto data = test::lessonData();
    const auto objective = std::make_shared<LinearRegressionObjective>(data);
    const double expected = 2 / linearRegressionCurvature(*data);
    const double limit = *stableLearningRate(*objective, Vec2(-3, 4), sgd());
    QVERIFY2(std::abs(limit - expected) <= 1e-12 * expected, qPrintable(QString::number(limit, 'g', 17)));
    RunSettings run;
    run.start = Vec2(-3, 4);
    run.optimizer.lr = 0.95 * limit;
    QCOMPARE(runToEnd(objective, run, 100000), RunStatus::Converged);
    run.optimizer.lr = 1.05 * limit;
    QCOMPARE(runToEnd(objective, run, 100000), RunStatus::Diverged);
}

void TestStableLearningRate::divergenceNamesTheLimit_data()
{
    QTest::addColumn<double>("b");
    QTest::addColumn<OptimizerSettings>("settings");
    QTest::addColumn<double>("lr");
    QTest::addColumn<QString>("beginning"); // what the reason says before the limit's number
    // 0.5 (x^2 + b y^2) from (1, 1). Plain GD at lr 0.5 with b = 10 multiplies y by 1 - 5 = -4 per update, the
    // loss by about 16 once y dominates; y passes 600 (100 view widths) at update 5 (4^5 = 1024). The loss from
    // 5.5 to 0.5 (0.5^2 + 10 * 1024^2) over 5 updates: x(5.24e6 / 5.5)^(1/5) = x15.7.
    QTest::newRow("plain") << 10.0 << sgd() << 0.5
                           << "at update 5: every step overshoots further (loss x16 per step): lr 0.5 is above the stable limit ";
    // b = 3 at lr 1.5: y times 1 - 4.5 = -3.5 per update, past 600 at update 6 (3.5^6 = 1838); the loss from 2 to
    // 0.5 (0.5^2 + 3 * 1838^2) = 5.07e6: x(2.5e6)^(1/6) = x11.7.
    QTest::newRow("plain, b = 3") << 3.0 << sgd() << 1.5
                                  << "at update 6: every step overshoots further (loss x12 per step): lr 1.5 is above the stable limit ";
}

void TestStableLearningRate::divergenceNamesTheLimit()
{
    QFETCH(double, b);
    QFETCH(OptimizerSettings, settings);
    QFETCH(double, lr);
    QFETCH(QString, beginning);
    RunSettings s;
    s.optimizer = settings;
    s.optimizer.lr = lr;
    s.start = Vec2(1, 1);
    StopRules stop;
    Run run(bowl(1, b), s, stop);
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::Diverged);
    const QString reason = QString::fromStdString(run.statusReason());
    QVERIFY2(reason.startsWith(beginning), qPrintable(reason));
    QVERIFY2(reason.endsWith(QLatin1String(" here")), qPrintable(reason));
    QVERIFY2(twoDigitsOf(limitIn(reason), closedForm(std::max(1.0, b), settings)), qPrintable(reason));
}

void TestStableLearningRate::stochasticRunsNameTheFullBatchLimit()
{
    // Stochastic GD (batch 1) on the lesson's data at three times the full-batch limit: it diverges, and its
    // reason compares lr with the full-batch limit 2 / lambda_max of the full loss's Hessian.
    const auto data = test::lessonData();
    const double limit = 2 / linearRegressionCurvature(*data);
    RunSettings s;
    s.batchSize = 1;
    s.seed = 1;
    s.start = Vec2(-3, 4);
    s.optimizer.lr = 3 * limit;
    StopRules stop;
    stop.maxSteps = 100000;
    Run run(std::make_shared<LinearRegressionObjective>(data), s, stop);
    std::vector<StepRecord> block(16);
    while (run.isRunning())
        run.advance(block);
    QCOMPARE(run.status(), RunStatus::Diverged);
    const QString reason = QString::fromStdString(run.statusReason());
    QVERIFY2(reason.contains(QLatin1String(" is above the full-batch stable limit ")), qPrintable(reason));
    QVERIFY2(twoDigitsOf(limitIn(reason), limit), qPrintable(reason));
}

void TestStableLearningRate::adaptiveDivergenceNamesOnlyTheRate()
{
    // Adam at lr 1e6 leaves the view at once; no stable limit is claimed for an adaptive optimizer.
    RunSettings s;
    s.optimizer = OptimizerSettings::defaultsFor(OptimizerKind::Adam);
    s.optimizer.lr = 1e6;
    s.start = Vec2(1, 1);
    Run run(bowl(1, 10), s, StopRules{});
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::Diverged);
    const QString reason = QString::fromStdString(run.statusReason());
    QVERIFY2(reason.startsWith(QLatin1String("at update 1: ")) && reason.endsWith(QLatin1String(": lr 1e+06")), qPrintable(reason));
    QVERIFY(!reason.contains(QLatin1String("limit")));
}

void TestStableLearningRate::limitDigitsKeepTheRateOnItsSide()
{
    // lr 0.1998 against the limit 2 / 10.02 = 0.19960...: two digits ("0.20") or three ("0.200") would print a
    // limit above the rate, so the reason shows four. The y multiplier 1 - 0.1998 * 10.02 = -1.002 grows slowly:
    // a bound of 1.5 ends the run after about 200 updates (1.002^k > 1.5 at k = 203), the loss growing 0.4% per
    // update (1.002^2).
    RunSettings s;
    s.optimizer.lr = 0.1998;
    s.start = Vec2(0, 1);
    StopRules stop;
    stop.maxSteps = 0;
    stop.divergenceBound = 1.5;
    Run run(bowl(1, 10.02), s, stop);
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::Diverged);
    const QString reason = QString::fromStdString(run.statusReason());
    QVERIFY2(reason.endsWith(QLatin1String("every step overshoots further (loss +0.4% per step): lr 0.1998 is above the stable limit 0.1996 here")),
             qPrintable(reason));
    // The explanation's number format on its own: two significant digits, more only where the comparison needs them.
    QCOMPARE(QString::fromStdString(significantDigits(0.0012345, 2)), QStringLiteral("0.0012"));
    QCOMPARE(QString::fromStdString(significantDigits(171993.6, 2)), QStringLiteral("170000"));
    QCOMPARE(QString::fromStdString(significantDigits(1.2345e-7, 2)), QStringLiteral("1.2e-07"));
    QCOMPARE(QString::fromStdString(significantDigits(0.0999, 2)), QStringLiteral("0.1"));
}

QTEST_MAIN(TestStableLearningRate)
#include "tst_stablelearningrate.moc"
