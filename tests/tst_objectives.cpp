// Every objective's exact gradient against a central difference, known minima against their values,
// and the regression losses against their textbook formulas.

#include "AnalyticFunctions.h"
#include "RegressionObjectives.h"
#include "TestSupport.h"

#include <QTest>

#include <random>

using namespace gdviz;

class TestObjectives : public QObject {
    Q_OBJECT
private slots:
    void analyticGradientMatchesCentralDifference_data();
    void analyticGradientMatchesCentralDifference();
    void knownMinimaAreStationaryWithTheirValue_data();
    void knownMinimaAreStationaryWithTheirValue();
    void parametersChangeTheFunction();
    void regressionGradientsMatchCentralDifference_data();
    void regressionGradientsMatchCentralDifference();
    void linearLossIsMeanSquaredError();
    void logisticLossIsStableForHugeLogits();
    void batchOfAllSamplesEqualsSampleBySampleObjective();
};

static std::shared_ptr<const DataSet> smallData(bool logistic)
{
    DataGeneratorSettings s;
    s.n = 37;
    s.seed = 11;
    return std::make_shared<const DataSet>(logistic ? generateLogisticData(s) : generateLinearData(s));
}

void TestObjectives::analyticGradientMatchesCentralDifference_data()
{
    QTest::addColumn<QString>("name");
    for (const auto &info : analyticFunctions())
        QTest::newRow(info.name.c_str()) << QString::fromStdString(info.name);
}

void TestObjectives::analyticGradientMatchesCentralDifference()
{
    QFETCH(QString, name);
    const auto *info = findAnalyticFunction(name.toStdString());
    QVERIFY(info);
    AnalyticObjective f(info->kind, {});
    const ViewWindow v = f.defaultView();
    std::mt19937_64 engine(42);
    std::uniform_real_distribution<double> ux(v.xMin, v.xMax), uy(v.yMin, v.yMax);
    for (int i = 0; i < 200; ++i) {
        const Vec2 theta(ux(engine), uy(engine));
        Vec2 grad;
        const double value = f.evaluate(theta, &grad);
        QCOMPARE(f.evaluate(theta, nullptr), value);
        const Vec2 numeric = test::centralDifference([&](const Vec2 &t) { return f.evaluate(t, nullptr); }, theta, 1e-6);
        const double scale = std::max(1.0, grad.cwiseAbs().maxCoeff());
        for (int k = 0; k < 2; ++k)
            QVERIFY2(std::abs(grad[k] - numeric[k]) <= 1e-6 * scale + 1e-7 * std::abs(value),
                     qPrintable(QStringLiteral("at (%1, %2) d%3: exact %4, central difference %5")
                                    .arg(theta[0]).arg(theta[1]).arg(k).arg(grad[k]).arg(numeric[k])));
    }
}

void TestObjectives::knownMinimaAreStationaryWithTheirValue_data()
{
    analyticGradientMatchesCentralDifference_data();
}

void TestObjectives::knownMinimaAreStationaryWithTheirValue()
{
    QFETCH(QString, name);
    const auto *info = findAnalyticFunction(name.toStdString());
    AnalyticObjective f(info->kind, {});
    for (const KnownMinimum &m : f.knownMinima()) {
        Vec2 grad;
        const double value = f.evaluate(m.at, &grad);
        // Published minima are given to 4-6 decimals: values agree to that, gradients are small.
        QVERIFY2(std::abs(value - m.value) <= 1e-3 * std::max(1.0, std::abs(m.value)),
                 qPrintable(QStringLiteral("f = %1, published %2").arg(value).arg(m.value)));
        QVERIFY2(grad.norm() < 1e-2 * std::max(1.0, std::abs(m.value)), qPrintable(QString::number(grad.norm())));
        // ... and it is a minimum: every nearby point is higher.
        for (double angle = 0; angle < 6.28; angle += 0.5)
            QVERIFY(f.evaluate(m.at + 0.05 * Vec2(std::cos(angle), std::sin(angle)), nullptr) > value);
    }
    QCOMPARE(f.knownMinima().empty(), info->kind == AnalyticKind::Saddle);
}

