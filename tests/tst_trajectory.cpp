// Long runs stay bounded in memory and keep their whole shape: past the cap, the older records are thinned to
// every k-th step of the whole run, evenly, but the start, the latest cap/4 records and every record where a
// setting changed are always kept.

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
    void longRunsKeepTheirWholeShape_data();
    void longRunsKeepTheirWholeShape();
    void keepsWhatThePlainRuleKeeps_data();
    void keepsWhatThePlainRuleKeeps();
    void clearStartsAfresh();
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
    // Every record a settings change: thinning keeps them all, so the trajectory grows past its cap, as append()
    // lets it; room() never comes back empty (a run writing into it would never end).
    const std::size_t cap = 8;
    Trajectory oneByOne(cap), inPlace(cap);
    for (long i = 0; i < 50;) {
        const std::span<StepRecord> room = inPlace.room(4);
        QVERIFY(!room.empty());
        const std::size_t made = std::min<std::size_t>(room.size(), std::size_t(50 - i));
        for (std::size_t k = 0; k < made; ++k) {
            room[k] = record(i++, true);
            oneByOne.append(room[k]);
        }
        inPlace.commit(made);
    }
    QCOMPARE(inPlace.records().size(), oneByOne.records().size());
    QCOMPARE(inPlace.records().size(), std::size_t(50));
    for (std::size_t k = 0; k < oneByOne.records().size(); ++k)
        QCOMPARE(inPlace.records()[k].step, oneByOne.records()[k].step);
}

enum class Feed { OneByOne, Blocks, InPlace };
Q_DECLARE_METATYPE(Feed)

