// Every optimizer, option, schedule and batch size against PyTorch 1.13's own trajectories
// (tests/reference, made by make_reference.py with torch.optim in float64): each row to 1e-9 relative.

#include "Run.h"
#include "ScenarioReader.h"
#include "TestSupport.h"

#include <QFile>
#include <QTest>

#include <cmath>

using namespace gdviz;

class TestTorchReference : public QObject {
    Q_OBJECT
private slots:
    void matchesTorch_data();
    void matchesTorch();
    void stateMatchesTorch_data() { matchesTorch_data(); }
    void stateMatchesTorch();
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

struct GoldenState {
    QString run;
    long step;
    QString name;
    double value0, value1; // value1 NaN for a scalar
};

/// <case>_state.csv: run,step,name,value0,value1 (tests/reference/README.md).
static QList<GoldenState> readGoldenState(const QString &path, bool *ok)
{
    QFile file(path);
    *ok = file.open(QIODevice::ReadOnly);
    QList<GoldenState> rows;
    if (!*ok || file.readLine().trimmed() != "run,step,name,value0,value1") {
        *ok = false;
        return rows;
    }
    while (!file.atEnd()) {
        const QList<QByteArray> f = file.readLine().trimmed().split(',');
        if (f.size() != 5)
            continue;
        rows.append({QString::fromUtf8(f[0]), f[1].toLong(), QString::fromUtf8(f[2]), f[3].toDouble(),
                     f[4].isEmpty() ? std::nan("") : f[4].toDouble()});
    }
    return rows;
}

/// The state the core holds for run, as the optimizer table lists it: (name, value0, value1) per quantity held.
static QList<GoldenState> coreState(const Run &run)
{
    QList<GoldenState> held;
    const OptimizerSettings &settings = run.settings().optimizer;
    for (const StateQuantityInfo &q : optimizerInfo(settings.kind).state) {
        if (!q.heldIn(settings, run.optimizerState()))
            continue;
        if (q.vector) {
            const Vec2 v = q.vector(run.optimizerState());
            held.append({QString::fromStdString(run.settings().name), run.current().step, QString::fromStdString(q.name), v[0], v[1]});
        } else {
            held.append({QString::fromStdString(run.settings().name), run.current().step, QString::fromStdString(q.name),
                         q.scalar(run.optimizerState()), std::nan("")});
        }
    }
    return held;
}

// The named state of every rule (SGD's momentum buffer; Adagrad's sum; RMSprop's square_avg, momentum_buffer and
// grad_avg; Adadelta's square_avg and acc_delta; Adam's and AdamW's exp_avg, exp_avg_sq and max_exp_avg_sq;
// Adamax's exp_inf; NAdam's mu_product) against torch's optimizer.state after every update: the same quantities, in
// torch's order, each value to 1e-9 relative. Step 0 is the state before the first update, where torch holds one
// (Adagrad's sum); the rules whose state torch makes at the first update hold zeros (and mu_product 1) then, which
// the table's heldIn() reports and torch has no row for, so step 0 is compared only where torch has rows.
void TestTorchReference::stateMatchesTorch()
{
    QFETCH(QString, scenario);
    const QString base = QStringLiteral(GDVIZ_REFERENCE_DIR "/") + scenario;
    std::string error;
    const auto loaded = readScenario((base + QStringLiteral(".json")).toStdString(), &error);
    QVERIFY2(loaded, error.c_str());
    bool ok = false;
    const QList<GoldenState> golden = readGoldenState(base + QStringLiteral("_state.csv"), &ok);
    QVERIFY(ok);

    qsizetype row = 0;
    for (const RunSettings &settings : loaded->runs) {
        Run run(loaded->objective, settings, loaded->stop);
        auto compare = [&] {
            QList<GoldenState> held = coreState(run);
            const bool torchHasStepZero = row < golden.size() && golden[row].run == QString::fromStdString(settings.name)
                                          && golden[row].step == 0;
            if (run.current().step == 0 && !torchHasStepZero) {
                for (const GoldenState &q : held) // made at the first update in torch: zeros here, mu_product 1
                    QVERIFY2(q.value0 == (q.name == QLatin1String("mu_product") ? 1.0 : 0.0) && (std::isnan(q.value1) || q.value1 == 0),
                             qPrintable(q.name));
                return;
            }
            for (const GoldenState &q : held) {
                QVERIFY2(row < golden.size(), qPrintable(QStringLiteral("%1 step %2: %3 not in torch's state").arg(q.run).arg(q.step).arg(q.name)));
                const GoldenState &g = golden[row++];
                const QString where = QStringLiteral("run %1 step %2 %3").arg(g.run).arg(g.step).arg(g.name);
                QCOMPARE(q.run, g.run);
                QCOMPARE(q.step, g.step);
                QCOMPARE(q.name, g.name);
                QVERIFY2(test::closeRelative(q.value0, g.value0, 1e-9, 1e-12),
                         qPrintable(where + QStringLiteral(": %1, torch %2").arg(q.value0, 0, 'g', 17).arg(g.value0, 0, 'g', 17)));
                QCOMPARE(std::isnan(q.value1), std::isnan(g.value1));
                if (!std::isnan(g.value1))
                    QVERIFY2(test::closeRelative(q.value1, g.value1, 1e-9, 1e-12),
                             qPrintable(where + QStringLiteral(": %1, torch %2").arg(q.value1, 0, 'g', 17).arg(g.value1, 0, 'g', 17)));
            }
            // Nothing torch holds at this step is missing here.
            const bool moreHere = row < golden.size() && golden[row].run == QString::fromStdString(settings.name)
                                  && golden[row].step == run.current().step;
            if (moreHere)
                QFAIL(qPrintable(QStringLiteral("run %1 step %2: torch also holds %3").arg(golden[row].run).arg(golden[row].step).arg(golden[row].name)));
        };
        compare();
        while (run.isRunning()) {
            run.step();
            compare();
            if (QTest::currentTestFailed())
                return;
        }
        // The fast loops (advance(): SGD's forms and the rules applied in place) leave the very same state as the
        // updates one at a time, which matched torch above: bit for bit.
        Run fast(loaded->objective, settings, loaded->stop);
        std::vector<StepRecord> records(37);
        while (fast.isRunning())
            fast.advance(records);
        const QList<GoldenState> stepped = coreState(run), advanced = coreState(fast);
        QCOMPARE(advanced.size(), stepped.size());
        for (qsizetype i = 0; i < stepped.size(); ++i) {
            QCOMPARE(advanced[i].name, stepped[i].name);
            QCOMPARE(advanced[i].value0, stepped[i].value0);
            QVERIFY(advanced[i].value1 == stepped[i].value1 || (std::isnan(advanced[i].value1) && std::isnan(stepped[i].value1)));
        }
        QCOMPARE(fast.optimizerState().step, run.optimizerState().step);
    }
    QCOMPARE(row, golden.size()); // every torch row was matched
}

QTEST_APPLESS_MAIN(TestTorchReference)
#include "tst_torchreference.moc"
