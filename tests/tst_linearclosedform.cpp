// Linear regression's full loss and gradient come in O(1) from the data's moments (core/DataMoments).
// Compared here with an independent sample-by-sample evaluation in long double (two passes: the mean
// residual, then the deviations from it) and with central differences, on data sets chosen to be hard:
// a million rows, all-equal x, x around 1e6, and an exact fit whose loss at the optimum is 0.

#include "DataSet.h"
#include "RegressionObjectives.h"
#include "TestSupport.h"

#include <QTest>

#include <cmath>
#include <memory>

using namespace gdviz;

class TestLinearClosedForm : public QObject {
    Q_OBJECT
private slots:
    void matchesSampleBySampleReference_data();
    void matchesSampleBySampleReference();
    void gradientMatchesCentralDifference_data();
    void gradientMatchesCentralDifference();
};

namespace {

/// The reference: loss and gradient of mean (w x + b - y)^2 summed per sample in long double, with the
/// magnitudes the terms had before they cancelled (what rounding errors scale with).
struct Reference {
    long double loss, gradW, gradB;
    long double lossScale, gradWScale, gradBScale;
};

Reference sampleBySample(const DataSet &d, double w, double b)
{
    const std::size_t n = d.size();
    const long double count = n;
    auto residual = [&](std::size_t i) { return (long double)w * d.x[i] + b - d.y[i]; };
    long double sr = 0, sx = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sr += residual(i);
        sx += d.x[i];
    }
    const long double rMean = sr / count, xMean = sx / count;
    long double rr = 0, rx = 0, rDev = 0, xDev = 0, scale = 0, scaleX = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const long double r = residual(i) - rMean, u = d.x[i] - xMean;
        rr += r * r;
        rx += r * u;
        rDev += r;
        xDev += u;
        const long double size = std::fabs((long double)w * d.x[i]) + std::fabs(b) + std::fabs(d.y[i]);
        scale += size;
        scaleX += size * std::fabs(d.x[i]);
    }
    // mean r^2 = rMean^2 + mean (r - rMean)^2; mean r x = rMean xMean + mean (r - rMean)(x - xMean), each
    // corrected by the second pass's leftover mean deviations.
    rDev /= count;
    xDev /= count;
    const long double r0 = rMean + rDev, x0 = xMean + xDev;
    Reference ref;
    ref.loss = r0 * r0 + rr / count - rDev * rDev;
    ref.gradW = 2 * (r0 * x0 + rx / count - rDev * xDev);
    ref.gradB = 2 * r0;
    ref.lossScale = scale / count * (scale / count);
    ref.gradWScale = 2 * scaleX / count;
    ref.gradBScale = 2 * scale / count;
    return ref;
}

std::shared_ptr<DataSet> dataSet(const QString &name)
{
    auto d = std::make_shared<DataSet>();
    if (name == QLatin1String("lesson")) { // the built-in lesson's data
        DataGeneratorSettings g;
        g.n = 200;
        g.slope = 2;
        g.intercept = -1;
        g.noise = 1.0;
        g.seed = 7;
        *d = generateLinearData(g);
    } else if (name == QLatin1String("1M rows")) {
        DataGeneratorSettings g;
        g.n = 1000000;
        g.seed = 11;
        *d = generateLinearData(g);
    } else if (name == QLatin1String("all-equal x")) {
        DataGeneratorSettings g;
        g.n = 1000;
        g.seed = 3;
        *d = generateLinearData(g);
        d->x.assign(d->x.size(), 2.5);
    } else if (name == QLatin1String("x around 1e6")) {
        DataGeneratorSettings g;
        g.n = 10000;
        g.xMin = 1e6 - 3;
        g.xMax = 1e6 + 3;
        g.intercept = -2e6; // y around 0
        g.seed = 5;
        *d = generateLinearData(g);
    } else if (name == QLatin1String("x and y around 1e6")) {
        DataGeneratorSettings g;
        g.n = 10000;
        g.xMin = 1e6 - 3;
        g.xMax = 1e6 + 3;
        g.seed = 9;
        *d = generateLinearData(g);
    } else if (name == QLatin1String("exact fit")) { // y = 3x - 7 holds exactly in double
        for (int i = -500; i < 500; ++i) {
            d->x.push_back(i * 0.25);
            d->y.push_back(3 * (i * 0.25) - 7);
        }
    }
    return d;
}

