// Each schedule against its closed form, written out independently here.

#include "LearningRateSchedule.h"

#include <QTest>

#include <cmath>

using namespace gdviz;

class TestLearningRateSchedule : public QObject {
    Q_OBJECT
private slots:
    void closedForms();
    void rejectsBadSettings_data();
    void rejectsBadSettings();
};

void TestLearningRateSchedule::closedForms()
{
    using K = LearningRateSchedule::Kind;
    const double lr = 0.2;
    for (long t : {0L, 1L, 7L, 99L, 100L, 101L, 250L}) {
        LearningRateSchedule s;
        QCOMPARE(s.at(lr, t), lr);
        s.kind = K::Step;
        s.stepSize = 100;
        s.gamma = 0.5;
        QCOMPARE(s.at(lr, t), t < 100 ? 0.2 : t < 200 ? 0.1 : 0.05);
        s.kind = K::Exponential;
        s.gamma = 0.99;
        QCOMPARE(s.at(lr, t), lr * std::pow(0.99, double(t)));
        s.kind = K::InverseTime;
        s.decay = 0.1;
        QCOMPARE(s.at(lr, t), lr / (1 + 0.1 * double(t)));
        s.kind = K::Cosine;
        s.tMax = 100;
        s.etaMin = 0.01;
        QCOMPARE(s.at(lr, t), 0.01 + (lr - 0.01) * (1 + std::cos(M_PI * double(t) / 100.0)) / 2);
    }
    LearningRateSchedule cosine;
    cosine.kind = K::Cosine;
    cosine.tMax = 50;
    cosine.etaMin = 0.001;
    QCOMPARE(cosine.at(1.0, 0), 1.0);
    QVERIFY(std::abs(cosine.at(1.0, 50) - 0.001) < 1e-15);
}

void TestLearningRateSchedule::rejectsBadSettings_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("message");
    using K = LearningRateSchedule::Kind;
    QTest::newRow("gamma 0") << int(K::Exponential) << 0.0 << "gamma: must be in (0, 1], got 0";
    QTest::newRow("gamma 2") << int(K::Step) << 2.0 << "gamma: must be in (0, 1], got 2";
    QTest::newRow("negative decay") << int(K::InverseTime) << -1.0 << "decay: must be >= 0, got -1";
    QTest::newRow("negative eta_min") << int(K::Cosine) << -0.5 << "eta_min: must be >= 0, got -0.5";
}

void TestLearningRateSchedule::rejectsBadSettings()
{
    QFETCH(int, kind);
    QFETCH(double, value);
    QFETCH(QString, message);
    LearningRateSchedule s;
    s.kind = LearningRateSchedule::Kind(kind);
    s.gamma = s.decay = s.etaMin = value;
    QCOMPARE(QString::fromStdString(s.validate()), message);
}

QTEST_APPLESS_MAIN(TestLearningRateSchedule)
#include "tst_learningrateschedule.moc"
