// Expression: the formula parser and its exact gradients. Every expected value is computed independently in
// this file (closed forms with <cmath>, central differences, hand-written derivatives), never by the parser.

#include "Expression.h"
#include "TestSupport.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

using namespace gdviz;

namespace {

// Declares `const Expression &name` parsed from formula; a formula that does not parse fails the test function
// (QVERIFY returns from it) instead of aborting the whole run.
#define PARSE(name, formula)                                                                                 \
    ExpressionError name##Error;                                                                             \
    const std::optional<Expression> name##Parsed = Expression::parse((formula).toStdString(), &name##Error); \
    QVERIFY2(name##Parsed, name##Error.message.c_str());                                                     \
    const Expression &name = *name##Parsed

QString full(double v) { return QString::number(v, 'g', 17); }

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Hand-written objectives and gradients: the reference for the automatic differentiation.
struct Analytic {
    double (*f)(double, double);
    Vec2 (*gradient)(double, double);
};

double rosenbrock(double x, double y) { return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x); }
Vec2 rosenbrockGradient(double x, double y) { return {-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)}; }

double beale(double x, double y)
{
    const double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
    return a * a + b * b + c * c;
}
Vec2 bealeGradient(double x, double y)
{
    const double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
    return {2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1),
            2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y * y};
}

double himmelblau(double x, double y)
{
    const double a = x * x + y - 11, b = x + y * y - 7;
    return a * a + b * b;
}
Vec2 himmelblauGradient(double x, double y)
{
    const double a = x * x + y - 11, b = x + y * y - 7;
    return {4 * a * x + 2 * b, 2 * a + 4 * b * y};
}

double quadratic(double x, double y) { return 0.5 * (1 * x * x + 10 * y * y); }
Vec2 quadraticGradient(double x, double y) { return {x, 10 * y}; }

} // namespace

Q_DECLARE_METATYPE(Analytic)

class TestExpression : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void values_data();
    void values();
    void gradientsMatchCentralDifferences_data();
    void gradientsMatchCentralDifferences();
    void gradientsAtSpecialPoints_data();
    void gradientsAtSpecialPoints();
    void gradientsMatchHandWrittenDerivatives_data();
    void gradientsMatchHandWrittenDerivatives();
    void gradientDescentTrajectoryMatches_data();
    void gradientDescentTrajectoryMatches();
    void evaluateManyMatchesEvaluate_data();
    void evaluateManyMatchesEvaluate();
    void syntaxErrors_data();
    void syntaxErrors();
    void deepNestingIsRejected_data();
    void deepNestingIsRejected();
    void ieeeResultsAreReturned_data();
    void ieeeResultsAreReturned();
    void copiesEvaluateTheSame();
};

void TestExpression::values_data()
{
    QTest::addColumn<QString>("formula");
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("y");
    QTest::addColumn<double>("expected");

    const double x = 0.7, y = -1.3;
    using std::numbers::e, std::numbers::pi;
    QTest::newRow("sum and difference") << "x + y - 1" << x << y << x + y - 1;
    QTest::newRow("left-associative minus") << "x - y - 1" << x << y << (x - y) - 1;
    QTest::newRow("left-associative divide") << "x / y / 2" << x << y << (x / y) / 2;
    QTest::newRow("product before sum") << "2*x + 3*y" << x << y << 2 * x + 3 * y;
    QTest::newRow("parentheses") << "(x + y)*(x - y)" << x << y << (x + y) * (x - y);
    QTest::newRow("power is right-associative") << "2^3^2" << x << y << 512.0;
    QTest::newRow("minus binds looser than power") << "-x^2" << 3.0 << y << -9.0;
    QTest::newRow("minus literal before power") << "-2^2" << x << y << -4.0;
    QTest::newRow("negative base in parentheses") << "(-2)^2" << x << y << 4.0;
    QTest::newRow("minus after power") << "2^-1" << x << y << 0.5;
    QTest::newRow("variable power") << "x^y" << 2.0 << 0.5 << std::pow(2.0, 0.5);
    QTest::newRow("non-integer constant power") << "x^1.5" << x << y << std::pow(x, 1.5);
    QTest::newRow("unary plus and double minus") << "+x - -y" << x << y << x + y;
    QTest::newRow("sin cos") << "sin(x) + cos(y)" << x << y << std::sin(x) + std::cos(y);
    QTest::newRow("tan exp") << "tan(x) * exp(y)" << x << y << std::tan(x) * std::exp(y);
    QTest::newRow("log sqrt") << "log(x) + sqrt(-y)" << x << y << std::log(x) + std::sqrt(-y);
    QTest::newRow("abs tanh") << "abs(y) - tanh(y)" << x << y << std::abs(y) - std::tanh(y);
    QTest::newRow("nested functions") << "sin(cos(x)^2)" << x << y << std::sin(std::cos(x) * std::cos(x));
    QTest::newRow("constants") << "pi * e" << x << y << pi * e;
    QTest::newRow("e as base") << "e^x" << x << y << std::pow(e, x);
    QTest::newRow("number formats") << "1 + 1.5 + .5 + 5. + 1e-3 + 2.5E+4 + 3e2" << x << y
                                    << 1 + 1.5 + .5 + 5. + 1e-3 + 2.5E+4 + 3e2;
    QTest::newRow("whitespace everywhere") << " \t x\n*\r( y +1 ) " << x << y << x * (y + 1);
    QTest::newRow("no whitespace") << "x*(y+1)-2/x" << x << y << x * (y + 1) - 2 / x;
    QTest::newRow("quadratic bowl") << "0.5*(1*x^2 + 10*y^2)" << x << y << quadratic(x, y);
}

