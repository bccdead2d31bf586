// Feature scaling of imported data ("standardize_x", DataSet.h): the standardized x have mean 0 and population sd 1,
// the line fitted on them reads in the file's units as the least-squares line of the raw data, all-equal x are
// refused, the offer follows the curvature's condition number, and the lesson holds: the rate that standardized data
// recommend makes SGD diverge on the raw data while it converges on the standardized data.

#include "DataSet.h"
#include "RecommendedDefaults.h"
#include "RegressionObjectives.h"
#include "Run.h"
#include "TestSupport.h"

#include <Eigen/Eigenvalues>

#include <QTest>

#include <cmath>
#include <memory>

using namespace gdviz;
using gdviz::test::closeRelative;

namespace {

/// Mean and population sd by the textbook two passes over the samples with Neumaier-compensated sums: a reference
/// written apart from DataMoments.
struct Spread {
    double mean = 0, sd = 0;
};

double compensatedSum(const std::vector<double> &values)
{
    double sum = 0, carry = 0;
    for (double v : values) {
        const double t = sum + v;
        carry += std::abs(sum) >= std::abs(v) ? (sum - t) + v : (v - t) + sum;
        sum = t;
    }
    return sum + carry;
}

Spread spreadOf(const std::vector<double> &x)
{
    const double n = double(x.size());
    const double mean = compensatedSum(x) / n;
    std::vector<double> squares(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        squares[i] = (x[i] - mean) * (x[i] - mean);
    return {mean, std::sqrt(compensatedSum(squares) / n)};
}

/// The least-squares line (slope, intercept) of y on x from the normal equations: slope = S_xy / S_xx,
/// intercept = mean y - slope mean x, with S the centred sums (compensated).
Vec2 leastSquares(const DataSet &data)
{
    const Spread sx = spreadOf(data.x), sy = spreadOf(data.y);
    std::vector<double> xy(data.size()), xx(data.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
        xy[i] = (data.x[i] - sx.mean) * (data.y[i] - sy.mean);
        xx[i] = (data.x[i] - sx.mean) * (data.x[i] - sx.mean);
    }
    const double slope = compensatedSum(xy) / compensatedSum(xx);
    return {slope, sy.mean - slope * sx.mean};
}

DataSet linearData(std::size_t n, double xMin, double xMax, double slope, double intercept, double noise, std::uint64_t seed)
{
    DataGeneratorSettings s;
    s.n = n;
    s.xMin = xMin;
    s.xMax = xMax;
    s.slope = slope;
    s.intercept = intercept;
    s.noise = noise;
    s.seed = seed;
    return generateLinearData(s);
}

DataSet fromColumns(std::vector<double> x, std::vector<double> y = {})
{
    DataSet data;
    data.y = y.empty() ? std::vector<double>(x.size(), 1.0) : std::move(y);
    data.x = std::move(x);
    return data;
}

DataSet standardized(DataSet data)
{
    std::string error;
    if (!standardizeX(&data, &error))
        qFatal("standardizeX refused: %s", error.c_str());
    return data;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<double>)

class TestStandardizeX : public QObject {
    Q_OBJECT
private slots:
    void standardizesHandMadeSets_data();
    void standardizesHandMadeSets();
    void standardizesAMillionSamples_data();
    void standardizesAMillionSamples();
    void lineInFileUnitsIsTheRawLeastSquaresLine_data();
    void lineInFileUnitsIsTheRawLeastSquaresLine();
    void handMadeLineInFileUnits();
    void unscaledDataKeepTheirLine();
    void refusesWhatCannotBeScaled_data();
    void refusesWhatCannotBeScaled();
    void offersScalingWhenTheValleyIsLong_data();
    void offersScalingWhenTheValleyIsLong();
    void theLessonsDataAreOfferedAsTheIssueSays();
    void standardizedRateDivergesOnRawDataAndConvergesOnScaled();
};

void TestStandardizeX::standardizesHandMadeSets_data()
{
    QTest::addColumn<std::vector<double>>("x");
    QTest::addColumn<double>("mean");
    QTest::addColumn<double>("sd");
    QTest::addColumn<std::vector<double>>("z"); // (x - mean) / sd, worked out by hand
    // The classic example: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, 32 / 8 = 4.
    QTest::newRow("2,4,4,4,5,5,7,9") << std::vector<double>{2, 4, 4, 4, 5, 5, 7, 9} << 5.0 << 2.0
                                     << std::vector<double>{-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2};
    QTest::newRow("40 and 250") << std::vector<double>{40, 250} << 145.0 << 105.0 << std::vector<double>{-1, 1};
    // Far from 0: one pass of sum x^2 - n mean^2 in double would lose every digit here.
    QTest::newRow("1e9 +- 1") << std::vector<double>{1e9 - 1, 1e9 + 1, 1e9 - 1, 1e9 + 1} << 1e9 << 1.0
                              << std::vector<double>{-1, 1, -1, 1};
    // Mean 0, squared deviations 9 + 0 + 9 = 18, 18 / 3 = 6: z = -+3 / sqrt(6) = -+sqrt(1.5).
    QTest::newRow("-3,0,3") << std::vector<double>{-3, 0, 3} << 0.0 << std::sqrt(6.0)
                            << std::vector<double>{-std::sqrt(1.5), 0, std::sqrt(1.5)};
}

void TestStandardizeX::standardizesHandMadeSets()
{
    QFETCH(std::vector<double>, x);
    QFETCH(double, mean);
    QFETCH(double, sd);
    QFETCH(std::vector<double>, z);
    DataSet data = fromColumns(x, std::vector<double>(x.size(), 7.5));
    std::string error;
    QVERIFY2(standardizeX(&data, &error), error.c_str());
    QVERIFY(data.xScaling.applied);
    QVERIFY(closeRelative(data.xScaling.mean, mean, 1e-15));
    QVERIFY(closeRelative(data.xScaling.sd, sd, 1e-15));
    QCOMPARE(data.x.size(), z.size());
    for (std::size_t i = 0; i < z.size(); ++i) {
        QVERIFY2(closeRelative(data.x[i], z[i], 1e-15, 1e-15), qPrintable(QString::number(data.x[i], 'g', 17)));
        QVERIFY(closeRelative(data.xScaling.toFileUnits(data.x[i]), x[i], 1e-15)); // back in the file's units
    }
    QCOMPARE(data.y, std::vector<double>(x.size(), 7.5)); // y untouched
}

void TestStandardizeX::standardizesAMillionSamples_data()
{
    QTest::addColumn<double>("xMin");
    QTest::addColumn<double>("xMax");
    QTest::newRow("x in 40..250") << 40.0 << 250.0;
    QTest::newRow("x in 1e6..1e6+1") << 1e6 << 1e6 + 1;
    QTest::newRow("x in -3..3") << -3.0 << 3.0;
}

void TestStandardizeX::standardizesAMillionSamples()
{
    QFETCH(double, xMin);
    QFETCH(double, xMax);
    const DataSet raw = linearData(1'000'000, xMin, xMax, 0.3, 5, 2, 11);
    const DataSet data = standardized(raw);
    const Spread before = spreadOf(raw.x), after = spreadOf(data.x);
    QVERIFY2(std::abs(after.mean) <= 1e-12, qPrintable(QString::number(after.mean)));
    QVERIFY2(std::abs(after.sd - 1) <= 1e-12, qPrintable(QString::number(after.sd - 1)));
    QVERIFY(closeRelative(data.xScaling.mean, before.mean, 1e-15, 1e-15 * before.sd));
    QVERIFY(closeRelative(data.xScaling.sd, before.sd, 1e-12));
    // Uniform on [xMin, xMax]: sd (xMax - xMin) / sqrt(12), to sampling error (~0.1 % at 1e6 samples).
    QVERIFY(closeRelative(data.xScaling.sd, (xMax - xMin) / std::sqrt(12.0), 5e-3));
}

void TestStandardizeX::lineInFileUnitsIsTheRawLeastSquaresLine_data()
{
    QTest::addColumn<std::size_t>("n");
    QTest::addColumn<double>("xMin");
    QTest::addColumn<double>("xMax");
    QTest::addColumn<double>("noise");
    QTest::newRow("40..250, 200 samples") << std::size_t(200) << 40.0 << 250.0 << 2.0;
    QTest::newRow("40..250, a million samples") << std::size_t(1'000'000) << 40.0 << 250.0 << 2.0;
    QTest::newRow("-3..3") << std::size_t(200) << -3.0 << 3.0 << 0.5;
    QTest::newRow("1e6..1e6+10") << std::size_t(500) << 1e6 << 1e6 + 10 << 0.1;
    QTest::newRow("no noise") << std::size_t(50) << 40.0 << 250.0 << 0.0;
}

void TestStandardizeX::lineInFileUnitsIsTheRawLeastSquaresLine()
{
    QFETCH(std::size_t, n);
    QFETCH(double, xMin);
    QFETCH(double, xMax);
    QFETCH(double, noise);
    const DataSet raw = linearData(n, xMin, xMax, 0.3, 5, noise, 3);
    const DataSet data = standardized(raw);
    const Vec2 rawLine = leastSquares(raw);
    // theta* on the standardized data, from the normal equations there (mean z = 0: w = S_zy / S_zz, b = mean y) ...
    const Vec2 scaledOptimum = leastSquares(data);
    const Vec2 viaReference = lineInFileUnits(data, scaledOptimum);
    // ... and the minimum the regression objective itself marks on the standardized data.
    const Vec2 viaObjective = lineInFileUnits(data, LinearRegressionObjective(std::make_shared<const DataSet>(data)).knownMinima().front().at);
    for (const Vec2 &line : {viaReference, viaObjective}) {
        QVERIFY2(closeRelative(line[0], rawLine[0], 1e-9), qPrintable(QString("%1 vs %2").arg(line[0], 0, 'g', 17).arg(rawLine[0], 0, 'g', 17)));
        // The intercept: the same line evaluated at the data's mean x, where it is well conditioned, and at x = 0.
        const double meanX = spreadOf(raw.x).mean;
        QVERIFY(closeRelative(line[0] * meanX + line[1], rawLine[0] * meanX + rawLine[1], 1e-12));
        QVERIFY2(closeRelative(line[1], rawLine[1], 1e-9, 1e-9 * std::abs(rawLine[0] * meanX)),
                 qPrintable(QString("%1 vs %2").arg(line[1], 0, 'g', 17).arg(rawLine[1], 0, 'g', 17)));
    }
}

void TestStandardizeX::handMadeLineInFileUnits()
{
    // (40, 10) and (250, 52): the line through them is y = 0.2 x + 2. Standardized, x = -1 and 1: y = 21 z + 31.
    DataSet data = standardized(fromColumns({40, 250}, {10, 52}));
    const Vec2 line = lineInFileUnits(data, Vec2(21, 31));
    QVERIFY(closeRelative(line[0], 0.2, 1e-15));
    QVERIFY(closeRelative(line[1], 2.0, 1e-14));
}

void TestStandardizeX::unscaledDataKeepTheirLine()
{
    const DataSet data = fromColumns({40, 250});
    QCOMPARE(lineInFileUnits(data, Vec2(0.2, 2)), Vec2(0.2, 2));
    QCOMPARE(data.xScaling.toFileUnits(3.5), 3.5);
}

void TestStandardizeX::refusesWhatCannotBeScaled_data()
{
    QTest::addColumn<std::vector<double>>("x");
    QTest::addColumn<bool>("twice");
    QTest::addColumn<QString>("message");
    QTest::newRow("every x 3") << std::vector<double>{3, 3, 3} << false << "every x is the same (sd 0): nothing to scale";
    QTest::newRow("one sample") << std::vector<double>{42} << false << "every x is the same (sd 0): nothing to scale";
    QTest::newRow("every x 1e9+0.5") << std::vector<double>(1000, 1e9 + 0.5) << false << "every x is the same (sd 0): nothing to scale";
    QTest::newRow("no samples") << std::vector<double>{} << false << "no samples: nothing to scale";
    QTest::newRow("already standardized") << std::vector<double>{40, 250} << true << "x is already standardized";
}

void TestStandardizeX::refusesWhatCannotBeScaled()
{
    QFETCH(std::vector<double>, x);
    QFETCH(bool, twice);
    QFETCH(QString, message);
    DataSet data = fromColumns(x);
    if (twice)
        data = standardized(data);
    const std::vector<double> before = data.x;
    const XScaling scalingBefore = data.xScaling;
    std::string error;
    QVERIFY(!standardizeX(&data, &error));
    QCOMPARE(QString::fromStdString(error), message);
    QCOMPARE(data.x, before); // nothing changed
    QCOMPARE(data.xScaling.applied, scalingBefore.applied);
    QCOMPARE(data.xScaling.sd, scalingBefore.sd);
    QVERIFY(!wouldBenefitFromStandardizing(data)); // and never offered
}

void TestStandardizeX::offersScalingWhenTheValleyIsLong_data()
{
    // Two-point sets have mean m and sd s exactly: the condition number of [[s^2 + m^2, m], [m, 1]] is worked out
    // below with Eigen's eigen solver, apart from the code's closed form.
    QTest::addColumn<std::vector<double>>("x");
    QTest::addColumn<bool>("offered");
    QTest::newRow("sd 10, mean 0: 100, not above") << std::vector<double>{-10, 10} << false;
    QTest::newRow("sd 11, mean 0: 121") << std::vector<double>{-11, 11} << true;
    QTest::newRow("sd 0.1, mean 0: 100, not above") << std::vector<double>{-0.1, 0.1} << false;
    QTest::newRow("sd 0.09, mean 0: 123") << std::vector<double>{-0.09, 0.09} << true;
    QTest::newRow("sd 1, mean 2.8: 95") << std::vector<double>{1.8, 3.8} << false;
    QTest::newRow("sd 1, mean 2.9: 106") << std::vector<double>{1.9, 3.9} << true;
    QTest::newRow("sd 1, mean -2.9: 106") << std::vector<double>{-3.9, -1.9} << true;
    QTest::newRow("sd 1, mean 0: 1") << std::vector<double>{-1, 1} << false;
    QTest::newRow("40 and 250") << std::vector<double>{40, 250} << true;
}

void TestStandardizeX::offersScalingWhenTheValleyIsLong()
{
    QFETCH(std::vector<double>, x);
    QFETCH(bool, offered);
    const DataSet data = fromColumns(x);
    const double m = 0.5 * (x[0] + x[1]), s = 0.5 * std::abs(x[1] - x[0]);
    Eigen::Matrix2d h;
    h << s * s + m * m, m, m, 1;
    const Eigen::Vector2d eigenvalues = Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d>(h).eigenvalues();
    const double condition = eigenvalues[1] / eigenvalues[0];
    QVERIFY2(closeRelative(xConditionNumber(data), condition, 1e-9),
             qPrintable(QString("%1 vs %2").arg(xConditionNumber(data)).arg(condition)));
    QCOMPARE(wouldBenefitFromStandardizing(data), offered);
    QVERIFY(!wouldBenefitFromStandardizing(standardized(data))); // once scaled, never offered again
    QVERIFY(closeRelative(xConditionNumber(standardized(data)), 1.0, 1e-12)); // the round bowl
}

void TestStandardizeX::theLessonsDataAreOfferedAsTheIssueSays()
{
    // The default lesson's generated data (x uniform in [-3, 3]: condition number about 3) is not offered; data with
    // x in 40..250 (the issue's example; about 1.7e5) is.
    for (std::uint64_t seed : {0, 1, 7}) {
        QVERIFY(!wouldBenefitFromStandardizing(linearData(200, -3, 3, 2, -1, 0.5, seed)));
        QVERIFY(wouldBenefitFromStandardizing(linearData(200, 40, 250, 0.3, 5, 2, seed)));
        QVERIFY(wouldBenefitFromStandardizing(linearData(40, 40, 250, 0.3, 5, 2, seed)));
    }
}

void TestStandardizeX::standardizedRateDivergesOnRawDataAndConvergesOnScaled()
{
    // The lesson: the same rate, the same data, only x rescaled.
    const auto raw = std::make_shared<const DataSet>(linearData(200, 40, 250, 0.3, 5, 2, 5));
    const auto scaled = std::make_shared<const DataSet>(standardized(*raw));
    const auto rawObjective = std::make_shared<const LinearRegressionObjective>(raw);
    const auto scaledObjective = std::make_shared<const LinearRegressionObjective>(scaled);
    const double rate = recommendedLearningRate(*scaledObjective, OptimizerKind::Sgd);
    const double rawRate = recommendedLearningRate(*rawObjective, OptimizerKind::Sgd);
    qInfo("recommended SGD rate: raw x in 40..250 %g, standardized %g", rawRate, rate);
    // Each is 1 / max 2 (x^2 + 1) rounded down (RecommendedDefaults.h): x^2 up to 6.25e4 against z^2 below 3.
    QVERIFY(rate >= 1e4 * rawRate);

    StopRules stop;
    stop.maxSteps = 2000;
    for (long batchSize : {fullBatch, 1L}) {
        RunSettings settings;
        settings.optimizer.lr = rate;
        settings.batchSize = batchSize;
        settings.start = defaultStart(*scaledObjective);
        Run onRaw(rawObjective, settings, stop), onScaled(scaledObjective, settings, stop);
        while (onRaw.isRunning())
            onRaw.step();
        double lateLoss = 0; // the mean loss over the last 1000 updates
        while (onScaled.isRunning())
            if (onScaled.step().step > 1000)
                lateLoss += onScaled.current().loss / 1000;
        QCOMPARE(onRaw.status(), RunStatus::Diverged);
        QVERIFY2(onRaw.current().step <= 10, qPrintable(QString::number(onRaw.current().step))); // at once
        QCOMPARE(onScaled.status(), RunStatus::MaxSteps);
        const double minimum = scaledObjective->knownMinima().front().value; // the noise's variance, about 4
        if (batchSize == fullBatch) {
            // Batch GD on the round bowl: at the least-squares line, which in the file's units is the raw data's.
            QVERIFY(closeRelative(onScaled.current().loss, minimum, 1e-12));
            const Vec2 line = lineInFileUnits(*scaled, onScaled.current().theta), rawLine = leastSquares(*raw);
            QVERIFY(closeRelative(line[0], rawLine[0], 1e-9));
            QVERIFY(closeRelative(line[1], rawLine[1], 1e-9));
        } else {
            // SGD at a constant rate: from about 1000 times the minimum down into a band around it, jittering with the
            // samples' noise (measured: 1.25 times the minimum on average over the last 1000 updates).
            QVERIFY2(lateLoss < 1.5 * minimum, qPrintable(QString::number(lateLoss / minimum)));
        }
    }
    // The raw data at their own recommended rate (safe for x up to 250) crawl along the long valley instead: its
    // floor, about 1e5 times flatter than its walls (the condition number), runs mostly along the intercept, so after
    // the same 2000 full-batch updates the slope is nearly right but the intercept has not closed half its distance
    // to the least-squares line.
    RunSettings settings;
    settings.optimizer.lr = rawRate;
    settings.start = defaultStart(*rawObjective);
    Run crawl(rawObjective, settings, stop);
    while (crawl.isRunning())
        crawl.step();
    QCOMPARE(crawl.status(), RunStatus::MaxSteps);
    const Vec2 best = leastSquares(*raw);
    qInfo("raw data at %g: intercept %g -> %g after 2000 updates, least squares %g", rawRate, settings.start[1],
          crawl.current().theta[1], best[1]);
    QVERIFY(std::abs(crawl.current().theta[1] - best[1]) > 0.5 * std::abs(settings.start[1] - best[1]));
}

QTEST_APPLESS_MAIN(TestStandardizeX)
#include "tst_standardizex.moc"