/// Where to compare: the least-squares line (the known minimum) and points around it at growing distances.
std::vector<Vec2> probes(const Objective &f)
{
    const Vec2 best = f.knownMinima().front().at;
    std::vector<Vec2> at = {best};
    for (double step : {1e-9, 1e-3, 0.5, 10.0})
        for (const Vec2 &dir : {Vec2(1, 0), Vec2(0, 1), Vec2(-0.6, 0.8)})
            at.push_back(best + step * dir);
    at.push_back(Vec2(0, 0));
    return at;
}

void addDataSets()
{
    QTest::addColumn<QString>("name");
    for (const char *name : {"lesson", "1M rows", "all-equal x", "x around 1e6", "x and y around 1e6", "exact fit"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

} // namespace

void TestLinearClosedForm::matchesSampleBySampleReference_data()
{
    addDataSets();
}

/// Tolerance: 1e-12 relative to the reference, plus an absolute part for values near 0 (the gradient at the
/// optimum, the loss of an exact fit), relative to S, the magnitude the per-sample terms had before they
/// cancelled: 1e-16 * S for the gradient (one double rounding of each term, which no evaluation in double
/// can beat), 1e-18 * S for the loss (the exact fit's loss at its line must come out at 0 to that).
/// Measured: the largest errors are 6e-14 relative (x and y around 1e6, within the reference's own
/// long double rounding of w*x) and 9e-17 * S; textbook one-pass moments in double fail by 0.04.
void TestLinearClosedForm::matchesSampleBySampleReference()
{
    QFETCH(QString, name);
    const auto data = dataSet(name);
    const LinearRegressionObjective f(data);
    for (const Vec2 &theta : probes(f)) {
        Vec2 grad;
        const double loss = f.evaluate(theta, &grad);
        const Reference ref = sampleBySample(*data, theta[0], theta[1]);
        const QString where = QStringLiteral("at (%1, %2)").arg(theta[0], 0, 'g', 17).arg(theta[1], 0, 'g', 17);
        auto check = [&](const char *what, double ours, long double expected, long double absolute) {
            const long double error = std::fabs(ours - expected);
            const long double allowed = 1e-12L * std::fabs(expected) + absolute;
            QVERIFY2(error <= allowed, qPrintable(QStringLiteral("%1 %2: %3, reference %4, error %5 > %6")
                                                      .arg(QLatin1String(what), where)
                                                      .arg(ours, 0, 'g', 17)
                                                      .arg(double(expected), 0, 'g', 17)
                                                      .arg(double(error), 0, 'g', 3)
                                                      .arg(double(allowed), 0, 'g', 3)));
        };
        check("loss", loss, ref.loss, 1e-18L * ref.lossScale);
        check("d/dw", grad[0], ref.gradW, 1e-16L * ref.gradWScale);
        check("d/db", grad[1], ref.gradB, 1e-16L * ref.gradBScale);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(loss >= 0);
    }
    if (name == QLatin1String("exact fit")) { // the known minimum is the line itself, its loss 0
        const KnownMinimum &best = f.knownMinima().front();
        QCOMPARE(best.at, Vec2(3, -7));
        QCOMPARE(best.value, 0.0);
    }
}

void TestLinearClosedForm::gradientMatchesCentralDifference_data()
{
    addDataSets();
}

/// The loss is a quadratic in (w, b), so a central difference is exact but for rounding: the step is
/// relative to theta, and the tolerance 1e-6 relative to the gradient's own scale.
void TestLinearClosedForm::gradientMatchesCentralDifference()
{
    QFETCH(QString, name);
    const auto data = dataSet(name);
    const LinearRegressionObjective f(data);
    for (const Vec2 &theta : probes(f)) {
        Vec2 grad;
        f.evaluate(theta, &grad);
        const double h = 1e-4 * std::max(1.0, theta.cwiseAbs().maxCoeff());
        const Vec2 numeric = test::centralDifference([&](const Vec2 &t) { return f.evaluate(t, nullptr); }, theta, h);
        const Reference ref = sampleBySample(*data, theta[0], theta[1]);
        QVERIFY2(std::abs(grad[0] - numeric[0]) <= 1e-6 * double(ref.gradWScale),
                 qPrintable(QStringLiteral("d/dw %1, numeric %2").arg(grad[0], 0, 'g', 17).arg(numeric[0], 0, 'g', 17)));
        QVERIFY2(std::abs(grad[1] - numeric[1]) <= 1e-6 * double(ref.gradBScale),
                 qPrintable(QStringLiteral("d/db %1, numeric %2").arg(grad[1], 0, 'g', 17).arg(numeric[1], 0, 'g', 17)));
    }
}

QTEST_APPLESS_MAIN(TestLinearClosedForm)
#include "tst_linearclosedform.moc"
