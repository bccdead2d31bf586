// Defaults that teach (RecommendedDefaults.h): from every objective's default start, every optimizer at its
// recommended learning rate descends without diverging: every named function, both regressions on generated data
// with full, stochastic and mini-batches, and typed formulas. The named functions also keep the safety margin they
// were chosen with: three times the rate still descends. The regressions' SGD rates are checked against the
// data's curvature in closed form.

#include "AnalyticFunctions.h"
#include "ExpressionObjective.h"
#include "RecommendedDefaults.h"
#include "RegressionObjectives.h"
#include "Run.h"

#include <QRegularExpression>
#include <QTest>

#include <cmath>
#include <memory>
#include <set>

using namespace gdviz;

Q_DECLARE_METATYPE(std::shared_ptr<const DataSet>)

class TestRecommendedDefaults : public QObject {
    Q_OBJECT
private slots:
    void everyNamedFunctionHasOneEntry();
    void everyEntryIsUsable_data();
    void everyEntryIsUsable();
    void namedFunctionsDescend_data();
    void namedFunctionsDescend();
    void regressionsDescend_data();
    void regressionsDescend();
    void regressionRatesRespectTheCurvature_data();
    void regressionRatesRespectTheCurvature();
    void regressionStartIsAVisiblyWrongLine_data();
    void regressionStartIsAVisiblyWrongLine();
    void formulasDescend_data();
    void formulasDescend();
    void formulaStartAvoidsWhereItIsUndefined();
    void roundsDownToPleasantValues_data();
    void roundsDownToPleasantValues();
};

namespace {

/// How a run from the defaults ended.
struct Outcome {
    RunStatus status;
    double startLoss, finalLoss;
    std::string reason;
};

Outcome descend(const std::shared_ptr<const Objective> &objective, OptimizerKind kind, long updates,
                long batchSize = fullBatch, double lrFactor = 1)
{
    RunSettings settings;
    settings.name = "R";
    settings.optimizer = OptimizerSettings::defaultsFor(kind);
    settings.optimizer.lr = lrFactor * recommendedLearningRate(*objective, kind);
    settings.start = defaultStart(*objective);
    settings.batchSize = batchSize;
    settings.seed = 3;
    StopRules stop;
    stop.maxSteps = updates; // no tolerances: every run makes all its updates unless it diverges
    Run run(objective, settings, stop);
    const double startLoss = run.current().loss;
    while (run.isRunning())
        run.step();
    return {run.status(), startLoss, run.current().loss, run.statusReason()};
}

QString describe(const Outcome &o)
{
    return QStringLiteral("status %1 (%2), loss %3 -> %4")
        .arg(QLatin1String(statusName(o.status)), QString::fromStdString(o.reason))
        .arg(o.startLoss, 0, 'g', 10)
        .arg(o.finalLoss, 0, 'g', 10);
}

bool descended(const Outcome &o)
{
    return o.status != RunStatus::Diverged && std::isfinite(o.finalLoss) && o.finalLoss < o.startLoss;
}

std::shared_ptr<const Objective> namedFunction(AnalyticKind kind)
{
    return std::make_shared<AnalyticObjective>(kind, std::map<std::string, double>{}); // default parameters
}

std::shared_ptr<const DataSet> generated(bool logistic, qulonglong seed, double noise = 0.5)
{
    DataGeneratorSettings g;
    g.seed = seed;
    g.noise = noise;
    return std::make_shared<const DataSet>(logistic ? generateLogisticData(g) : generateLinearData(g));
}

std::shared_ptr<const Objective> regression(bool logistic, const std::shared_ptr<const DataSet> &data)
{
    if (logistic)
        return std::make_shared<LogisticRegressionObjective>(data);
    return std::make_shared<LinearRegressionObjective>(data);
}

std::shared_ptr<const Objective> formula(const char *text)
{
    ExpressionError error;
    auto expression = Expression::parse(text, &error);
    Q_ASSERT(expression);
    return std::make_shared<ExpressionObjective>(std::move(*expression), ViewWindow{-3, 3, -3, 3});
}

bool insideView(const Vec2 &p, const ViewWindow &v)
{
    return p[0] >= v.xMin && p[0] <= v.xMax && p[1] >= v.yMin && p[1] <= v.yMax;
}

} // namespace