void TestTrajectory::longRunsKeepTheirWholeShape_data()
{
    // Many caps' worth of records, fed as each user feeds them: the engine one by one, the headless run in place
    // (Race::advance, blocks of 64), append(span) in blocks. Small caps, so that a few seconds simulate
    // hundreds of millions of updates; settings changed every changeEvery steps.
    QTest::addColumn<int>("cap");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<Feed>("feed");
    QTest::addColumn<int>("blockSize");
    QTest::addColumn<qint64>("changeEvery");
    QTest::addColumn<bool>("everyTenth"); // some of every tenth of the run kept (not so at the least cap)
    QTest::newRow("cap 64, 2^20 caps, one by one") << 64 << (qint64(64) << 20) << Feed::OneByOne << 1 << qint64(1'000'003)
                                                   << true;
    QTest::newRow("cap 1024, 500 million, in place") << 1024 << qint64(500'000'000) << Feed::InPlace << 64
                                                     << qint64(9'999'991) << true;
    QTest::newRow("cap 1000, 10 million, blocks of 999") << 1000 << qint64(10'000'000) << Feed::Blocks << 999
                                                         << qint64(99'991) << true;
    QTest::newRow("cap 8 (the least), 1 million, one by one") << 8 << qint64(1'000'000) << Feed::OneByOne << 1
                                                              << qint64(0) << false;
    QTest::newRow("cap 64, a change every 7 steps") << 64 << qint64(100'000) << Feed::InPlace << 5 << qint64(7)
                                                    << true;
}

void TestTrajectory::longRunsKeepTheirWholeShape()
{
    // Issue 14: past many caps, the record is every k-th step of the whole run (one k, a power of two), plus the
    // start, every settings change, and the latest cap/4 steps at full resolution; so the beginning, the middle
    // and the end are all there, evenly spaced.
    QFETCH(int, cap);
    QFETCH(qint64, total);
    QFETCH(Feed, feed);
    QFETCH(int, blockSize);
    QFETCH(qint64, changeEvery);
    QFETCH(bool, everyTenth);
    const auto changedAt = [&](long step) { return changeEvery > 0 && step % changeEvery == changeEvery - 1; };
    const long changes = changeEvery > 0 ? long(total / changeEvery) : 0;
    Trajectory t{std::size_t(cap)};
    // The size stays within the cap, plus the settings changes (always kept) it holds.
    const auto withinCap = [&](long changesSoFar) { return t.records().size() <= std::size_t(cap) + std::size_t(changesSoFar); };
    long countdown = long(changeEvery); // changedAt(step) for step = 0, 1, 2, ... in turn, without a division
    const auto changedNext = [&] {
        if (changeEvery == 0 || --countdown > 0)
            return false;
        countdown = long(changeEvery);
        return true;
    };
    long step = 0, changesSoFar = 0;
    bool within = true;
    if (feed == Feed::OneByOne) {
        for (; step < total; ++step) {
            const bool changed = changedNext();
            changesSoFar += changed;
            t.append(record(step, changed));
            within &= withinCap(changesSoFar);
        }
    } else if (feed == Feed::Blocks) {
        std::vector<StepRecord> block;
        while (step < total) {
            block.clear();
            for (; step < total && block.size() < std::size_t(blockSize); ++step) {
                block.push_back(record(step, changedNext()));
                changesSoFar += block.back().settingsChanged;
            }
            t.append(std::span<const StepRecord>(block));
            within &= withinCap(changesSoFar);
        }
    } else {
        while (step < total) {
            const std::span<StepRecord> room = t.room(std::size_t(blockSize));
            if (room.empty())
                QFAIL("room() came back empty");
            const std::size_t made = std::min<std::size_t>(room.size(), std::size_t(total - step));
            for (std::size_t k = 0; k < made; ++k, ++step) {
                room[k].step = step; // what the checks read: the step and the mark
                room[k].settingsChanged = changedNext();
                changesSoFar += room[k].settingsChanged;
            }
            t.commit(made);
            within &= withinCap(changesSoFar);
        }
    }
    QVERIFY2(within, "more records than the cap and the settings changes");

    const std::span<const StepRecord> r = t.records();
    QCOMPARE(r.front().step, 0L); // the start
    QCOMPARE(r.back().step, long(total - 1)); // the latest
    QCOMPARE(qint64(r.size() + t.droppedCount()), total);
    for (std::size_t i = 1; i < r.size(); ++i)
        QVERIFY(r[i].step > r[i - 1].step);
    // Every settings change is kept.
    QCOMPARE(long(std::count_if(r.begin(), r.end(), [](const StepRecord &s) { return s.settingsChanged; })), changes);
    for (const StepRecord &s : r)
        QCOMPARE(s.settingsChanged, changedAt(s.step));

    // The latest steps at full resolution: the records from fullResolutionFrom() on are consecutive steps, at
    // least cap/4 of them.
    const std::size_t whole = t.fullResolutionFrom();
    QVERIFY(whole >= 1 && whole < r.size());
    QVERIFY2(r.size() - whole >= std::size_t(cap / 4), qPrintable(QString::number(r.size() - whole)));
    for (std::size_t i = whole + 1; i < r.size(); ++i)
        QCOMPARE(r[i].step, r[i - 1].step + 1);

    // Before them, apart from the start and the changes, every k-th step from k on and nothing else, none
    // missing up to the records at full resolution; k a power of two.
    const long k = long(t.stride());
    QVERIFY2(k > 1 && (k & (k - 1)) == 0, qPrintable(QString::number(k)));
    long due = k, older = 0;
    for (std::size_t i = 1; i < whole; ++i) {
        if (r[i].step == due) {
            due += k;
            older += !r[i].settingsChanged;
        } else {
            QVERIFY2(r[i].settingsChanged && r[i].step < due,
                     qPrintable(QStringLiteral("kept step %1 where %2 was due (every %3th)").arg(r[i].step).arg(due).arg(k)));
        }
    }
    QVERIFY2(due >= r[whole].step, qPrintable(QStringLiteral("every %1th step up to %2 only, then %3").arg(k).arg(due - k).arg(r[whole].step)));
    // Past the cap by no more than the settings changes of the older part.
    const long olderChanges = long(std::count_if(r.begin() + 1, r.begin() + std::ptrdiff_t(whole),
                                                 [](const StepRecord &s) { return s.settingsChanged; }));
    QVERIFY2(r.size() <= std::size_t(cap + olderChanges), qPrintable(QString::number(r.size())));
    // Not coarser than the cap calls for: the evenly spaced part holds at least cap/8 records.
    QVERIFY2(older + 1 >= cap / 8, qPrintable(QString::number(older)));

    // So every tenth of the run is there, in proportion to its length: at least one step in every k.
    for (int tenth = 0; tenth < 10; ++tenth) {
        const long from = long(total * tenth / 10), to = long(total * (tenth + 1) / 10);
        const auto first = std::lower_bound(r.begin(), r.end(), from, [](const StepRecord &s, long v) { return s.step < v; });
        const auto last = std::lower_bound(r.begin(), r.end(), to, [](const StepRecord &s, long v) { return s.step < v; });
        const long kept = long(last - first);
        QVERIFY2(kept >= (to - from) / k && (kept >= 1 || !everyTenth),
                 qPrintable(QStringLiteral("tenth %1: %2 records kept, every %3th step").arg(tenth).arg(kept).arg(k)));
    }
}

namespace {

/// The rule of Trajectory.h written plainly, each thinning from scratch (quadratic: small caps only).
struct PlainRule {
    explicit PlainRule(std::size_t cap)
        : cap(cap)
        , thinAt(cap)
    {
    }
    std::size_t cap;
    std::vector<StepRecord> kept;
    long stride = 1;
    std::size_t whole = 0;
    std::size_t thinAt;
    std::size_t dropped = 0;

    void append(const StepRecord &r)
    {
        if (kept.size() >= thinAt)
            thin();
        kept.push_back(r);
    }
    void thin()
    {
        const std::size_t end = kept.size() - cap / 4; // the newest cap/4 stay whole
        const auto fits = [&](const StepRecord &r, long k) { return r.settingsChanged || r.step % k == 0; };
        // The least power of two, no less than before, whose multiples (changes aside) and the start fit cap/4.
        const auto multiples = [&](long k) {
            return std::count_if(kept.begin() + 1, kept.begin() + std::ptrdiff_t(end),
                                 [&](const StepRecord &r) { return !r.settingsChanged && r.step % k == 0; });
        };
        while (1 + multiples(stride) > std::ptrdiff_t(cap / 4))
            stride *= 2;
        std::vector<StepRecord> next{kept.front()};
        for (std::size_t i = 1; i < end; ++i)
            if (fits(kept[i], stride))
                next.push_back(kept[i]);
        whole = next.size();
        next.insert(next.end(), kept.begin() + std::ptrdiff_t(end), kept.end());
        dropped += kept.size() - next.size();
        kept = std::move(next);
        thinAt = std::max(cap, kept.size() + cap / 4);
    }
};

} // namespace

void TestTrajectory::keepsWhatThePlainRuleKeeps_data()
{
    QTest::addColumn<int>("cap");
    QTest::addColumn<int>("changesPer97"); // settings changes in clusters: steps whose (step * 7919) % 97 falls below
    QTest::newRow("cap 8 (the least)") << 8 << 0;
    QTest::newRow("cap 8, changes") << 8 << 3;
    QTest::newRow("cap 13 (not a multiple of 4), changes") << 13 << 5;
    QTest::newRow("cap 64") << 64 << 0;
    QTest::newRow("cap 100, changes") << 100 << 2;
    QTest::newRow("cap 64, a third of the steps changes") << 64 << 32;
}

void TestTrajectory::keepsWhatThePlainRuleKeeps()
{
    // The same records, stride, start of the full-resolution part and count dropped as the rule written plainly,
    // after every append, through many thinnings and several doublings of the stride.
    QFETCH(int, cap);
    QFETCH(int, changesPer97);
    Trajectory t{std::size_t(cap)};
    PlainRule rule{std::size_t(cap)};
    for (long step = 0; step < 6000; ++step) {
        const StepRecord r = record(step, step > 0 && (step * 7919) % 97 < changesPer97);
        t.append(r);
        rule.append(r);
        QCOMPARE(t.records().size(), rule.kept.size());
        for (std::size_t i = 0; i < rule.kept.size(); ++i) {
            QCOMPARE(t.records()[i].step, rule.kept[i].step);
            QCOMPARE(t.records()[i].theta, rule.kept[i].theta);
            QCOMPARE(t.records()[i].settingsChanged, rule.kept[i].settingsChanged);
        }
        QCOMPARE(long(t.stride()), rule.stride);
        QCOMPARE(t.fullResolutionFrom(), rule.whole);
        QCOMPARE(t.droppedCount(), rule.dropped);
    }
    QVERIFY(rule.stride >= 8); // the case covers doublings
}

void TestTrajectory::clearStartsAfresh()
{
    // A run restarted (the engine clears its trajectory): thinned as a new run, at stride 1 again.
    Trajectory used(64), fresh(64);
    for (long step = 0; step < 100000; ++step)
        used.append(record(step, step % 1000 == 999));
    QVERIFY(used.stride() > 1);
    used.clear();
    QVERIFY(used.isEmpty());
    QCOMPARE(used.droppedCount(), std::size_t(0));
    QCOMPARE(used.stride(), std::size_t(1));
    QCOMPARE(used.fullResolutionFrom(), std::size_t(0));
    for (long step = 0; step < 5000; ++step) {
        used.append(record(step, step % 300 == 7));
        fresh.append(record(step, step % 300 == 7));
    }
    QCOMPARE(used.stride(), fresh.stride());
    QCOMPARE(used.droppedCount(), fresh.droppedCount());
    QCOMPARE(used.records().size(), fresh.records().size());
    for (std::size_t i = 0; i < fresh.records().size(); ++i)
        QCOMPARE(used.records()[i].step, fresh.records()[i].step);
}

QTEST_APPLESS_MAIN(TestTrajectory)
#include "tst_trajectory.moc"
