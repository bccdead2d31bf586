// What the loss view keeps of a long run and what it draws, against brute force over every record appended:
// past the cap the start, the latest records, every settings change and the lowest and highest loss stay;
// the drawn points hold every bucket's least and greatest loss, so a noisy curve keeps its band.

#include "LossHistory.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

using namespace gdviz;

using LossAt = std::function<double(long)>;
Q_DECLARE_METATYPE(LossAt)

class TestLossHistory : public QObject {
    Q_OBJECT
private slots:
    void keepsEverythingUnderTheCap();
    void thinningKeepsStartChangesAndExtremes_data();
    void thinningKeepsStartChangesAndExtremes();
    void drawnPointsHoldEachBucketsExtremes_data();
    void drawnPointsHoldEachBucketsExtremes();
    void zoomedExtremesCoverARange();
};

namespace {

StepRecord record(long step, double loss, bool changed = false)
{
    StepRecord r;
    r.step = step;
    r.epoch = double(step) / 200.0;
    r.loss = loss;
    r.batchLoss = 2 * loss;
    r.settingsChanged = changed;
    return r;
}

/// Losses a stochastic run might give: a decaying trend under noise, with rare spikes; the same every time.
std::vector<double> noisyLosses(long count, unsigned seed)
{
    std::mt19937_64 random(seed);
    std::normal_distribution<double> noise(0.0, 0.3);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<double> losses(std::size_t(count), 0.0);
    for (long k = 0; k < count; ++k)
        losses[std::size_t(k)] = (5.0 / (1.0 + 0.001 * double(k)) + 0.1) * std::exp(noise(random))
                                 * (uniform(random) < 1e-4 ? 20.0 : 1.0);
    return losses;
}

void addLossColumns()
{
    QTest::addColumn<LossAt>("lossAt");
    QTest::newRow("converging") << LossAt([](long k) { return 5.0 / (1.0 + 0.001 * double(k)) + 0.1; });
    QTest::newRow("zig-zag") << LossAt([](long k) { return 1.0 + 0.5 * double(k % 7) + 1e-6 * double(k); });
    auto noisy = std::make_shared<std::vector<double>>(noisyLosses(200'000, 42));
    QTest::newRow("stochastic") << LossAt([noisy](long k) { return (*noisy)[std::size_t(k)]; });
}

} // namespace

void TestLossHistory::keepsEverythingUnderTheCap()
{
    LossHistory h(1000, 2000);
    for (long k = 0; k < 1000; ++k)
        h.append(record(k, 1.0 / double(k + 1)));
    QCOMPARE(h.records().size(), std::size_t(1000));
    QCOMPARE(h.droppedCount(), std::size_t(0));
    QCOMPARE(h.stride(), std::size_t(1));
    const std::vector<std::size_t> drawn = h.drawnIndices();
    QCOMPARE(drawn.size(), std::size_t(1000)); // fewer records than buckets: every one is drawn
    for (std::size_t i = 0; i < drawn.size(); ++i) {
        QCOMPARE(drawn[i], i);
        QCOMPARE(h.records()[i].step, long(i));
        QCOMPARE(h.records()[i].loss, 1.0 / double(i + 1));
        QCOMPARE(h.records()[i].batchLoss, 2.0 / double(i + 1));
        if (i > 0)
            QCOMPARE(h.records()[i].previousStep, long(i) - 1);
    }
}

void TestLossHistory::thinningKeepsStartChangesAndExtremes_data()
{
    addLossColumns();
}

void TestLossHistory::thinningKeepsStartChangesAndExtremes()
{
    QFETCH(LossAt, lossAt);
    const std::size_t cap = 1000;
    const long total = 200'000;
    LossHistory h(cap, 100);
    long lowest = 0, highest = 0; // the first step with the least and the greatest loss, by brute force
    for (long k = 0; k < total; ++k) {
        h.append(record(k, lossAt(k), k % 7919 == 3));
        if (lossAt(k) < lossAt(lowest))
            lowest = k;
        if (lossAt(k) > lossAt(highest))
            highest = k;
    }
    const auto &r = h.records();
    QVERIFY(r.size() <= cap + std::size_t(total / 7919 + 1));
    QCOMPARE(r.size() + h.droppedCount(), std::size_t(total));
    QCOMPARE(r.front().step, 0L);
    QCOMPARE(r.back().step, total - 1);
    auto kept = [&](long step) {
        return std::any_of(r.begin(), r.end(), [step](const LossRecord &x) { return x.step == step; });
    };
    for (std::size_t i = 1; i < r.size(); ++i) {
        QVERIFY(r[i].step > r[i - 1].step); // in order, nothing duplicated
        QCOMPARE(r[i].loss, lossAt(r[i].step)); // every kept record is the real one
    }
    for (long k = 3; k < total; k += 7919)
        QVERIFY2(kept(k), qPrintable(QStringLiteral("settings change at %1").arg(k)));
    QVERIFY2(kept(lowest), qPrintable(QStringLiteral("lowest loss at %1").arg(lowest)));
    QVERIFY2(kept(highest), qPrintable(QStringLiteral("highest loss at %1").arg(highest)));
    for (std::size_t k = 0; k < cap / 4; ++k) { // the most recent records are exact
        QCOMPARE(r[r.size() - 1 - k].step, total - 1 - long(k));
        QCOMPARE(r[r.size() - 1 - k].previousStep, total - 2 - long(k));
    }
    std::vector<std::size_t> changes;
    for (std::size_t i = 0; i < r.size(); ++i)
        if (r[i].settingsChanged)
            changes.push_back(i);
    QCOMPARE(h.changes(), changes);
}

void TestLossHistory::drawnPointsHoldEachBucketsExtremes_data()
{
    addLossColumns();
}

void TestLossHistory::drawnPointsHoldEachBucketsExtremes()
{
    QFETCH(LossAt, lossAt);
    const std::size_t maxBuckets = 50;
    for (long total : {1L, 2L, 51L, 1000L, 10'007L, 100'000L}) {
        LossHistory h(1'000'000, maxBuckets); // no thinning: record i is step i
        for (long k = 0; k < total; ++k)
            h.append(record(k, lossAt(k)));
        const std::vector<std::size_t> drawn = h.drawnIndices();
        QVERIFY(drawn.size() <= 2 * maxBuckets + 4);
        QCOMPARE(drawn.front(), std::size_t(0));
        QCOMPARE(drawn.back(), std::size_t(total - 1));
        QVERIFY(std::is_sorted(drawn.begin(), drawn.end()));
        QVERIFY(std::adjacent_find(drawn.begin(), drawn.end()) == drawn.end());
        // Every whole group of `stride` records from 0 on is a bucket: its first least and first greatest
        // loss are drawn.
        const std::size_t s = h.stride();
        QVERIFY(std::size_t(total) <= (maxBuckets + 1) * s);
        std::vector<double> losses;
        for (long k = 0; k < total; ++k)
            losses.push_back(lossAt(k));
        for (std::size_t begin = 0; begin + s <= std::size_t(total); begin += s) {
            const auto first = losses.begin() + std::ptrdiff_t(begin), last = first + std::ptrdiff_t(s);
            const std::size_t lo = std::size_t(std::min_element(first, last) - losses.begin());
            const std::size_t hi = std::size_t(std::max_element(first, last) - losses.begin());
            QVERIFY2(std::binary_search(drawn.begin(), drawn.end(), lo), qPrintable(QStringLiteral("min %1").arg(lo)));
            QVERIFY2(std::binary_search(drawn.begin(), drawn.end(), hi), qPrintable(QStringLiteral("max %1").arg(hi)));
        }
    }
}

void TestLossHistory::zoomedExtremesCoverARange()
{
    LossHistory h;
    const std::vector<double> losses = noisyLosses(5000, 7);
    for (long k = 0; k < 5000; ++k)
        h.append(record(k, losses[std::size_t(k)]));
    std::vector<std::size_t> every;
    h.appendExtremes(1000, 1100, 1, every);
    QCOMPARE(every.size(), std::size_t(101));
    QCOMPARE(every.front(), std::size_t(1000));
    QCOMPARE(every.back(), std::size_t(1100));
    std::vector<std::size_t> groups;
    h.appendExtremes(1000, 1999, 10, groups); // 100 groups of 10: each one's least and greatest, and the end
    QVERIFY(groups.size() <= 201);
    for (std::size_t begin = 1000; begin < 2000; begin += 10) {
        const auto first = losses.begin() + std::ptrdiff_t(begin), last = first + 10;
        for (auto it : {std::min_element(first, last), std::max_element(first, last)})
            QVERIFY(std::binary_search(groups.begin(), groups.end(), std::size_t(it - losses.begin())));
    }
    QCOMPARE(groups.back(), std::size_t(1999));
}

QTEST_APPLESS_MAIN(TestLossHistory)
#include "tst_losshistory.moc"
