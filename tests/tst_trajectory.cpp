// Long runs stay bounded in memory: past the cap, older records are thinned, but the start, the latest
// record and every record where a setting changed are always kept.

#include "Trajectory.h"

#include <QTest>

using namespace gdviz;

class TestTrajectory : public QObject {
    Q_OBJECT
private slots:
    void keepsEverythingUnderTheCap();
    void thinsOlderRecordsPastTheCap();
};

static StepRecord record(long step, bool changed = false)
{
    StepRecord r;
    r.step = step;
    r.theta = Vec2(double(step), -double(step));
    r.settingsChanged = changed;
    return r;
}

void TestTrajectory::keepsEverythingUnderTheCap()
{
    Trajectory t(1000);
    for (long i = 0; i < 1000; ++i)
        t.append(record(i));
    QCOMPARE(t.records().size(), std::size_t(1000));
    QCOMPARE(t.droppedCount(), std::size_t(0));
    for (long i = 0; i < 1000; ++i)
        QCOMPARE(t.records()[std::size_t(i)].step, i);
}

void TestTrajectory::thinsOlderRecordsPastTheCap()
{
    const std::size_t cap = 1000;
    Trajectory t(cap);
    const long total = 100000;
    for (long i = 0; i < total; ++i)
        t.append(record(i, i % 7919 == 3)); // a few live changes along the way
    const auto &r = t.records();
    QVERIFY(r.size() <= cap + std::size_t(total / 7919 + 1));
    QCOMPARE(r.size() + t.droppedCount(), std::size_t(total));
    QCOMPARE(r.front().step, 0L); // the start
    QCOMPARE(r.back().step, total - 1); // the latest
    for (std::size_t i = 1; i < r.size(); ++i)
        QVERIFY(r[i].step > r[i - 1].step); // in order, nothing duplicated
    for (long i = 3; i < total; i += 7919) { // every change is still there
        const bool kept = std::any_of(r.begin(), r.end(), [i](const StepRecord &s) { return s.step == i; });
        QVERIFY2(kept, qPrintable(QString::number(i)));
    }
    // The most recent records are at full resolution: the last cap/4 steps are all there.
    for (std::size_t k = 0; k < cap / 4; ++k)
        QCOMPARE(r[r.size() - 1 - k].step, total - 1 - long(k));
}

QTEST_APPLESS_MAIN(TestTrajectory)
#include "tst_trajectory.moc"