void TestExpression::values()
{
    QFETCH(QString, formula);
    QFETCH(double, x);
    QFETCH(double, y);
    QFETCH(double, expected);
    PARSE(expression, formula);
    QCOMPARE(QString::fromStdString(expression.text()), formula);
    const double value = expression.evaluate(x, y);
    QVERIFY2(test::closeRelative(value, expected, 1e-14), qPrintable(full(value) + " vs " + full(expected)));
    double dx = 0, dy = 0;
    QVERIFY(sameBits(expression.evaluate(x, y, &dx, &dy), value)); // asking for the gradient changes nothing
}

void TestExpression::gradientsMatchCentralDifferences_data()
{
    QTest::addColumn<QString>("formula");
    QTest::addColumn<double>("low");  // points are drawn uniformly from [low, high]^2,
    QTest::addColumn<double>("high"); // where the formula is smooth

    QTest::newRow("add sub") << "x + 2*y - 3" << -3.0 << 3.0;
    QTest::newRow("mul") << "x*y*x" << -3.0 << 3.0;
    QTest::newRow("div") << "x / y" << 0.5 << 3.0;
    QTest::newRow("neg") << "-(x*y) + -x" << -3.0 << 3.0;
    QTest::newRow("variable power") << "x^y" << 0.5 << 2.0;
    QTest::newRow("constant base power") << "3^(x*y)" << -1.0 << 1.0;
    QTest::newRow("constant power") << "y^3 - x^-2 + x^2.5" << 0.5 << 2.0;
    QTest::newRow("sin") << "sin(x*y)" << -2.0 << 2.0;
    QTest::newRow("cos") << "cos(x + 2*y)" << -2.0 << 2.0;
    QTest::newRow("tan") << "tan(x) * y" << -1.2 << 1.2;
    QTest::newRow("exp") << "exp(x - y^2)" << -1.5 << 1.5;
    QTest::newRow("log") << "log(x) * y + log(y)" << 0.2 << 3.0;
    QTest::newRow("sqrt") << "sqrt(x*x + y)" << 0.5 << 3.0;
    QTest::newRow("abs") << "abs(x - 0.1234567) * y" << -2.0 << 2.0;
    QTest::newRow("tanh") << "tanh(x*y)" << -2.0 << 2.0;
    QTest::newRow("constants") << "pi*x^2 - e*y" << -2.0 << 2.0;
    QTest::newRow("composition") << "sin(x)*cos(y) + 0.1*x^2" << -3.0 << 3.0;
}

