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
    void keepsWhatTheFileSet_data();
    void keepsWhatTheFileSet();
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

QTEST_APPLESS_MAIN(TestScenarioWriter)
#include "tst_scenariowriter.moc"
