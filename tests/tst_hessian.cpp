// Exact Hessians (Objective::hessian) against central differences of the exact gradient, which is itself checked
// against finite differences of the value elsewhere (tst_objectives, tst_expression): every named function at
// several points, the two regressions on generated data, and typed formulas through second-order forward mode.
// A few textbook values are written out as well, and where a function has no second derivative the Hessian
// says so with NaN.

#include "AnalyticFunctions.h"
#include "DataSet.h"
#include "Expression.h"
#include "ExpressionObjective.h"
#include "RegressionObjectives.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <memory>

using namespace gdviz;

Q_DECLARE_METATYPE(Vec2)
Q_DECLARE_METATYPE(Eigen::Matrix2d)

namespace {

/// Column j: (grad(theta + h e_j) - grad(theta - h e_j)) / 2h, with h scaled to the coordinate.
Eigen::Matrix2d differencedGradient(const Objective &objective, const Vec2 &theta)
{
    Eigen::Matrix2d h;
    for (int j = 0; j < 2; ++j) {
        const double step = 1e-5 * std::max(1.0, std::abs(theta[j]));
        Vec2 plus = theta, minus = theta, gPlus, gMinus;
        plus[j] += step;
        minus[j] -= step;
        objective.evaluate(plus, &gPlus);
        objective.evaluate(minus, &gMinus);
        h.col(j) = (gPlus - gMinus) / (2 * step);
    }
    return h;
}

/// Every entry within 1e-6 of the largest entry's size (plus 1e-6 absolute).
bool closeMatrices(const Eigen::Matrix2d &exact, const Eigen::Matrix2d &reference, double rel = 1e-6)
{
    const double scale = std::max(exact.cwiseAbs().maxCoeff(), reference.cwiseAbs().maxCoeff());
    return (exact - reference).cwiseAbs().maxCoeff() <= rel * scale + 1e-6;
}

QString describe(const Eigen::Matrix2d &h)
{
    return QStringLiteral("[[%1, %2], [%3, %4]]").arg(h(0, 0), 0, 'g', 12).arg(h(0, 1), 0, 'g', 12).arg(h(1, 0), 0, 'g', 12).arg(h(1, 1), 0, 'g', 12);
}

void checkAgainstDifferences(const Objective &objective, const Vec2 &theta, double rel = 1e-6)
{
    const Eigen::Matrix2d exact = objective.hessian(theta), reference = differencedGradient(objective, theta);
    QVERIFY2(exact.allFinite(), qPrintable(describe(exact)));
    QCOMPARE(exact(0, 1), exact(1, 0)); // symmetric by construction
    QVERIFY2(closeMatrices(exact, reference, rel), qPrintable(describe(exact) + " vs differences " + describe(reference)));
}

Eigen::Matrix2d matrix(double xx, double xy, double yy)
{
    Eigen::Matrix2d h;
    h << xx, xy, xy, yy;
    return h;
}

std::shared_ptr<const DataSet> generated(bool logistic, std::uint64_t seed)
{
    DataGeneratorSettings settings;
    settings.n = 150;
    settings.seed = seed;
    return std::make_shared<DataSet>(logistic ? generateLogisticData(settings) : generateLinearData(settings));
}

} // namespace

class TestHessian : public QObject {
    Q_OBJECT
private slots:
    void namedFunctionsMatchDifferences_data();
    void namedFunctionsMatchDifferences();
    void textbookValues_data();
    void textbookValues();
    void ackleyHasNoSecondDerivativeAtItsTip();
    void linearRegressionIsTwiceTheMoments_data();
    void linearRegressionIsTwiceTheMoments();
    void logisticRegressionMatchesDifferences_data();
    void logisticRegressionMatchesDifferences();
    void formulasMatchDifferences_data();
    void formulasMatchDifferences();
    void formulaHessianOfAPolynomial();
    void formulasAreNotFiniteWhereTheFunctionIsNot_data();
    void formulasAreNotFiniteWhereTheFunctionIsNot();
};

void TestHessian::namedFunctionsMatchDifferences_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<Vec2>("theta");
    // Points off every symmetry axis, inside each default view and beyond it, near and away from the minima.
    const Vec2 points[] = {Vec2(0.7, 0.3), Vec2(-1.3, 0.8), Vec2(1.9, -1.1), Vec2(-0.45, -2.2), Vec2(3.1, 2.6)};
    for (const auto &info : analyticFunctions())
        for (const Vec2 &p : points)
            QTest::newRow(qPrintable(QStringLiteral("%1 at (%2, %3)").arg(QString::fromStdString(info.name)).arg(p[0]).arg(p[1])))
                << QString::fromStdString(info.name) << p;
}

void TestHessian::namedFunctionsMatchDifferences()
{
    QFETCH(QString, name);
    QFETCH(Vec2, theta);
    const AnalyticObjective objective(findAnalyticFunction(name.toStdString())->kind, {});
    checkAgainstDifferences(objective, theta);
}

