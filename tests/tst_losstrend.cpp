// "loss rising" (LossTrend.h): a run whose loss climbs is flagged before any stop rule ends it, a noisy run that
// converges never is. Rows of hand-made loss sequences for the rule's edges, then real runs of the default lesson:
// batch GD a little above its stable limit (0.3406) climbs for all of its 20 epochs and is flagged; stochastic and
// mini-batch GD are checked after every update of their 20 epochs and never are, at the lesson's rate and at
// rates up to 7.5 times it, whose full loss jumps up for several updates in a row again and again.

#include "DataSet.h"
#include "LossTrend.h"
#include "RegressionObjectives.h"
#include "Run.h"

#include "TestSupport.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace gdviz;

namespace {

std::vector<StepRecord> recordsOf(const QList<double> &losses, int changedAt = -1, double epochPerUpdate = 0)
{
    std::vector<StepRecord> records;
    for (int i = 0; i < losses.size(); ++i) {
        StepRecord r;
        r.step = 100 + i; // the window is the tail of a longer run
        r.epoch = epochPerUpdate * double(r.step);
        r.loss = losses[i];
        r.settingsChanged = i == changedAt;
        records.push_back(r);
    }
    return records;
}

QList<double> geometric(double first, double factor, int count)
{
    QList<double> values;
    for (int i = 0; i < count; ++i)
        values << first * std::pow(factor, i);
    return values;
}

} // namespace

class TestLossTrend : public QObject {
    Q_OBJECT
private slots:
    void rule_data();
    void rule();
    void batchGradientDescentAboveItsLimitIsFlagged();
    void noisyConvergingRunsAreNever_data();
    void noisyConvergingRunsAreNever();
};

void TestLossTrend::rule_data()
{
    QTest::addColumn<QList<double>>("losses");
    QTest::addColumn<int>("changedAt"); // the record marked settingsChanged; -1: none
    QTest::addColumn<QString>("warning"); // empty: not rising
    QTest::addColumn<double>("epochPerUpdate"); // 0: a named function; 1: full batches; 1/200: stochastic, n = 200
    // 1.3^20 = 190.05: twenty rises, the lowest loss first.
    QTest::newRow("x1.3 per update for 20 updates") << geometric(10, 1.3, 21) << -1 << "loss rising: x190 over the last 20 updates" << 0.0;
    // Only the last 21 records count: 1.5^20 = 3325 over 20 updates, whatever came before.
    QTest::newRow("longer climb: the last 20 updates") << geometric(1, 1.5, 40) << -1 << "loss rising: x3300 over the last 20 updates" << 0.0;
    // Falling, then five rises of x1.5 from the lowest point: 1.5^5 = 7.59.
    QTest::newRow("fell, then rose 5 times") << (geometric(100, 0.8, 10) + geometric(100 * std::pow(0.8, 9) * 1.5, 1.5, 5)) << -1
                                            << "loss rising: x7.6 over the last 5 updates" << 0.0;
    QTest::newRow("three rises are too few") << (geometric(100, 0.8, 10) + geometric(100 * std::pow(0.8, 9) * 2, 2, 3)) << -1 << QString() << 0.0;
    QTest::newRow("falling") << geometric(100, 0.9, 21) << -1 << QString() << 0.0;
    QTest::newRow("creeping up 1% per update") << geometric(100, 1.01, 21) << -1 << QString() << 0.0; // x1.22, not doubled
    QTest::newRow("last update fell") << (geometric(1, 1.5, 15) << 0.5 * std::pow(1.5, 14)) << -1 << QString() << 0.0;
    QTest::newRow("rises only every other update") << QList<double>{1, 2, 1.5, 3, 2.5, 5, 4.5, 9, 8.5, 17, 16.5, 33} << -1 << QString() << 0.0;
    QTest::newRow("fewer than 5 records") << QList<double>{1, 2, 4, 8} << -1 << QString() << 0.0;
    // A live change restarts the window at the record before it: since the change the loss rose from 292 to 430,
    // not twofold, whatever the old settings did before (x1.5 per update).
    QTest::newRow("climb before a live change") << (geometric(1, 1.5, 15) + QList<double>{400, 410, 420, 430}) << 15 << QString() << 0.0;
    QTest::newRow("climb since a live change") << (geometric(100, 0.5, 10) + geometric(100 * std::pow(0.5, 9) * 2, 2, 6)) << 10
                                              << "loss rising: x64 over the last 6 updates" << 0.0;
    // Negative losses: a rise of at least the lowest loss's size.
    QTest::newRow("from -100 up to 50") << QList<double>{-90, -100, -80, -50, -10, 20, 50} << -1 << "loss rising: from -100 to 50 over the last 5 updates" << 0.0;
    QTest::newRow("from -368 to -12: less than its size") << QList<double>{-368, -300, -200, -100, -50, -12} << -1 << QString() << 0.0;
    QTest::newRow("not finite") << (geometric(1, 2, 10) << std::numeric_limits<double>::infinity()) << -1 << QString() << 0.0;
    // Full batches (an epoch per update) follow the same rule as named functions.
    QTest::newRow("full batches, x1.1 per update") << (geometric(100, 0.7, 5) + geometric(100 * std::pow(0.7, 4) * 1.1, 1.1, 15)) << -1
                                                   << "loss rising: x4.2 over the last 15 updates" << 1.0;
    // Stochastic updates (n = 200, 200 updates per epoch): a climb must last a quarter epoch, 50 updates. Nine
    // rises of x1.3 (x10.6) are a burst of samples pulling the same way; 60 rises of x1.02 (x3.3) are a trend.
    QTest::newRow("stochastic burst of 9 rises") << (geometric(100, 0.99, 100) + geometric(100 * std::pow(0.99, 99) * 1.3, 1.3, 9)) << -1
                                                 << QString() << 1.0 / 200;
    QTest::newRow("stochastic climb over 60 updates") << (geometric(100, 0.99, 100) + geometric(100 * std::pow(0.99, 99) * 1.02, 1.02, 60)) << -1
                                                      << "loss rising: x3.3 over the last 60 updates" << 1.0 / 200;
}