void TestExpression::gradientsMatchCentralDifferences()
{
    QFETCH(QString, formula);
    QFETCH(double, low);
    QFETCH(double, high);
    PARSE(expression, formula);
    std::mt19937_64 rng(20240611);
    std::uniform_real_distribution<double> coordinate(low, high);
    for (int i = 0; i < 50; ++i) {
        const Vec2 at(coordinate(rng), coordinate(rng));
        Vec2 exact;
        expression.evaluate(at.x(), at.y(), &exact.x(), &exact.y());
        const auto f = [&](const Vec2 &p) { return expression.evaluate(p.x(), p.y()); };
        const Vec2 numeric = test::centralDifference(f, at);
        for (int k = 0; k < 2; ++k)
            QVERIFY2(test::closeRelative(exact[k], numeric[k], 1e-6, 1e-7),
                     qPrintable(QString("at (%1, %2) partial %3: %4 vs central difference %5")
                                    .arg(at.x()).arg(at.y()).arg(k).arg(full(exact[k]), full(numeric[k]))));
    }
}

void TestExpression::gradientsAtSpecialPoints_data()
{
    QTest::addColumn<QString>("formula");
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("y");
    QTest::addColumn<double>("dfdx"); // NaN means any NaN
    QTest::addColumn<double>("dfdy");
    constexpr double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    // A constant exponent uses k a^(k-1) a', with no log(a): fine at 0 and for negative bases.
    QTest::newRow("square at 0") << "x^2" << 0.0 << 0.0 << 0.0 << 0.0;
    QTest::newRow("cube of a negative") << "x^3" << -2.0 << 0.0 << 12.0 << 0.0;
    QTest::newRow("constant folded exponent") << "(y - x)^(4/2)" << 1.0 << -2.0 << 6.0 << -6.0;
    QTest::newRow("zeroth power at 0") << "x^0" << 0.0 << 0.0 << 0.0 << 0.0;
    QTest::newRow("abs at 0") << "abs(x)" << 0.0 << 0.0 << 0.0 << 0.0;
    QTest::newRow("abs of a negative") << "abs(x)" << -3.0 << 0.0 << -1.0 << 0.0;
    QTest::newRow("sqrt at 0") << "sqrt(x) + y" << 0.0 << 1.0 << inf << 1.0;
    QTest::newRow("constant base") << "2^x" << 3.0 << 0.0 << 8 * std::log(2.0) << 0.0;
    // A variable exponent uses a^b (b' log a + b a'/a): the log term only where b depends on the variable.
    QTest::newRow("variable exponent, negative base") << "x^y" << -2.0 << 2.0 << -4.0 << nan;
    QTest::newRow("variable exponent") << "x^y" << 2.0 << 3.0 << 12.0 << 8 * std::log(2.0);
    QTest::newRow("0/0 does not depend on y") << "x/x" << 0.0 << 5.0 << nan << 0.0;
}

void TestExpression::gradientsAtSpecialPoints()
{
    QFETCH(QString, formula);
    QFETCH(double, x);
    QFETCH(double, y);
    QFETCH(double, dfdx);
    QFETCH(double, dfdy);
    PARSE(expression, formula);
    Vec2 g(-99, -99);
    expression.evaluate(x, y, &g.x(), &g.y());
    const double expected[] = {dfdx, dfdy};
    for (int k = 0; k < 2; ++k) {
        if (std::isnan(expected[k]))
            QVERIFY2(std::isnan(g[k]), qPrintable(full(g[k])));
        else if (std::isinf(expected[k])) // closeRelative() calls anything huge close to an infinity
            QCOMPARE(g[k], expected[k]);
        else
            QVERIFY2(test::closeRelative(g[k], expected[k], 1e-15), qPrintable(full(g[k]) + " vs " + full(expected[k])));
    }
}

void TestExpression::gradientsMatchHandWrittenDerivatives_data()
{
    QTest::addColumn<QString>("formula");
    QTest::addColumn<Analytic>("analytic");
    QTest::newRow("rosenbrock") << "(1 - x)^2 + 100*(y - x^2)^2" << Analytic{rosenbrock, rosenbrockGradient};
    QTest::newRow("beale") << "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2"
                           << Analytic{beale, bealeGradient};
    QTest::newRow("himmelblau") << "(x^2 + y - 11)^2 + (x + y^2 - 7)^2" << Analytic{himmelblau, himmelblauGradient};
    QTest::newRow("quadratic") << "0.5*(1*x^2 + 10*y^2)" << Analytic{quadratic, quadraticGradient};
}