void TestObjectives::parametersChangeTheFunction()
{
    // quadratic 0.5 (a x^2 + b y^2) and rosenbrock (a - x)^2 + b (y - x^2)^2, written out here.
    AnalyticObjective q(AnalyticKind::Quadratic, {{"a", 3.0}, {"b", 0.5}});
    QCOMPARE(q.evaluate(Vec2(2, 4), nullptr), 0.5 * (3 * 4 + 0.5 * 16));
    AnalyticObjective r(AnalyticKind::Rosenbrock, {{"a", 2.0}, {"b", 5.0}});
    QCOMPARE(r.evaluate(Vec2(1, 3), nullptr), 1.0 + 5.0 * 4.0);
    QCOMPARE(r.knownMinima().front().at, Vec2(2, 4));
    AnalyticObjective rastrigin(AnalyticKind::Rastrigin, {{"A", 5.0}});
    QCOMPARE(rastrigin.evaluate(Vec2(0.5, 0), nullptr), 10 + 0.25 - 5 * std::cos(M_PI) - 5);
}

void TestObjectives::regressionGradientsMatchCentralDifference_data()
{
    QTest::addColumn<bool>("logistic");
    QTest::newRow("linear") << false;
    QTest::newRow("logistic") << true;
}

void TestObjectives::regressionGradientsMatchCentralDifference()
{
    QFETCH(bool, logistic);
    const auto data = smallData(logistic);
    std::unique_ptr<Objective> f;
    if (logistic)
        f = std::make_unique<LogisticRegressionObjective>(data);
    else
        f = std::make_unique<LinearRegressionObjective>(data);
    const std::vector<SampleIndex> batch = {3, 3, 17, 0, 36};
    std::mt19937_64 engine(5);
    std::uniform_real_distribution<double> u(-4, 4);
    for (int i = 0; i < 100; ++i) {
        const Vec2 theta(u(engine), u(engine));
        Vec2 full, partial;
        f->evaluate(theta, &full);
        f->evaluateBatch(theta, batch, &partial);
        const Vec2 numericFull = test::centralDifference([&](const Vec2 &t) { return f->evaluate(t, nullptr); }, theta);
        Vec2 unused;
        const Vec2 numericBatch = test::centralDifference([&](const Vec2 &t) { return f->evaluateBatch(t, batch, &unused); }, theta);
        for (int k = 0; k < 2; ++k) {
            QVERIFY(test::closeRelative(full[k], numericFull[k], 1e-6, 1e-8));
            QVERIFY(test::closeRelative(partial[k], numericBatch[k], 1e-6, 1e-8));
        }
    }
}

void TestObjectives::linearLossIsMeanSquaredError()
{
    auto data = std::make_shared<DataSet>();
    data->x = {0, 1, 2};
    data->y = {1, 1, 5};
    LinearRegressionObjective f(data);
    // w = 2, b = 1: predictions 1, 3, 5; residuals 0, 2, 0; mean of squares 4/3 (Keras 'mse', no 1/2).
    Vec2 grad;
    QCOMPARE(f.evaluate(Vec2(2, 1), &grad), 4.0 / 3.0);
    // d/dw = mean(2 r x) = 2*2*1/3, d/db = mean(2 r) = 4/3.
    QCOMPARE(grad[0], 4.0 / 3.0);
    QCOMPARE(grad[1], 4.0 / 3.0);
    QCOMPARE(f.parameterNames().first, std::string("w"));
}

void TestObjectives::logisticLossIsStableForHugeLogits()
{
    auto data = std::make_shared<DataSet>();
    data->x = {1, -1};
    data->y = {1, 1};
    LogisticRegressionObjective f(data);
    // Logits +800 and -800: the naive -log(sigmoid(z)) overflows; the exact mean is (0 + 800) / 2.
    Vec2 grad;
    const double loss = f.evaluate(Vec2(800, 0), &grad);
    QCOMPARE(loss, 400.0);
    QVERIFY(grad.allFinite());
    // Textbook formula where it is safe: z = 0.3 gives -log(1 / (1 + e^-0.3)).
    const double expected = -std::log(1 / (1 + std::exp(-0.3)));
    QVERIFY(test::closeRelative(f.evaluate(Vec2(0.3, 0), nullptr), (expected + -std::log(1 / (1 + std::exp(0.3)))) / 2, 1e-15));
}

void TestObjectives::batchOfAllSamplesEqualsSampleBySampleObjective()
{
    const auto data = smallData(false);
    LinearRegressionObjective f(data);
    std::vector<SampleIndex> all(data->size());
    for (SampleIndex i = 0; i < all.size(); ++i)
        all[i] = i;
    Vec2 g1, g2;
    const Vec2 theta(0.7, -0.3);
    // Exactly the sample-by-sample full objective (the full-batch update's); the closed-form evaluate() is
    // compared with a long double reference in tst_linearclosedform.
    QCOMPARE(f.evaluateBatch(theta, all, &g1), f.evaluateEverySample(theta, &g2));
    QCOMPARE(g1, g2);
}

QTEST_APPLESS_MAIN(TestObjectives)
#include "tst_objectives.moc"