void TestHessian::textbookValues_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<Vec2>("theta");
    QTest::addColumn<Eigen::Matrix2d>("expected");
    // Rosenbrock (a = 1, b = 100) at its minimum (1, 1): [[2 + 800, -400], [-400, 200]], the classic ill-conditioned
    // valley. Booth and Matyas are quadratics; the saddle x^2 - y^2 is diag(2, -2); the quadratic bowl
    // 0.5 (x^2 + 10 y^2) diag(1, 10). Himmelblau at (3, 2): u = v = 0, so [[8 x^2 + 2, 4 (x + y)], [., 8 y^2 + 2]].
    // Styblinski-Tang: diag(6 x^2 - 16, 6 y^2 - 16). Rastrigin at the origin: 2 + 4 pi^2 A = 2 + 40 pi^2.
    const double pi = 3.14159265358979323846;
    QTest::newRow("rosenbrock at its minimum") << "rosenbrock" << Vec2(1, 1) << matrix(802, -400, 200);
    QTest::newRow("booth") << "booth" << Vec2(-2, 5) << matrix(10, 8, 10);
    QTest::newRow("matyas") << "matyas" << Vec2(4, -1) << matrix(0.52, -0.48, 0.52);
    QTest::newRow("saddle") << "saddle" << Vec2(0.3, 7) << matrix(2, 0, -2);
    QTest::newRow("quadratic") << "quadratic" << Vec2(-1, 2) << matrix(1, 0, 10);
    QTest::newRow("himmelblau at (3, 2)") << "himmelblau" << Vec2(3, 2) << matrix(74, 20, 34);
    QTest::newRow("styblinski_tang") << "styblinski_tang" << Vec2(1, -2) << matrix(-10, 0, 8);
    QTest::newRow("rastrigin at the origin") << "rastrigin" << Vec2(0, 0) << matrix(2 + 40 * pi * pi, 0, 2 + 40 * pi * pi);
}

void TestHessian::textbookValues()
{
    QFETCH(QString, name);
    QFETCH(Vec2, theta);
    QFETCH(Eigen::Matrix2d, expected);
    const AnalyticObjective objective(findAnalyticFunction(name.toStdString())->kind, {});
    const Eigen::Matrix2d h = objective.hessian(theta);
    QVERIFY2(closeMatrices(h, expected, 1e-12), qPrintable(describe(h)));
}

void TestHessian::ackleyHasNoSecondDerivativeAtItsTip()
{
    // Ackley's first term is a cone at the origin: no second derivative there, so no curvature to claim.
    const AnalyticObjective ackley(AnalyticKind::Ackley, {});
    QVERIFY(ackley.hessian(Vec2(0, 0)).array().isNaN().all());
    QVERIFY(ackley.hessian(Vec2(1e-3, -2e-3)).allFinite());
}

void TestHessian::linearRegressionIsTwiceTheMoments_data()
{
    QTest::addColumn<int>("seed");
    QTest::addColumn<Vec2>("theta");
    QTest::newRow("seed 1 at (0, 0)") << 1 << Vec2(0, 0);
    QTest::newRow("seed 2 at (-3, 4)") << 2 << Vec2(-3, 4);
    QTest::newRow("seed 3 at (10, -7)") << 3 << Vec2(10, -7);
}

void TestHessian::linearRegressionIsTwiceTheMoments()
{
    QFETCH(int, seed);
    QFETCH(Vec2, theta);
    const auto data = generated(false, std::uint64_t(seed));
    const LinearRegressionObjective objective(data);
    // The closed form, summed here sample by sample: 2 [[mean x^2, mean x], [mean x, 1]].
    double meanSquare = 0, mean = 0;
    for (double x : data->x) {
        meanSquare += x * x;
        mean += x;
    }
    meanSquare /= double(data->size());
    mean /= double(data->size());
    QVERIFY2(closeMatrices(objective.hessian(theta), matrix(2 * meanSquare, 2 * mean, 2), 1e-12), qPrintable(describe(objective.hessian(theta))));
    checkAgainstDifferences(objective, theta);
}

void TestHessian::logisticRegressionMatchesDifferences_data()
{
    QTest::addColumn<int>("seed");
    QTest::addColumn<Vec2>("theta");
    QTest::newRow("seed 1 at (0, 0)") << 1 << Vec2(0, 0);
    QTest::newRow("seed 2 at (1.5, -0.5)") << 2 << Vec2(1.5, -0.5);
    QTest::newRow("seed 3 at (-4, 2)") << 3 << Vec2(-4, 2);
    QTest::newRow("seed 4 at (20, 3): saturated") << 4 << Vec2(20, 3);
}

void TestHessian::logisticRegressionMatchesDifferences()
{
    QFETCH(int, seed);
    QFETCH(Vec2, theta);
    const LogisticRegressionObjective objective(generated(true, std::uint64_t(seed)));
    checkAgainstDifferences(objective, theta);
    // Cross-entropy is convex: the Hessian is positive semi-definite (a mean of p (1 - p) v v^T).
    const Eigen::Matrix2d h = objective.hessian(theta);
    const double determinant = h(0, 0) * h(1, 1) - h(0, 1) * h(1, 0);
    QVERIFY(h(0, 0) >= 0 && h(1, 1) >= 0 && determinant >= -1e-12 * h.cwiseAbs().maxCoeff() * h.cwiseAbs().maxCoeff());
}