void TestExpression::gradientsMatchHandWrittenDerivatives()
{
    QFETCH(QString, formula);
    QFETCH(Analytic, analytic);
    PARSE(expression, formula);
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> coordinate(-4.5, 4.5);
    for (int i = 0; i < 1000; ++i) {
        const double x = coordinate(rng), y = coordinate(rng);
        Vec2 g;
        const double value = expression.evaluate(x, y, &g.x(), &g.y());
        const double f = analytic.f(x, y);
        const Vec2 expected = analytic.gradient(x, y);
        QVERIFY(test::closeRelative(value, f, 1e-12));
        // Where the gradient's terms cancel, rounding is relative to the terms, which are O(1 + f).
        const double floor = 1e-12 * (1 + std::abs(f));
        for (int k = 0; k < 2; ++k)
            QVERIFY2(test::closeRelative(g[k], expected[k], 1e-12, floor),
                     qPrintable(QString("at (%1, %2): %3 vs %4").arg(x).arg(y).arg(full(g[k]), full(expected[k]))));
    }
    QVERIFY(test::closeRelative(expression.evaluate(1, 1), analytic.f(1, 1), 1e-12));
}

void TestExpression::gradientDescentTrajectoryMatches_data()
{
    QTest::addColumn<QString>("formula");
    QTest::addColumn<Analytic>("analytic");
    QTest::addColumn<double>("learningRate");
    QTest::addColumn<double>("x0");
    QTest::addColumn<double>("y0");
    QTest::newRow("quadratic") << "0.5*(1*x^2 + 10*y^2)" << Analytic{quadratic, quadraticGradient} << 0.15 << -4.0
                               << 2.0;
    QTest::newRow("rosenbrock") << "(1 - x)^2 + 100*(y - x^2)^2" << Analytic{rosenbrock, rosenbrockGradient} << 1e-3
                                << -1.5 << 2.0;
}

void TestExpression::gradientDescentTrajectoryMatches()
{
    QFETCH(QString, formula);
    QFETCH(Analytic, analytic);
    QFETCH(double, learningRate);
    QFETCH(double, x0);
    QFETCH(double, y0);
    const Vec2 start(x0, y0);
    PARSE(expression, formula);
    Vec2 mine = start, reference = start;
    for (int step = 0; step < 2000; ++step) {
        Vec2 g;
        expression.evaluate(mine.x(), mine.y(), &g.x(), &g.y());
        mine -= learningRate * g;
        reference -= learningRate * analytic.gradient(reference.x(), reference.y());
        for (int k = 0; k < 2; ++k)
            QVERIFY2(test::closeRelative(mine[k], reference[k], 1e-12, 1e-12),
                     qPrintable(QString("step %1: %2 vs %3").arg(step).arg(full(mine[k]), full(reference[k]))));
    }
    QVERIFY((mine - start).norm() > 0.5); // the runs went somewhere
}

void TestExpression::evaluateManyMatchesEvaluate_data()
{
    QTest::addColumn<QString>("formula");
    QTest::addColumn<int>("count");
    QTest::newRow("rosenbrock, 1000 points") << "(1-x)^2+100*(y-x^2)^2" << 1000;
    QTest::newRow("every operator") << "x + y - x*y / (y - 0.5) + x^y - -x + 2^x^0.5" << 777;
    QTest::newRow("every function") << "sin(x)+cos(y)+tan(x*y)+exp(y)+log(x)+sqrt(y)+abs(x)+tanh(x)" << 600;
    QTest::newRow("non-finite results") << "log(x) / y + 1/(x - x)" << 300;
    QTest::newRow("constant") << "2^10 - pi" << 300;
    QTest::newRow("one block exactly") << "x*y" << 256;
    QTest::newRow("one point") << "sin(x)*cos(y)+0.1*x^2" << 1;
    QTest::newRow("no point") << "x" << 0;
}

void TestExpression::evaluateManyMatchesEvaluate()
{
    QFETCH(QString, formula);
    QFETCH(int, count);
    PARSE(expression, formula);
    std::mt19937_64 rng(99);
    std::uniform_real_distribution<double> coordinate(-3, 3);
    std::vector<double> xs(count), ys(count), out(count, 12345.0);
    for (int i = 0; i < count; ++i) {
        xs[i] = coordinate(rng);
        ys[i] = coordinate(rng);
    }
    if (count > 3) { // the special points: zeros and an infinity
        xs[0] = 0;
        ys[1] = 0;
        xs[2] = std::numeric_limits<double>::infinity();
    }
    expression.evaluateMany(xs, ys, out);
    for (int i = 0; i < count; ++i) {
        const double single = expression.evaluate(xs[i], ys[i]);
        QVERIFY2(sameBits(out[i], single) || (std::isnan(out[i]) && std::isnan(single)),
                 qPrintable(QString("point %1: %2 vs %3").arg(i).arg(full(out[i]), full(single))));
    }
}

