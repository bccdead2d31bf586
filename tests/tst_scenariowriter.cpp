// A saved scenario reopens to the same settings and so to the same trajectories, bit for bit.

#include "Run.h"
#include "ScenarioReader.h"
#include "ScenarioWriter.h"

#include <QFile>
#include <QTest>

using namespace gdviz;

class TestScenarioWriter : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void stopRulesRoundTrip_data();
    void stopRulesRoundTrip();
    void keepsWhatTheFileSet_data();
    void keepsWhatTheFileSet();
    void raceClockRoundTrip_data();
    void raceClockRoundTrip();
    void standardizeXRoundTrip_data();
    void standardizeXRoundTrip();
};

void TestScenarioWriter::roundTrip_data()
{
    QTest::addColumn<QString>("path");
    QFile cases(QStringLiteral(GDVIZ_REFERENCE_DIR "/cases.txt"));
    QVERIFY(cases.open(QIODevice::ReadOnly));
    while (!cases.atEnd()) {
        const QByteArray name = cases.readLine().trimmed();
        if (!name.isEmpty())
            QTest::newRow(name.constData()) << QStringLiteral(GDVIZ_REFERENCE_DIR "/%1.json").arg(QString::fromUtf8(name));
    }
    QTest::newRow("lesson") << QStringLiteral(":/lessons/batch_vs_stochastic.json");
}

void TestScenarioWriter::roundTrip()
{
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    std::string error;
    const auto original = parseScenario(file.readAll().toStdString(), "original", GDVIZ_REFERENCE_DIR, &error);
    QVERIFY2(original, error.c_str());
    const QByteArray saved = scenarioToJson(*original);
    const auto reopened = parseScenario(saved.toStdString(), "saved", GDVIZ_REFERENCE_DIR, &error);
    QVERIFY2(reopened, (error + "\n" + saved.toStdString()).c_str());

    QCOMPARE(reopened->objectiveSpec.kind, original->objectiveSpec.kind);
    QCOMPARE(reopened->objectiveSpec.parameters, original->objectiveSpec.parameters);
    QCOMPARE(reopened->objectiveSpec.expression, original->objectiveSpec.expression);
    QCOMPARE(reopened->objectiveSpec.csvPath, original->objectiveSpec.csvPath);
    QVERIFY(reopened->stop == original->stop);
    QCOMPARE(reopened->raceBy, original->raceBy);
    QCOMPARE(reopened->runs.size(), original->runs.size());
    for (std::size_t r = 0; r < original->runs.size(); ++r) {
        QVERIFY(reopened->runs[r] == original->runs[r]);
        Run a(original->objective, original->runs[r], original->stop), b(reopened->objective, reopened->runs[r], reopened->stop);
        while (a.isRunning() || b.isRunning()) {
            const StepRecord &ra = a.step(), &rb = b.step();
            QCOMPARE(ra.theta, rb.theta);
            QCOMPARE(ra.loss, rb.loss);
        }
    }
}

void TestScenarioWriter::stopRulesRoundTrip_data()
{
    QTest::addColumn<QString>("objective");
    QTest::addColumn<QString>("stop"); // as the file gives it
    QTest::addColumn<long>("maxSteps"); // as the reader must understand it
    QTest::addColumn<double>("maxEpochs");
    QTest::addColumn<double>("gradTol");
    QTest::addColumn<double>("divergenceBound"); // 0: not given, the view rule (StopRules.h)
    const QString booth = QStringLiteral(R"({"kind": "booth"})");
    const QString data = QStringLiteral(R"({"kind": "linear_regression", "data": {"generate": {"n": 20}}})");
    QTest::newRow("default") << booth << "{}" << 1000L << 0.0 << 0.0 << 0.0;
    QTest::newRow("no limit") << booth << R"({"max_steps": 0})" << 0L << 0.0 << 0.0 << 0.0;
    QTest::newRow("no limit, grad_tol") << booth << R"({"max_steps": 0, "grad_tol": 1e-6})" << 0L << 0.0 << 1e-6 << 0.0;
    QTest::newRow("epochs alone") << data << R"({"max_epochs": 3})" << 0L << 3.0 << 0.0 << 0.0;
    QTest::newRow("epochs, no step limit") << data << R"({"max_steps": 0, "max_epochs": 3})" << 0L << 3.0 << 0.0 << 0.0;
    QTest::newRow("epochs and steps") << data << R"({"max_steps": 50, "max_epochs": 3})" << 50L << 3.0 << 0.0 << 0.0;
    QTest::newRow("data, no limit") << data << R"({"max_steps": 0})" << 0L << 0.0 << 0.0 << 0.0;
    QTest::newRow("divergence bound") << booth << R"({"divergence_bound": 1e300})" << 1000L << 0.0 << 0.0 << 1e300;
    QTest::newRow("divergence bound 1e6 (once the default)") << data << R"({"divergence_bound": 1e6})" << 1000L << 0.0 << 0.0 << 1e6;
}

