// A race under a learning rate of 1e6: on every objective and with every optimizer the wild run ends
// without ever reporting a non-finite value as a normal step, the update rules whose first step is far
// beyond the divergence bound end as diverged within a few updates with their reason, and the calm run
// of the same race goes on to its normal stop.

#include "AnalyticFunctions.h"
#include "Race.h"
#include "ScenarioReader.h"

#include <QTest>

#include <cmath>

using namespace gdviz;

class TestRace : public QObject {
    Q_OBJECT
private slots:
    void hugeLearningRateEndsOnlyThatRun_data();
    void hugeLearningRateEndsOnlyThatRun();
};

void TestRace::hugeLearningRateEndsOnlyThatRun_data()
{
    QTest::addColumn<QString>("objective");
    QTest::addColumn<QString>("optimizer");
    QTest::addColumn<bool>("mustDiverge");
    QStringList objectives;
    for (const auto &info : analyticFunctions())
        objectives << QStringLiteral(R"({"kind": "%1"})").arg(QString::fromStdString(info.name));
    objectives << QStringLiteral(R"j({"kind": "expression", "expr": "x^2 + 3*y^2 + sin(x*y)"})j")
               << QStringLiteral(R"({"kind": "linear_regression", "data": {"generate": {"n": 50}}})")
               << QStringLiteral(R"({"kind": "logistic_regression", "data": {"generate": {"n": 50}}})");
    for (const QString &objective : objectives) {
        const bool logistic = objective.contains(QLatin1String("logistic"));
        for (const auto &info : optimizers()) {
            // Which first updates must leave the divergence bound (1e6), from the update rules:
            // - sgd moves lr * g: beyond 1e6 wherever |g| > 1, except logistic regression, whose gradient
            //   is bounded by the largest |x| (about 3): lr * g stays near 1e6 and the loss finite.
            // - rmsprop moves lr * g / sqrt((1 - alpha) g^2) = 10 lr.
            // - adamw first decays theta by (1 - lr * weight_decay) = 1 - 1e4: |theta| grows 1e4-fold per update.
            // - nadam moves lr * (1 + mu_2 / (1 - mu_1 mu_2)) * sign(g), about 1.56 lr.
            // adagrad, adadelta, adam and adamax normalise their steps to at most about lr: they may jump
            // to ~1e6 and come back (adagrad on the quadratic converges in three updates), so they must
            // only never report a non-finite step and, if they diverge, say why.
            const std::string name = info.name;
            const bool mustDiverge = (name == "sgd" && !logistic) || name == "rmsprop" || name == "adamw" || name == "nadam";
            const QString row = objective.section('"', 3, 3) + " / " + QString::fromStdString(name);
            QTest::newRow(qPrintable(row)) << objective << QString::fromStdString(name) << mustDiverge;
        }
    }
}

void TestRace::hugeLearningRateEndsOnlyThatRun()
{
    QFETCH(QString, objective);
    QFETCH(QString, optimizer);
    QFETCH(bool, mustDiverge);
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
    if (mustDiverge) {
        QCOMPARE(w.status(), RunStatus::Diverged);
        QVERIFY2(w.current().step <= 3, qPrintable(QString::number(w.current().step)));
    }
    if (w.status() == RunStatus::Diverged)
        QVERIFY(!w.statusReason().empty());
    else
        QCOMPARE(w.status(), RunStatus::MaxSteps);
    QCOMPARE(race.run(calm).status(), RunStatus::MaxSteps);
    QCOMPARE(calmUpdates, maxSteps);
}

QTEST_APPLESS_MAIN(TestRace)
#include "tst_race.moc"
