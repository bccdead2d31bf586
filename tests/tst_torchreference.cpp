// Every optimizer, option, schedule and batch size against PyTorch 1.13's own trajectories
// (tests/reference, made by make_reference.py with torch.optim in float64): each row to 1e-9 relative.

#include "Run.h"
#include "ScenarioReader.h"
#include "TestSupport.h"

#include <QFile>
#include <QTest>

using namespace gdviz;

class TestTorchReference : public QObject {
    Q_OBJECT
private slots:
    void matchesTorch_data();
    void matchesTorch();
};

struct GoldenRow {
    QString run;
    long step;
    double epoch, theta0, theta1, loss;
};

static QList<GoldenRow> readGolden(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<GoldenRow> rows;
    file.readLine(); // header run,step,epoch,theta0,theta1,loss
    while (!file.atEnd()) {
        const QList<QByteArray> f = file.readLine().trimmed().split(',');
        if (f.size() < 6)
            continue;
        rows.append({QString::fromUtf8(f[0]), f[1].toLong(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(), f[5].toDouble()});
    }
    return rows;
}

void TestTorchReference::matchesTorch_data()
{
    QTest::addColumn<QString>("scenario");
    QFile cases(QStringLiteral(GDVIZ_REFERENCE_DIR "/cases.txt"));
    QVERIFY(cases.open(QIODevice::ReadOnly));
    int count = 0;
    while (!cases.atEnd()) {
        const QString name = QString::fromUtf8(cases.readLine().trimmed());
        if (name.isEmpty() || name.startsWith(QLatin1Char('#')))
            continue;
        QTest::newRow(qPrintable(name)) << name;
        ++count;
    }
    QVERIFY(count >= 40);
}

void TestTorchReference::matchesTorch()
{
    QFETCH(QString, scenario);
    const QString base = QStringLiteral(GDVIZ_REFERENCE_DIR "/") + scenario;
    std::string error;
    const auto loaded = readScenario((base + QStringLiteral(".json")).toStdString(), &error);
    QVERIFY2(loaded, error.c_str());
    const QList<GoldenRow> golden = readGolden(base + QStringLiteral(".csv"));
    QVERIFY(!golden.isEmpty());

    qsizetype row = 0;
    for (const RunSettings &settings : loaded->runs) {
        Run run(loaded->objective, settings, loaded->stop);
        auto compare = [&](const StepRecord &r) {
            QVERIFY2(row < golden.size(), "more rows than torch");
            const GoldenRow &g = golden[row++];
            const QString where = QStringLiteral("run %1 step %2").arg(g.run).arg(g.step);
            QCOMPARE(QString::fromStdString(settings.name), g.run);
            QCOMPARE(r.step, g.step);
            QVERIFY2(test::closeRelative(r.epoch, g.epoch, 1e-15), qPrintable(where));
            QVERIFY2(test::closeRelative(r.theta[0], g.theta0, 1e-9, 1e-12),
                     qPrintable(where + QStringLiteral(": theta0 %1, torch %2").arg(r.theta[0], 0, 'g', 17).arg(g.theta0, 0, 'g', 17)));
            QVERIFY2(test::closeRelative(r.theta[1], g.theta1, 1e-9, 1e-12),
                     qPrintable(where + QStringLiteral(": theta1 %1, torch %2").arg(r.theta[1], 0, 'g', 17).arg(g.theta1, 0, 'g', 17)));
            QVERIFY2(test::closeRelative(r.loss, g.loss, 1e-9, 1e-12),
                     qPrintable(where + QStringLiteral(": loss %1, torch %2").arg(r.loss, 0, 'g', 17).arg(g.loss, 0, 'g', 17)));
        };
        compare(run.current());
        while (run.isRunning()) {
            compare(run.step());
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY2(run.status() == RunStatus::MaxSteps || run.status() == RunStatus::MaxEpochs, run.statusReason().c_str());
    }
    QCOMPARE(row, golden.size()); // every torch row was matched
}

QTEST_APPLESS_MAIN(TestTorchReference)
#include "tst_torchreference.moc"