void TestRecommendedDefaults::everyNamedFunctionHasOneEntry()
{
    // The table and the enumeration agree: each kind exactly once (Saddle is the last kind, as the objective's
    // per-kind arrays assume), and every optimizer of the optimizer table in enumeration order.
    const int kinds = int(AnalyticKind::Saddle) + 1;
    std::multiset<int> seen;
    for (const AnalyticFunctionInfo &info : analyticFunctions())
        seen.insert(int(info.kind));
    QCOMPARE(int(analyticFunctions().size()), kinds);
    for (int k = 0; k < kinds; ++k)
        QVERIFY2(seen.count(k) == 1, qPrintable(QStringLiteral("AnalyticKind %1 has %2 entries").arg(k).arg(seen.count(k))));
    QCOMPARE(int(optimizers().size()), int(OptimizerKind::Nadam) + 1);
    for (std::size_t i = 0; i < optimizers().size(); ++i)
        QCOMPARE(int(optimizers()[i].kind), int(i));
}

void TestRecommendedDefaults::everyEntryIsUsable_data()
{
    QTest::addColumn<int>("kind");
    for (const AnalyticFunctionInfo &info : analyticFunctions())
        QTest::newRow(info.name.c_str()) << int(info.kind);
}

void TestRecommendedDefaults::everyEntryIsUsable()
{
    QFETCH(int, kind);
    const auto objective = namedFunction(AnalyticKind(kind));
    const Vec2 start = defaultStart(*objective);
    const ViewWindow view = objective->defaultView();
    QVERIFY(insideView(start, view));
    Vec2 grad;
    QVERIFY(std::isfinite(objective->evaluate(start, &grad)));
    QVERIFY(grad.norm() > 0); // not at a stationary point: there is a descent to watch
    for (const KnownMinimum &m : objective->knownMinima()) // away from every known minimum: a tenth of the view
        QVERIFY((start - m.at).norm() > 0.1 * (view.xMax - view.xMin));
    for (const OptimizerInfo &optimizer : optimizers()) {
        const double lr = recommendedLearningRate(*objective, optimizer.kind);
        QVERIFY2(std::isfinite(lr) && lr > 0, optimizer.name.c_str());
        // A value a teacher types: 1, 2 or 5 times a power of ten (checked here by its decimal digits).
        const QString digits = QString::number(lr, 'e', 12);
        QVERIFY2(QRegularExpression(QStringLiteral("^[125]\\.0+e[-+]\\d+$")).match(digits).hasMatch(), qPrintable(digits));
    }
}

void TestRecommendedDefaults::namedFunctionsDescend_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("optimizer");
    for (const AnalyticFunctionInfo &info : analyticFunctions())
        for (const OptimizerInfo &optimizer : optimizers())
            QTest::newRow((info.name + "/" + optimizer.name).c_str()) << int(info.kind) << int(optimizer.kind);
}

void TestRecommendedDefaults::namedFunctionsDescend()
{
    QFETCH(int, kind);
    QFETCH(int, optimizer);
    const auto objective = namedFunction(AnalyticKind(kind));
    // The saddle is unbounded below: every descent ends by leaving the view, so it only has to fall for 200 updates.
    const long updates = AnalyticKind(kind) == AnalyticKind::Saddle ? 200 : 2000;
    const Outcome atRate = descend(objective, OptimizerKind(optimizer), updates);
    QVERIFY2(descended(atRate), qPrintable(describe(atRate)));
    // The margin: the rate is at most a third of the largest that still works, so three times it works too.
    const Outcome atThrice = descend(objective, OptimizerKind(optimizer), updates, fullBatch, 3);
    QVERIFY2(descended(atThrice), qPrintable(QStringLiteral("at 3 lr: ") + describe(atThrice)));
}

void TestRecommendedDefaults::regressionsDescend_data()
{
    QTest::addColumn<bool>("logistic");
    QTest::addColumn<long>("batchSize");
    QTest::addColumn<int>("optimizer");
    QTest::addColumn<qulonglong>("seed");
    QTest::addColumn<double>("noise");
    for (bool logistic : {false, true})
        for (long batch : {fullBatch, 1L, 32L})
            for (const OptimizerInfo &optimizer : optimizers()) {
                const std::string name = std::string(logistic ? "logistic" : "linear") + "/"
                                         + (batch == fullBatch ? "full" : std::to_string(batch)) + "/" + optimizer.name;
                QTest::newRow(name.c_str()) << logistic << batch << int(optimizer.kind) << qulonglong(0) << 0.5;
                // The batch-vs-stochastic lesson's data: noisier (noise 1, seed 7).
                if (!logistic)
                    QTest::newRow((name + "/lesson").c_str()) << logistic << batch << int(optimizer.kind) << qulonglong(7) << 1.0;
            }
}

