// Adam's bias correction against the formula torch evaluates, 1 - std::pow(beta, t), for every update of
// long runs: bit for bit, also after pow is no longer called, and when beta changes during a run.

#include "BiasCorrection.h"

#include <QTest>

#include <cmath>

using namespace gdviz;

class TestBiasCorrection : public QObject {
    Q_OBJECT
private slots:
    void equalsOneMinusPow_data();
    void equalsOneMinusPow();
    void newBetaStartsOver();
};

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

QTEST_APPLESS_MAIN(TestBiasCorrection)
#include "tst_biascorrection.moc"