void TestScenarioWriter::stopRulesRoundTrip()
{
    QFETCH(QString, objective);
    QFETCH(QString, stop);
    QFETCH(long, maxSteps);
    QFETCH(double, maxEpochs);
    QFETCH(double, gradTol);
    QFETCH(double, divergenceBound);
    const QString json = QStringLiteral(R"({"objective": %1, "runs": [{"name": "A", "lr": 0.1, "start": [1, 1]}], "stop": %2})")
                             .arg(objective, stop);
    std::string error;
    auto scenario = parseScenario(json.toStdString(), "s.json", {}, &error);
    QVERIFY2(scenario, error.c_str());
    for (int trip = 0; trip < 3; ++trip) { // as written, saved and reopened, saved and reopened again
        QCOMPARE(scenario->stop.maxSteps, maxSteps);
        QCOMPARE(scenario->stop.maxEpochs, maxEpochs);
        QCOMPARE(scenario->stop.gradTol, gradTol);
        QCOMPARE(scenario->stop.divergenceBound.has_value(), divergenceBound > 0);
        QCOMPARE(scenario->stop.divergenceBound.value_or(0), divergenceBound);
        const QByteArray saved = scenarioToJson(*scenario);
        scenario = parseScenario(saved.toStdString(), "saved", {}, &error);
        QVERIFY2(scenario, (error + "\n" + saved.toStdString()).c_str());
    }
}

// Inputs found by tests/fuzz/fuzz_scenario_reader: settings the reader accepts that a save used to drop.
void TestScenarioWriter::keepsWhatTheFileSet_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<qlonglong>("batchSize");
    QTest::addColumn<bool>("shuffle");
    QTest::addColumn<qulonglong>("seed");
    QTest::newRow("analytic objective with batch settings")
        << QByteArray(R"({"objective": {"kind": "rosenbrock"},
                          "runs": [{"name": "a", "start": [1, 2], "batch_size": 5, "shuffle": false, "seed": 9}]})")
        << 5LL << false << 9ULL;
    QTest::newRow("analytic objective, batch size only")
        << QByteArray(R"({"objective": {"kind": "booth"}, "runs": [{"name": "a", "start": [0, 0], "batch_size": 1}]})")
        << 1LL << true << 0ULL;
}

void TestScenarioWriter::keepsWhatTheFileSet()
{
    QFETCH(QByteArray, json);
    QFETCH(qlonglong, batchSize);
    QFETCH(bool, shuffle);
    QFETCH(qulonglong, seed);
    std::string error;
    const auto original = parseScenario(json.toStdString(), "original", "", &error);
    QVERIFY2(original, error.c_str());
    const QByteArray saved = scenarioToJson(*original);
    const auto reopened = parseScenario(saved.toStdString(), "saved", "", &error);
    QVERIFY2(reopened, (error + "\n" + saved.toStdString()).c_str());
    QCOMPARE(reopened->runs.size(), std::size_t(1));
    const RunSettings &run = reopened->runs.front();
    QCOMPARE(qlonglong(run.batchSize), batchSize);
    QCOMPARE(run.shuffle, shuffle);
    QCOMPARE(qulonglong(run.seed), seed);
    QVERIFY(run == original->runs.front());
}

