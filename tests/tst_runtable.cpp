// The run table never prints a non-finite number: a run that overflowed shows a dash where its loss,
// gradient or parameters stopped being numbers, and says in words why it ended.

#include "AnalyticFunctions.h"
#include "Run.h"
#include "RunTable.h"

#include <QTableWidget>
#include <QTest>

#include <cmath>

using namespace gdviz;

class TestRunTable : public QObject {
    Q_OBJECT
private slots:
    void overflowedRunShowsNoNan();
};

void TestRunTable::overflowedRunShowsNoNan()
{
    // sgd at lr 1e6 on Rosenbrock from (0.7, 0.3), with the divergence bound out of the way: the parameters
    // grow like lr * 400 x^3 per update and the loss overflows to inf by the third.
    RunSettings settings;
    settings.name = "Wild";
    settings.optimizer.lr = 1e6;
    settings.start = Vec2(0.7, 0.3);
    StopRules stop;
    stop.divergenceBound = 1e300;
    Run run(std::make_shared<AnalyticObjective>(AnalyticKind::Rosenbrock, std::map<std::string, double>{}), settings, stop);
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::Diverged);
    const StepRecord &last = run.current();
    QVERIFY(!std::isfinite(last.loss) || !last.grad.allFinite()); // a record worth testing

    RunTable table;
    table.addRun(0, settings, Qt::blue, false);
    table.setStatus(0, last, run.status(), QString::fromStdString(run.statusReason()));
    const QTableWidget *cells = table.table();
    bool dash = false;
    for (int c = 0; c < cells->columnCount(); ++c) {
        const QTableWidgetItem *item = cells->item(0, c);
        if (!item)
            continue;
        const QString header = cells->horizontalHeaderItem(c)->text();
        if (header == QLatin1String("Status"))
            continue; // words: "DIVERGED: at update 3: the loss overflowed to infinity after ..."
        const QString text = item->text().toLower();
        QVERIFY2(!text.contains(QLatin1String("nan")) && !text.contains(QLatin1String("inf")), qPrintable(header + ": " + text));
        dash = dash || text == QStringLiteral("—");
    }
    QVERIFY(dash); // the non-finite value is shown as a dash
    const QString status = cells->item(0, cells->columnCount() - 1)->text();
    QVERIFY2(status.contains(QLatin1String("DIVERGED")) && (status.contains(QLatin1String("overflowed to infinity"))
                                                            || status.contains(QLatin1String("undefined here (NaN)"))),
             qPrintable(status));
}

QTEST_MAIN(TestRunTable)
#include "tst_runtable.moc"