void TestLossTrend::rule()
{
    QFETCH(QList<double>, losses);
    QFETCH(int, changedAt);
    QFETCH(QString, warning);
    QFETCH(double, epochPerUpdate);
    const std::vector<StepRecord> records = recordsOf(losses, changedAt, epochPerUpdate);
    const LossTrend trend = lossTrend(records);
    QCOMPARE(QString::fromStdString(trend.warning), warning);
    QCOMPARE(trend.rising, !warning.isEmpty());
    QCOMPARE(lossKeepsRising(records), !warning.isEmpty());
}

void TestLossTrend::batchGradientDescentAboveItsLimitIsFlagged()
{
    // The lesson's batch GD at lr 0.35, a little above its stable limit 2 / lambda_max (about 0.33 for x uniform in
    // [-3, 3]: lambda_max ~ 2 mean x^2 = 6): the steep direction grows |1 - 0.35 lambda_max| ~ 1.1-fold per update,
    // so the loss falls at first and then climbs through the 20 epochs without ever leaving the view. The run
    // ends by max_epochs, and is flagged.
    RunSettings s;
    s.batchSize = fullBatch;
    s.start = Vec2(-3, 4);
    s.optimizer.lr = 0.35;
    StopRules stop;
    stop.maxSteps = 0;
    stop.maxEpochs = 20;
    Run run(std::make_shared<LinearRegressionObjective>(test::lessonData()), s, stop, ViewWindow{-4, 6, -6, 5});
    std::vector<StepRecord> records{run.current()};
    while (run.isRunning())
        records.push_back(run.step());
    QCOMPARE(run.status(), RunStatus::MaxEpochs);
    QVERIFY2(records.back().loss > records.front().loss, qPrintable(QString::number(records.back().loss)));
    const LossTrend trend = lossTrend(records);
    QVERIFY2(trend.rising, qPrintable(QString::number(records.back().loss)));
    QVERIFY(QString::fromStdString(trend.warning).startsWith(QLatin1String("loss rising: x")));
}

void TestLossTrend::noisyConvergingRunsAreNever_data()
{
    QTest::addColumn<long>("batchSize");
    QTest::addColumn<double>("lr");
    QTest::newRow("stochastic, the lesson's lr") << 1L << 0.02;
    QTest::newRow("mini-batch 32, the lesson's lr") << 32L << 0.02;
    QTest::newRow("stochastic, lr 0.05") << 1L << 0.05;
    QTest::newRow("stochastic, lr 0.1") << 1L << 0.1;
    QTest::newRow("stochastic, lr 0.15") << 1L << 0.15;
    QTest::newRow("mini-batch 32, lr 0.15") << 32L << 0.15;
}

void TestLossTrend::noisyConvergingRunsAreNever()
{
    QFETCH(long, batchSize);
    QFETCH(double, lr);
    RunSettings s;
    s.batchSize = batchSize;
    s.seed = 1;
    s.start = Vec2(-3, 4);
    s.optimizer.lr = lr;
    StopRules stop;
    stop.maxSteps = 0;
    stop.maxEpochs = 20;
    Run run(std::make_shared<LinearRegressionObjective>(test::lessonData()), s, stop, ViewWindow{-4, 6, -6, 5});
    std::vector<StepRecord> records{run.current()};
    while (run.isRunning()) {
        records.push_back(run.step());
        const std::size_t from = records.size() > lossTrendMaxWindow + 1 ? records.size() - lossTrendMaxWindow - 1 : 0;
        const LossTrend trend = lossTrend(std::span<const StepRecord>(records).subspan(from));
        QVERIFY2(!trend.rising, qPrintable(QStringLiteral("update %1: %2").arg(records.back().step).arg(QString::fromStdString(trend.warning))));
    }
    QCOMPARE(run.status(), RunStatus::MaxEpochs);
    QVERIFY(records.back().loss < 0.1 * records.front().loss); // it did converge
}

QTEST_MAIN(TestLossTrend)
#include "tst_losstrend.moc"