void TestScenarioWriter::raceClockRoundTrip_data()
{
    QTest::addColumn<QString>("more"); // the file's top level, after "runs"
    QTest::addColumn<int>("clock");
    QTest::addColumn<bool>("written"); // whether a save writes "race_by": only when it is not the default
    QTest::newRow("not given") << QString() << int(RaceClock::Updates) << false;
    QTest::newRow("updates, the default") << R"(, "race_by": "updates")" << int(RaceClock::Updates) << false;
    QTest::newRow("samples") << R"(, "race_by": "samples")" << int(RaceClock::Samples) << true;
}

void TestScenarioWriter::raceClockRoundTrip()
{
    QFETCH(QString, more);
    QFETCH(int, clock);
    QFETCH(bool, written);
    const QString json = QStringLiteral(R"({"objective": {"kind": "linear_regression", "data": {"generate": {"n": 20}}},
        "runs": [{"name": "A", "lr": 0.1, "batch_size": 4, "start": [1, 1]}]%1})").arg(more);
    std::string error;
    auto scenario = parseScenario(json.toStdString(), "s.json", {}, &error);
    QVERIFY2(scenario, error.c_str());
    for (int trip = 0; trip < 3; ++trip) { // as written, saved and reopened, saved and reopened again
        QCOMPARE(int(scenario->raceBy), clock);
        const QByteArray saved = scenarioToJson(*scenario);
        QCOMPARE(saved.contains("\"race_by\": \"samples\""), written);
        QCOMPARE(saved.contains("race_by"), written);
        scenario = parseScenario(saved.toStdString(), "saved", {}, &error);
        QVERIFY2(scenario, (error + "\n" + saved.toStdString()).c_str());
    }
}

void TestScenarioWriter::standardizeXRoundTrip_data()
{
    QTest::addColumn<QString>("data"); // the objective's "data"
    QTest::addColumn<bool>("standardized"); // also: whether a save writes "standardize_x" (only when true)
    QTest::newRow("generated, not given") << R"({"generate": {"n": 50, "x_range": [40, 250]}})" << false;
    QTest::newRow("generated, false") << R"({"generate": {"n": 50, "x_range": [40, 250]}, "standardize_x": false})" << false;
    QTest::newRow("generated, true") << R"({"generate": {"n": 50, "x_range": [40, 250]}, "standardize_x": true})" << true;
    QTest::newRow("CSV, true") << R"({"csv": "large_x.csv", "standardize_x": true})" << true;
}

void TestScenarioWriter::standardizeXRoundTrip()
{
    QFETCH(QString, data);
    QFETCH(bool, standardized);
    const QString json = QStringLiteral(R"({"objective": {"kind": "linear_regression", "data": %1},
        "runs": [{"name": "A", "lr": 0.1, "batch_size": 4, "start": [1, 1]}]})").arg(data);
    std::string error;
    const auto original = parseScenario(json.toStdString(), "s.json", GDVIZ_TEST_DATA_DIR, &error);
    QVERIFY2(original, error.c_str());
    auto scenario = original;
    for (int trip = 0; trip < 3; ++trip) { // as written, saved and reopened, saved and reopened again
        QCOMPARE(scenario->objectiveSpec.standardizeX, standardized);
        QCOMPARE(scenario->data->xScaling.applied, standardized);
        QCOMPARE(scenario->data->x, original->data->x); // the same samples, scaled once
        const QByteArray saved = scenarioToJson(*scenario);
        QCOMPARE(saved.contains("\"standardize_x\": true"), standardized);
        QCOMPARE(saved.contains("standardize_x"), standardized);
        scenario = parseScenario(saved.toStdString(), "saved", GDVIZ_TEST_DATA_DIR, &error);
        QVERIFY2(scenario, (error + "\n" + saved.toStdString()).c_str());
    }
    Run a(original->objective, original->runs[0], original->stop), b(scenario->objective, scenario->runs[0], scenario->stop);
    while (a.isRunning() || b.isRunning())
        QCOMPARE(a.step().theta, b.step().theta);
}

QTEST_APPLESS_MAIN(TestScenarioWriter)
#include "tst_scenariowriter.moc"
