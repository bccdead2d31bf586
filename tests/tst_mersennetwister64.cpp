// MersenneTwister64 against the standard library's std::mt19937_64, whose sequence the C++ standard fixes:
// the same outputs, draw for draw, across many twists of the state, for any seed, and after copying.

#include "MersenneTwister64.h"

#include <QTest>

#include <random>

using namespace gdviz;

class TestMersenneTwister64 : public QObject {
    Q_OBJECT
private slots:
    void sameSequenceAsStandardEngine_data();
    void sameSequenceAsStandardEngine();
    void standardsTenThousandthOutput();
    void copyContinuesTheSameSequence();
};

void TestMersenneTwister64::sameSequenceAsStandardEngine_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::newRow("0") << quint64(0);
    QTest::newRow("1") << quint64(1);
    QTest::newRow("7 (the benchmark's runs)") << quint64(7);
    QTest::newRow("5489 (the default)") << quint64(5489);
    QTest::newRow("2^32 + 3") << quint64((1ULL << 32) + 3);
    QTest::newRow("0x0123456789abcdef") << quint64(0x0123456789abcdefULL);
    QTest::newRow("2^64 - 1") << quint64(~0ULL);
}

void TestMersenneTwister64::sameSequenceAsStandardEngine()
{
    QFETCH(quint64, seed);
    MersenneTwister64 ours(seed);
    std::mt19937_64 standard(seed);
    for (int i = 0; i < 100 * 312 + 7; ++i) { // a hundred twists of the state and a few draws into the next
        const std::uint64_t expected = standard(), got = ours();
        QVERIFY2(got == expected, qPrintable(QStringLiteral("draw %1: %2, expected %3").arg(i).arg(got).arg(expected)));
    }
}

void TestMersenneTwister64::standardsTenThousandthOutput()
{
    // [rand.predef]: "the 10000th consecutive invocation of a default-constructed object of type
    // mt19937_64 shall produce the value 9981545732273789042".
    MersenneTwister64 engine;
    for (int i = 0; i < 9999; ++i)
        engine();
    QCOMPARE(engine(), 9981545732273789042ULL);
}

void TestMersenneTwister64::copyContinuesTheSameSequence()
{
    // Runs (and with them their batch schedules) are copied and moved: a copy taken mid-block goes on
    // where the original was, through the next twist.
    MersenneTwister64 original(99);
    std::mt19937_64 standard(99);
    for (int i = 0; i < 500; ++i) {
        original();
        standard();
    }
    MersenneTwister64 copy = original;
    for (int i = 0; i < 1000; ++i) {
        const std::uint64_t expected = standard();
        QCOMPARE(copy(), expected);
        QCOMPARE(original(), expected);
    }
}

QTEST_APPLESS_MAIN(TestMersenneTwister64)
#include "tst_mersennetwister64.moc"