void TestHessian::formulasMatchDifferences_data()
{
    QTest::addColumn<QString>("formula");
    QTest::addColumn<Vec2>("theta");
    const char *formulas[] = {
        "x^2*y^3",
        "sin(x*y) + cos(x - 2*y)",
        "exp(0.3*x) * log(y)",
        "x^y",
        "2^x * y - y^x",
        "sqrt(x^2 + y^2 + 1)",
        "tan(0.3*x) + tanh(y)",
        "1/(1 + x^2 + y^2)",
        "(x - 1)^4 + abs(y)*y",
        "x^2.5 + y^-1",
        "log(1 + exp(x + 2*y)) / (x + 3)",
        "-(x*y)^3 + exp(-x^2 - y^2) * sin(3*x)",
        "(1 - x)^2 + 100*(y - x^2)^2",
    };
    // y > 0 and x > 0 throughout: log(y), x^y, x^2.5 and y^-1 are defined.
    const Vec2 points[] = {Vec2(0.7, 1.3), Vec2(1.5, 2.1), Vec2(0.3, 0.6)};
    for (const char *f : formulas)
        for (const Vec2 &p : points)
            QTest::newRow(qPrintable(QStringLiteral("%1 at (%2, %3)").arg(QLatin1String(f)).arg(p[0]).arg(p[1])))
                << QString::fromLatin1(f) << p;
}

void TestHessian::formulasMatchDifferences()
{
    QFETCH(QString, formula);
    QFETCH(Vec2, theta);
    ExpressionError error;
    auto expression = Expression::parse(formula.toStdString(), &error);
    QVERIFY2(expression, error.message.c_str());
    // Value and gradient of the second-order pass are the first-order evaluate()'s, to the bit.
    double dx, dy;
    const double value = expression->evaluate(theta[0], theta[1], &dx, &dy);
    const Expression::SecondOrder second = expression->evaluateSecondOrder(theta[0], theta[1]);
    QCOMPARE(second.value, value);
    QCOMPARE(second.dx, dx);
    QCOMPARE(second.dy, dy);
    const ExpressionObjective objective(std::move(*expression), ViewWindow{});
    checkAgainstDifferences(objective, theta);
}

void TestHessian::formulaHessianOfAPolynomial()
{
    // x^2 y^3 at (2, 3): [[2 y^3, 6 x y^2], [6 x y^2, 6 x^2 y]] = [[54, 108], [108, 72]], exactly.
    const auto expression = Expression::parse("x^2*y^3", nullptr);
    QVERIFY(expression);
    const Expression::SecondOrder f = expression->evaluateSecondOrder(2, 3);
    QCOMPARE(f.value, 108.0);
    QCOMPARE(f.dxx, 54.0);
    QCOMPARE(f.dxy, 108.0);
    QCOMPARE(f.dyy, 72.0);
}

void TestHessian::formulasAreNotFiniteWhereTheFunctionIsNot_data()
{
    QTest::addColumn<QString>("formula");
    QTest::addColumn<Vec2>("theta");
    QTest::addColumn<bool>("finite"); // dxx
    QTest::addColumn<double>("dyy"); // NaN: any non-finite value
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // Where f itself is not finite (log(x) for x < 0, 1/x at 0, exp overflowing) the whole Hessian is NaN. sqrt(x)
    // at 0 is finite but curves infinitely in x, and not at all in y, which stays 0 (the zero-factor rule of the
    // first-order pass).
    QTest::newRow("log(x) at x = -1") << "log(x) + y^2" << Vec2(-1, 2) << false << nan;
    QTest::newRow("sqrt(x) at x = 0") << "sqrt(x) + y" << Vec2(0, 1) << false << 0.0;
    QTest::newRow("1/x at x = 0") << "1/x" << Vec2(0, 1) << false << nan;
    QTest::newRow("exp overflows") << "exp(x*y)" << Vec2(30, 30) << false << nan;
    QTest::newRow("x^2 at 0 is fine") << "x^2 + y^2" << Vec2(0, 0) << true << 2.0;
}

void TestHessian::formulasAreNotFiniteWhereTheFunctionIsNot()
{
    QFETCH(QString, formula);
    QFETCH(Vec2, theta);
    QFETCH(bool, finite);
    QFETCH(double, dyy);
    const auto expression = Expression::parse(formula.toStdString(), nullptr);
    QVERIFY(expression);
    const Expression::SecondOrder f = expression->evaluateSecondOrder(theta[0], theta[1]);
    QCOMPARE(std::isfinite(f.dxx), finite);
    if (std::isnan(dyy))
        QVERIFY(!std::isfinite(f.dyy));
    else
        QCOMPARE(f.dyy, dyy);
}

QTEST_MAIN(TestHessian)
#include "tst_hessian.moc"