void TestExpression::syntaxErrors_data()
{
    QTest::addColumn<QString>("formula");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("message"); // a part of the message

    QTest::newRow("empty") << "" << 0 << "empty formula";
    QTest::newRow("blank") << "   " << 0 << "empty formula";
    QTest::newRow("dangling operator") << "x +" << 3 << "unexpected end of formula";
    QTest::newRow("unclosed parenthesis") << "(x" << 2 << "expected ')' to close the '(' at position 1";
    QTest::newRow("unclosed function") << "x * sin(y" << 9 << "expected ')' to close the '(' at position 8";
    QTest::newRow("unmatched parenthesis") << "x)" << 1 << "')' without a matching '('";
    QTest::newRow("unknown function") << "sn(x)" << 0 << "unknown name 'sn'";
    QTest::newRow("unknown variable") << "x + z" << 4 << "unknown name 'z'";
    QTest::newRow("capitalized") << "Sin(x)" << 0 << "unknown name 'Sin'";
    QTest::newRow("implicit multiplication") << "2x" << 1 << "expected an operator between '2' and 'x'";
    QTest::newRow("juxtaposed variables") << "x y" << 2 << "expected an operator between 'x' and 'y'";
    QTest::newRow("juxtaposed parentheses") << "(x)(y)" << 3 << "expected an operator between ')' and '('";
    QTest::newRow("inside parentheses") << "(2 pi)" << 3 << "expected an operator between '2' and 'pi'";
    QTest::newRow("unexpected character") << "x # y" << 2 << "unexpected character '#'";
    QTest::newRow("non-ASCII character") << "2 × x" << 2 << "unexpected character '×'";
    QTest::newRow("locale comma") << "1,5" << 1 << "unexpected character ','";
    QTest::newRow("function without parentheses") << "sin x" << 4 << "'sin' needs an argument in parentheses";
    QTest::newRow("function at the end") << "1 + sqrt" << 8 << "'sqrt' needs an argument in parentheses";
    QTest::newRow("empty argument") << "sin()" << 4 << "expected a value but found ')'";
    QTest::newRow("two operators") << "x + * y" << 4 << "expected a value but found '*'";
    QTest::newRow("python power") << "x**2" << 1 << "write powers with ^";
    QTest::newRow("exponent without digits") << "1e" << 0 << "malformed number '1e'";
    QTest::newRow("exponent sign without digits") << "1e+ 2" << 0 << "malformed number '1e+'";
    QTest::newRow("two dots") << "..5" << 0 << "malformed number '..5'";
    QTest::newRow("two decimal points") << "x + 1.2.3" << 4 << "malformed number '1.2.3'";
    QTest::newRow("lone dot") << "x * ." << 4 << "malformed number '.'";
    QTest::newRow("number too large") << "1e999 * x" << 0 << "number '1e999' is out of range";
    QTest::newRow("hexadecimal") << "0x10" << 1 << "expected an operator between '0' and 'x10'";
}

void TestExpression::syntaxErrors()
{
    QFETCH(QString, formula);
    QFETCH(int, position);
    QFETCH(QString, message);
    ExpressionError error;
    const QByteArray utf8 = formula.toUtf8();
    QVERIFY(!Expression::parse(std::string_view(utf8.constData(), utf8.size()), &error));
    QVERIFY2(QString::fromStdString(error.message).contains(message), error.message.c_str());
    QCOMPARE(error.position, std::size_t(position));
    QVERIFY(!Expression::parse(std::string_view(utf8.constData(), utf8.size()), nullptr)); // no error to fill: no crash
}