void TestRecommendedDefaults::regressionsDescend()
{
    QFETCH(bool, logistic);
    QFETCH(long, batchSize);
    QFETCH(int, optimizer);
    QFETCH(qulonglong, seed);
    QFETCH(double, noise);
    const auto objective = regression(logistic, generated(logistic, seed, noise));
    const Outcome o = descend(objective, OptimizerKind(optimizer), 2000, batchSize);
    QVERIFY2(descended(o), qPrintable(describe(o)));
}

void TestRecommendedDefaults::regressionRatesRespectTheCurvature_data()
{
    QTest::addColumn<bool>("logistic");
    QTest::addColumn<std::shared_ptr<const DataSet>>("data");
    QTest::newRow("linear, x in [-3, 3]") << false << generated(false, 0);
    QTest::newRow("logistic, x in [-3, 3]") << true << generated(true, 0);
    // Large x, as in an imported CSV (40 to 250): the rate must shrink with x^2.
    auto wide = std::make_shared<DataSet>();
    for (int i = 0; i < 50; ++i) {
        wide->x.push_back(40 + 210.0 * i / 49);
        wide->y.push_back(0.5 * wide->x.back() + 3 + (i % 3 - 1));
    }
    QTest::newRow("linear, x in [40, 250]") << false << std::shared_ptr<const DataSet>(wide);
    auto labels = std::make_shared<DataSet>(*wide);
    for (std::size_t i = 0; i < labels->size(); ++i)
        labels->y[i] = labels->x[i] > 140 + (i % 2 ? 20 : -20) ? 1 : 0;
    QTest::newRow("logistic, x in [40, 250]") << true << std::shared_ptr<const DataSet>(labels);
}

void TestRecommendedDefaults::regressionRatesRespectTheCurvature()
{
    QFETCH(bool, logistic);
    QFETCH(std::shared_ptr<const DataSet>, data);
    const auto objective = regression(logistic, data);
    const double lr = recommendedLearningRate(*objective, OptimizerKind::Sgd);
    // The full data's Hessian bound in closed form: linear 2 [[mean x^2, mean x], [mean x, 1]] (exact), logistic a
    // quarter of [[mean x^2, mean x], [mean x, 1]] (p (1 - p) <= 1/4). Its largest eigenvalue from the 2x2 formula.
    double sx = 0, sxx = 0;
    for (double x : data->x) {
        sx += x;
        sxx += x * x;
    }
    const double n = double(data->size()), scale = logistic ? 0.25 : 2.0;
    const double a = scale * sxx / n, b = scale * sx / n, d = scale;
    const double lambdaMax = 0.5 * (a + d) + std::sqrt(0.25 * (a - d) * (a - d) + b * b);
    QVERIFY2(lr <= 1 / lambdaMax, qPrintable(QStringLiteral("lr %1, full-batch stable limit 2/lambda %2").arg(lr).arg(2 / lambdaMax)));
    // No single sample's step overshoots: lr * lambda_i <= 1 for the one eigenvalue scale (x_i^2 + 1) of each
    // sample's Hessian bound, so batch size 1 is as safe as the full batch.
    for (double x : data->x)
        QVERIFY(lr * scale * (x * x + 1) <= 1);
    // And not needlessly small: within a factor 5 (the rounding to 1, 2, 5) of that per-sample bound.
    double worst = 0;
    for (double x : data->x)
        worst = std::max(worst, scale * (x * x + 1));
    QVERIFY(lr * worst > 0.2);
    // The start and every optimizer still descend on this data with a mini-batch of 1.
    for (const OptimizerInfo &optimizer : optimizers()) {
        const Outcome o = descend(objective, optimizer.kind, 2000, 1);
        QVERIFY2(descended(o), qPrintable(QString::fromStdString(optimizer.name + ": ") + describe(o)));
    }
}

void TestRecommendedDefaults::regressionStartIsAVisiblyWrongLine_data()
{
    QTest::addColumn<bool>("logistic");
    QTest::newRow("linear") << false;
    QTest::newRow("logistic") << true;
}

