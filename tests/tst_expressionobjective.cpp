// A typed formula gives the same trajectory as the named function it spells out, to 1e-12.

#include "AnalyticFunctions.h"
#include "ExpressionObjective.h"
#include "Run.h"
#include "TestSupport.h"

#include <QTest>

using namespace gdviz;

class TestExpressionObjective : public QObject {
    Q_OBJECT
private slots:
    void sameTrajectoryAsNamedFunction_data();
    void sameTrajectoryAsNamedFunction();
};

void TestExpressionObjective::sameTrajectoryAsNamedFunction_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("formula");
    QTest::addColumn<double>("lr");
    QTest::addColumn<double>("x0");
    QTest::addColumn<double>("y0");
    QTest::newRow("quadratic") << "quadratic" << "0.5*(1*x^2 + 10*y^2)" << 0.05 << 2.0 << 1.5;
    QTest::newRow("rosenbrock") << "rosenbrock" << "(1 - x)^2 + 100*(y - x^2)^2" << 0.001 << -1.5 << 2.0;
    QTest::newRow("beale") << "beale" << "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2" << 0.002 << 1.0 << 1.0;
    QTest::newRow("himmelblau") << "himmelblau" << "(x^2 + y - 11)^2 + (x + y^2 - 7)^2" << 0.01 << 0.5 << 0.5;
    QTest::newRow("booth") << "booth" << "(x + 2*y - 7)^2 + (2*x + y - 5)^2" << 0.02 << -5.0 << 5.0;
    QTest::newRow("matyas") << "matyas" << "0.26*(x^2 + y^2) - 0.48*x*y" << 0.5 << 6.0 << -4.0;
    QTest::newRow("three_hump_camel") << "three_hump_camel" << "2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2" << 0.05 << 1.5 << 1.0;
    QTest::newRow("six_hump_camel") << "six_hump_camel" << "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2" << 0.02 << 1.0 << 0.5;
    QTest::newRow("rastrigin") << "rastrigin" << "20 + (x^2 - 10*cos(2*pi*x)) + (y^2 - 10*cos(2*pi*y))" << 0.002 << 0.3 << -0.2;
    QTest::newRow("ackley") << "ackley" << "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20" << 0.01 << 1.3 << 0.8;
    QTest::newRow("styblinski_tang") << "styblinski_tang" << "0.5*((x^4 - 16*x^2 + 5*x) + (y^4 - 16*y^2 + 5*y))" << 0.01 << 0.5 << -1.0;
    QTest::newRow("goldstein_price") << "goldstein_price"
                                     << "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))"
                                     << 1e-5 << 0.2 << -0.8;
    QTest::newRow("saddle") << "saddle" << "x^2 - y^2" << 0.05 << 1.0 << 1e-3;
}

void TestExpressionObjective::sameTrajectoryAsNamedFunction()
{
    QFETCH(QString, name);
    QFETCH(QString, formula);
    QFETCH(double, lr);
    QFETCH(double, x0);
    QFETCH(double, y0);
    ExpressionError error;
    auto expression = Expression::parse(formula.toStdString(), &error);
    QVERIFY2(expression, error.message.c_str());
    auto typed = std::make_shared<ExpressionObjective>(std::move(*expression), ViewWindow{});
    auto named = std::make_shared<AnalyticObjective>(findAnalyticFunction(name.toStdString())->kind, std::map<std::string, double>{});
    StopRules stop;
    stop.maxSteps = 300;
    // The two objectives have different default views; an absolute bound replaces the view rule
    // (StopRules.h) so that both runs stop by the same rule, and the saddle runs long enough (y grows
    // 1.1-fold per update from 1e-3: beyond 1e6 after 218 updates).
    stop.divergenceBound = 1e6;
    for (OptimizerKind kind : {OptimizerKind::Sgd, OptimizerKind::Adam}) {
        RunSettings s;
        s.optimizer = OptimizerSettings::defaultsFor(kind);
        s.optimizer.lr = lr;
        s.start = Vec2(x0, y0);
        Run a(typed, s, stop), b(named, s, stop);
        while (a.isRunning() && b.isRunning()) {
            const StepRecord &ra = a.step(), &rb = b.step();
            for (int k = 0; k < 2; ++k)
                QVERIFY2(test::closeRelative(ra.theta[k], rb.theta[k], 1e-12, 1e-15),
                         qPrintable(QStringLiteral("step %1: %2 vs %3").arg(ra.step).arg(ra.theta[k], 0, 'g', 17).arg(rb.theta[k], 0, 'g', 17)));
            QVERIFY(test::closeRelative(ra.loss, rb.loss, 1e-12, 1e-15));
        }
        QCOMPARE(a.status(), b.status());
        QCOMPARE(a.current().step, b.current().step);
        QVERIFY(a.current().step >= 200); // long enough for rounding differences to have grown
    }
}

QTEST_APPLESS_MAIN(TestExpressionObjective)
#include "tst_expressionobjective.moc"