void TestExpression::deepNestingIsRejected_data()
{
    // Nesting is bounded (200 levels) so that parsing never overflows the stack; since formulas are at most 500
    // characters (maxFormulaCharacters), deeper text is mostly refused for its length first, before any parsing.
    QTest::addColumn<QString>("formula");
    QTest::addColumn<QString>("refusal"); // a piece of the message; empty: accepted
    QTest::newRow("100 parentheses") << QString(100, '(') + "x" + QString(100, ')') << QString();
    QTest::newRow("201 parentheses") << QString(201, '(') + "x" + QString(201, ')') << "nested too deeply";
    QTest::newRow("250 open parentheses") << QString(250, '(') << "nested too deeply";
    QTest::newRow("300 minus signs") << QString(300, '-') + "x" << "nested too deeply";
    QTest::newRow("201 powers") << QString("x^").repeated(201) + "x" << "nested too deeply";
    QTest::newRow("10000 parentheses") << QString(10000, '(') + "x" + QString(10000, ')') << "formula too long";
    QTest::newRow("10000 minus signs") << QString(10000, '-') + "x" << "formula too long";
    QTest::newRow("10000 functions") << QString("sin(").repeated(10000) + "x" + QString(10000, ')') << "formula too long";
    QTest::newRow("long flat sum") << QString("x+").repeated(249) + "x" << QString();
}

void TestExpression::deepNestingIsRejected()
{
    QFETCH(QString, formula);
    QFETCH(QString, refusal);
    ExpressionError error;
    const std::optional<Expression> expression = Expression::parse(formula.toStdString(), &error);
    QCOMPARE(expression.has_value(), refusal.isEmpty());
    if (expression)
        QVERIFY(std::isfinite(expression->evaluate(0.5, 0.5)));
    else
        QVERIFY2(error.message.find(refusal.toStdString()) != std::string::npos, error.message.c_str());
}

void TestExpression::ieeeResultsAreReturned_data()
{
    QTest::addColumn<QString>("formula");
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("expected"); // NaN means any NaN
    constexpr double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("1/0") << "1/0" << 0.0 << inf;
    QTest::newRow("-1/0") << "-1/0" << 0.0 << -inf;
    QTest::newRow("1/x at 0") << "1/x" << 0.0 << inf;
    QTest::newRow("0/0") << "x/x" << 0.0 << nan;
    QTest::newRow("log(-1)") << "log(-1)" << 0.0 << nan;
    QTest::newRow("log(x) at -1") << "log(x)" << -1.0 << nan;
    QTest::newRow("log(0)") << "log(x)" << 0.0 << -inf;
    QTest::newRow("sqrt(-1)") << "sqrt(x)" << -1.0 << nan;
    QTest::newRow("exp(1000)") << "exp(1000)" << 0.0 << inf;
    QTest::newRow("exp(x) at 1000") << "exp(x)" << 1000.0 << inf;
    QTest::newRow("fractional power of a negative") << "x^0.5" << -4.0 << nan;
    QTest::newRow("0^0") << "x^0" << 0.0 << 1.0;
    QTest::newRow("overflowing square") << "x^2" << 1e200 << inf;
}

void TestExpression::ieeeResultsAreReturned()
{
    QFETCH(QString, formula);
    QFETCH(double, x);
    QFETCH(double, expected);
    PARSE(expression, formula);
    double dx = 0, dy = 0;
    const double value = expression.evaluate(x, 0.0, &dx, &dy);
    double many = 0;
    expression.evaluateMany(std::span(&x, 1), std::span(&x, 1), std::span(&many, 1));
    if (std::isnan(expected)) {
        QVERIFY(std::isnan(value));
        QVERIFY(std::isnan(many));
    } else {
        QCOMPARE(value, expected);
        QCOMPARE(many, expected);
    }
    QCOMPARE(dy, 0.0); // nothing depends on y, whatever x does
}

void TestExpression::copiesEvaluateTheSame()
{
    PARSE(original, QString("x^2*y + sin(y)"));
    Expression copy = original;
    QCOMPARE(copy.text(), original.text());
    QVERIFY(sameBits(copy.evaluate(1.25, -0.5), original.evaluate(1.25, -0.5)));
    Expression assigned = *Expression::parse("x", nullptr);
    assigned = copy;
    Expression moved = std::move(copy);
    QVERIFY(sameBits(moved.evaluate(1.25, -0.5), assigned.evaluate(1.25, -0.5)));
    QCOMPARE(moved.evaluate(2, 3), 2.0 * 2.0 * 3 + std::sin(3.0));
}

QTEST_APPLESS_MAIN(TestExpression)
#include "tst_expression.moc"
