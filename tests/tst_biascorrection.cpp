// Adam's bias correction against the formula torch evaluates, 1 - std::pow(beta, t), for every update of
// long runs: bit for bit, also after pow is no longer called, and when beta changes during a run. And the
// powers it is made from (PowerSequence) against std::pow itself, from many betas and starting points.

#include "BiasCorrection.h"
#include "PowerSequence.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <span>
#include <vector>

using namespace gdviz;

class TestBiasCorrection : public QObject {
    Q_OBJECT
private slots:
    void equalsOneMinusPow_data();
    void equalsOneMinusPow();
    void newBetaStartsOver();
    void tOutOfSequence();
    void powerSequenceEqualsPow_data();
    void powerSequenceEqualsPow();
    void powerSequenceEqualsPowForRandomBetas();
};

namespace {
/// Compares `count` values of a PowerSequence started at beta^t0 with std::pow, bit for bit, filled in pieces of
/// 8 to 128 values; returns how many of them the sequence had pow compute.
long comparePowers(double beta, double t0, long count)
{
    PowerSequence powers;
    powers.start(beta, t0);
    std::vector<double> values(static_cast<std::size_t>(count));
    for (std::size_t k = 0, piece = 0; k < values.size(); k += piece) {
        piece = std::min(values.size() - k, PowerSequence::lanes * (k / PowerSequence::lanes % 16 + 1));
        powers.fill(std::span(values).subspan(k, piece));
    }
    for (long k = 0; k < count; ++k) {
        const double t = t0 + double(k), expected = std::pow(beta, t), got = values[std::size_t(k)];
        if (got != expected) {
            QTest::qFail(qPrintable(QStringLiteral("beta = %1, t = %2: %3, expected %4")
                                        .arg(beta, 0, 'g', 17)
                                        .arg(t, 0, 'f', 0)
                                        .arg(got, 0, 'g', 17)
                                        .arg(expected, 0, 'g', 17)),
                         __FILE__, __LINE__);
            return -1;
        }
    }
    return powers.powCalls();
}
} // namespace

void TestBiasCorrection::equalsOneMinusPow_data()
{
    QTest::addColumn<double>("beta");
    QTest::newRow("0") << 0.0;
    QTest::newRow("0.5") << 0.5;
    QTest::newRow("0.9 (beta1)") << 0.9;
    QTest::newRow("0.99") << 0.99;
    QTest::newRow("0.999 (beta2)") << 0.999;
    QTest::newRow("0.9999") << 0.9999;
    QTest::newRow("1 - 2^-20") << 1 - 0x1p-20;
    QTest::newRow("largest below 1") << std::nextafter(1.0, 0.0);
}

void TestBiasCorrection::equalsOneMinusPow()
{
    QFETCH(double, beta);
    BiasCorrection correction;
    for (long t = 1; t <= 200000; ++t) {
        const double expected = 1 - std::pow(beta, double(t)), got = correction.at(beta, double(t));
        if (got != expected) // QCOMPARE compares doubles fuzzily; these must be the same bits
            QFAIL(qPrintable(QStringLiteral("t = %1: %2, expected %3").arg(t).arg(got, 0, 'g', 17).arg(expected, 0, 'g', 17)));
    }
}

void TestBiasCorrection::newBetaStartsOver()
{
    // A live change of betas: from the next update on, the new beta's 1 - beta^t, even though the old one
    // no longer needed pow.
    BiasCorrection correction;
    for (long t = 1; t <= 1000; ++t)
        correction.at(0.5, double(t));
    QCOMPARE(correction.at(0.5, 1001.0), 1.0);
    const double expected = 1 - std::pow(0.999, 1002.0);
    QVERIFY(expected != 1.0);
    QVERIFY(correction.at(0.999, 1002.0) == expected);
}

void TestBiasCorrection::tOutOfSequence()
{
    // Adam asks for t = 1, 2, 3, ...; any other order (a jump ahead, back, or within the values computed ahead)
    // still gives 1 - pow(beta, t).
    BiasCorrection correction;
    for (const double t : {1.0, 2.0, 5000.0, 5001.0, 3.0, 70.0, 69.0, 4.0, 130.0, 200.0, 199.0, 41000.0, 1.0}) {
        const double expected = 1 - std::pow(0.999, t);
        if (correction.at(0.999, t) != expected)
            QFAIL(qPrintable(QStringLiteral("t = %1: expected %2").arg(t).arg(expected, 0, 'g', 17)));
    }
}

void TestBiasCorrection::powerSequenceEqualsPow_data()
{
    QTest::addColumn<double>("beta");
    QTest::addColumn<double>("start");
    QTest::addColumn<long>("count");
    QTest::newRow("0.999 (beta2) from 1") << 0.999 << 1.0 << 50000L;
    QTest::newRow("0.999 from 12345 (a live change)") << 0.999 << 12345.0 << 30000L;
    QTest::newRow("0.9 (beta1) from 1") << 0.9 << 1.0 << 6000L;
    QTest::newRow("0.9999 from 1") << 0.9999 << 1.0 << 200000L;
    QTest::newRow("0.99999 from 1,000,000") << 0.99999 << 1e6 << 200000L;
    QTest::newRow("1 - 2^-30 from 10^9") << 1 - 0x1p-30 << 1e9 << 100000L;
    QTest::newRow("1 - 2^-34 from 2^31 (pow for all)") << 1 - 0x1p-34 << 0x1p31 << 1000L;
    QTest::newRow("0.5, exact powers of two") << 0.5 << 1.0 << 1000L;
    QTest::newRow("0.1 down to subnormals") << 0.1 << 1.0 << 336L;
    QTest::newRow("0") << 0.0 << 1.0 << 16L;
}

void TestBiasCorrection::powerSequenceEqualsPow()
{
    QFETCH(double, beta);
    QFETCH(double, start);
    QFETCH(long, count);
    const long powCalls = comparePowers(beta, start, count);
    if (QTest::currentTestFailed())
        return;
    // The shortcut is taken: pow computes only the values the double-double cannot decide (about one in eight
    // when the powers are not exact), not all of them.
    if (beta != 0.5 && beta != 0.0 && beta != 0.1 && start < 0x1p30)
        QVERIFY2(powCalls < count / 4, qPrintable(QStringLiteral("pow computed %1 of %2").arg(powCalls).arg(count)));
}

void TestBiasCorrection::powerSequenceEqualsPowForRandomBetas()
{
    // Betas drawn from [0.5, 1) and [1 - 2^-12, 1), each from a random start up to 10^5, 2,000 values each.
    std::mt19937_64 random(20261123);
    std::uniform_real_distribution<double> wide(0.5, 1.0), near(1 - 0x1p-12, 1.0);
    std::uniform_int_distribution<int> start(1, 100000);
    for (int i = 0; i < 200; ++i) {
        const double beta = i % 2 ? wide(random) : near(random);
        comparePowers(beta, double(start(random)), 2000);
        if (QTest::currentTestFailed())
            return;
    }
}

QTEST_APPLESS_MAIN(TestBiasCorrection)
#include "tst_biascorrection.moc"