void TestRecommendedDefaults::regressionStartIsAVisiblyWrongLine()
{
    QFETCH(bool, logistic);
    const auto data = generated(logistic, 0);
    const auto objective = regression(logistic, data);
    const Vec2 start = defaultStart(*objective);
    QVERIFY(insideView(start, objective->defaultView()));
    // Visibly wrong: for linear data from y = 2x - 1, a slope at most half the true one and a loss at least ten times
    // the least-squares loss; for logistic data whose label-1 class lies at larger x, a line that predicts backwards
    // (w < 0) and does worse than always answering one half (log 2).
    const double loss = objective->evaluate(start, nullptr);
    if (logistic) {
        QVERIFY(start[0] < 0);
        QVERIFY(loss > std::log(2.0));
    } else {
        QVERIFY(start[0] <= 1);
        QVERIFY(loss > 10 * objective->knownMinima().front().value);
    }
    // Round numbers a teacher can read: multiples of 0.1.
    for (int i = 0; i < 2; ++i)
        QCOMPARE(std::round(start[i] * 10) / 10, start[i]);
}

void TestRecommendedDefaults::formulasDescend_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<int>("optimizer");
    for (const char *expr : {"x^2 + 3*y^2", "(1 - x)^2 + 5*(y - x^2)^2", "exp(x^2) + y^2", "x + y"})
        for (const OptimizerInfo &optimizer : optimizers())
            QTest::newRow((std::string(expr) + " / " + optimizer.name).c_str()) << QString::fromLatin1(expr) << int(optimizer.kind);
}

void TestRecommendedDefaults::formulasDescend()
{
    QFETCH(QString, expr);
    QFETCH(int, optimizer);
    const Outcome o = descend(formula(qPrintable(expr)), OptimizerKind(optimizer), 2000);
    QVERIFY2(descended(o), qPrintable(describe(o)));
}

void TestRecommendedDefaults::formulaStartAvoidsWhereItIsUndefined()
{
    // log(x) is undefined left of the y axis, where the preferred start (-1.8, 1.8) lies.
    const auto objective = formula("log(x) + y^2");
    const Vec2 start = defaultStart(*objective);
    QVERIFY(start[0] > 0);
    QVERIFY(std::isfinite(objective->evaluate(start, nullptr)));
    QVERIFY(insideView(start, objective->defaultView()));
    // A formula's SGD rate follows its curvature: 0.5 / lambda_max of the Hessian diag(2, 6) of x^2 + 3 y^2 is 1/12,
    // rounded down to 0.05; 100 x^2 + y^2 (lambda 200) gets 0.002.
    QCOMPARE(recommendedLearningRate(*formula("x^2 + 3*y^2"), OptimizerKind::Sgd), 0.05);
    QCOMPARE(recommendedLearningRate(*formula("100*x^2 + y^2"), OptimizerKind::Sgd), 0.002);
    QCOMPARE(recommendedLearningRate(*formula("x + y"), OptimizerKind::Sgd), 0.01); // no curvature: Keras's default
}

void TestRecommendedDefaults::roundsDownToPleasantValues_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("pleasant");
    QTest::newRow("0.03") << 0.03 << 0.02;
    QTest::newRow("0.5") << 0.5 << 0.5;
    QTest::newRow("0.999") << 0.999 << 0.5;
    QTest::newRow("1") << 1.0 << 1.0;
    QTest::newRow("10") << 10.0 << 10.0;
    QTest::newRow("19.99") << 19.99 << 10.0;
    QTest::newRow("7e-6") << 7e-6 << 5e-6;
    QTest::newRow("2e-6") << 2e-6 << 2e-6;
    QTest::newRow("1/12") << 1.0 / 12 << 0.05;
    QTest::newRow("0.001 (an ulp below)") << std::nextafter(0.001, 0.0) << 0.001;
    QTest::newRow("300") << 300.0 << 200.0;
}

void TestRecommendedDefaults::roundsDownToPleasantValues()
{
    QFETCH(double, value);
    QFETCH(double, pleasant);
    QCOMPARE(roundDownToPleasant(value), pleasant); // exactly: the double nearest the decimal
}

QTEST_APPLESS_MAIN(TestRecommendedDefaults)
#include "tst_recommendeddefaults.moc"
