// Long runs stay bounded in memory: past the cap, older records are thinned, but the start, the latest
// record and every record where a setting changed are always kept.

#include "Trajectory.h"

#include <QTest>

#include <algorithm>

using namespace gdviz;

class TestTrajectory : public QObject {
    Q_OBJECT
private slots:
    void keepsEverythingUnderTheCap();
    void thinsOlderRecordsPastTheCap();
    void blocksAppendAsRecordByRecord_data();
    void blocksAppendAsRecordByRecord();
    void recordingInPlaceKeepsWhatAppendKeeps_data();
    void recordingInPlaceKeepsWhatAppendKeeps();
    void recordingInPlacePastACapThinningCannotLower();
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

void TestTrajectory::blocksAppendAsRecordByRecord_data()
{
    QTest::addColumn<int>("blockSize");
    QTest::newRow("1") << 1;
    QTest::newRow("16 (a Race block)") << 16;
    QTest::newRow("7 (across the cap)") << 7;
    QTest::newRow("999") << 999;
    QTest::newRow("1000 (the cap)") << 1000;
    QTest::newRow("2500 (beyond the cap at once)") << 2500;
}

void TestTrajectory::blocksAppendAsRecordByRecord()
{
    // Appending a block is appending its records one by one (as thinsOlderRecordsPastTheCap pins down):
    // the same records kept and the same count dropped, across several thinnings.
    QFETCH(int, blockSize);
    const std::size_t cap = 1000;
    Trajectory oneByOne(cap), inBlocks(cap);
    std::vector<StepRecord> block;
    const long total = 12345;
    for (long i = 0; i < total; ++i) {
        const StepRecord r = record(i, i % 611 == 5);
        oneByOne.append(r);
        block.push_back(r);
        if (block.size() == std::size_t(blockSize) || i == total - 1) {
            inBlocks.append(std::span<const StepRecord>(block));
            block.clear();
        }
    }
    QCOMPARE(inBlocks.droppedCount(), oneByOne.droppedCount());
    QCOMPARE(inBlocks.records().size(), oneByOne.records().size());
    for (std::size_t k = 0; k < oneByOne.records().size(); ++k) {
        QCOMPARE(inBlocks.records()[k].step, oneByOne.records()[k].step);
        QCOMPARE(inBlocks.records()[k].settingsChanged, oneByOne.records()[k].settingsChanged);
    }
}

void TestTrajectory::recordingInPlaceKeepsWhatAppendKeeps_data()
{
    QTest::addColumn<int>("roomAsked");
    QTest::addColumn<int>("shortBy"); // records of each room left unwritten (a run that stopped early)
    QTest::newRow("64 (a Race block)") << 64 << 0;
    QTest::newRow("64, 5 short") << 64 << 5;
    QTest::newRow("7 (across the cap)") << 7 << 0;
    QTest::newRow("1") << 1 << 0;
    QTest::newRow("2500 (beyond the cap at once), 3 short") << 2500 << 3;
}

void TestTrajectory::recordingInPlaceKeepsWhatAppendKeeps()
{
    // room() and commit(), as Race::advance into a trajectory uses them: the records kept and the count dropped
    // are those of appending the same records one by one, across several thinnings; room() never passes the cap.
    QFETCH(int, roomAsked);
    QFETCH(int, shortBy);
    const std::size_t cap = 1000;
    Trajectory oneByOne(cap), inPlace(cap);
    const long total = 12345;
    for (long i = 0; i < total;) {
        const std::span<StepRecord> room = inPlace.room(std::size_t(roomAsked));
        QVERIFY(!room.empty());
        QVERIFY(inPlace.records().size() <= cap);
        const std::size_t made = std::min<std::size_t>(room.size() - std::min<std::size_t>(room.size() - 1, shortBy),
                                                      std::size_t(total - i));
        for (std::size_t k = 0; k < made; ++k, ++i) {
            room[k] = record(i, i % 611 == 5);
            oneByOne.append(room[k]);
        }
        inPlace.commit(made);
    }
    QCOMPARE(inPlace.droppedCount(), oneByOne.droppedCount());
    QCOMPARE(inPlace.records().size(), oneByOne.records().size());
    for (std::size_t k = 0; k < oneByOne.records().size(); ++k) {
        QCOMPARE(inPlace.records()[k].step, oneByOne.records()[k].step);
        QCOMPARE(inPlace.records()[k].theta, oneByOne.records()[k].theta);
        QCOMPARE(inPlace.records()[k].settingsChanged, oneByOne.records()[k].settingsChanged);
    }
}

void TestTrajectory::recordingInPlacePastACapThinningCannotLower()
{
    // Every record a settings change: thinning keeps them all, so the trajectory grows past its cap one record at
    // a time, as append() lets it; room() never comes back empty (a run writing into it would never end).
    const std::size_t cap = 8;
    Trajectory oneByOne(cap), inPlace(cap);
    for (long i = 0; i < 50;) {
        const std::span<StepRecord> room = inPlace.room(4);
        QVERIFY(!room.empty());
        for (StepRecord &r : room) {
            r = record(i++, true);
            oneByOne.append(r);
        }
        inPlace.commit(room.size());
    }
    QCOMPARE(inPlace.records().size(), oneByOne.records().size());
    QCOMPARE(inPlace.records().size(), std::size_t(50));
    for (std::size_t k = 0; k < oneByOne.records().size(); ++k)
        QCOMPARE(inPlace.records()[k].step, oneByOne.records()[k].step);
}

QTEST_APPLESS_MAIN(TestTrajectory)
#include "tst_trajectory.moc"
