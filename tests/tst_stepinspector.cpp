// The step inspector: the numbers it shows are the engine's, to the last bit (each number's tooltip, read back as a
// double, against the record the engine writes when it makes the update, and against a Run stepped on its own);
// its state rows are the rule's quantities under torch's names; it shows the first update before it happens, a
// diverged run's reason, an ended run's would-be update, and only answers about its own run. In the window it
// sits in a dock beside the controls and follows single steps and the selection.

#include "StepInspector.h"

#include "DescentEngine.h"
#include "Run.h"
#include "ScenarioReader.h"
#include "WindowTestSupport.h"

#include <QDockWidget>
#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace gdviz;

namespace {

Scenario scenarioFrom(const QString &json)
{
    std::string error;
    auto s = parseScenario(json.toStdString(), "test.json", "", &error);
    if (!s)
        qFatal("%s", error.c_str());
    return *s;
}

/// One run on a linear regression of 120 generated points, or on Beale's function (analytic).
QString oneRun(const QString &objective, const QString &run)
{
    const QString data = QStringLiteral(R"({"kind": "linear_regression", "data": {"generate": {"n": 120, "noise": 0.7, "seed": 4}}})");
    return QStringLiteral(R"({"objective": %1, "runs": [%2], "stop": {"max_steps": 1000}})")
        .arg(objective == QLatin1String("data") ? data : QStringLiteral(R"({"kind": "%1"})").arg(objective), run);
}

/// The number the panel holds to full precision (its tooltip), as a double; NaN when none is shown.
double shown(const StepInspector &inspector, const QString &key)
{
    bool ok = false;
    const double value = inspector.fullPrecision(key).toDouble(&ok);
    return ok ? value : std::nan("");
}

bool anyLabelSays(const QWidget &widget, const QString &text)
{
    for (const QLabel *label : widget.findChildren<QLabel *>())
        if (label->text().contains(text))
            return true;
    return false;
}

} // namespace

class TestStepInspector : public QObject {
    Q_OBJECT
private slots:
    void showsTheEnginesNextUpdate_data();
    void showsTheEnginesNextUpdate();
    void ignoresAnswersAboutOtherRuns();
    void divergedRunSaysWhyInRed();
    void endedRunShowsTheUpdateItWouldMake();
    void numbersReadRounded();
    void windowFollowsSelectionAndSteps();
};

void TestStepInspector::showsTheEnginesNextUpdate_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<int>("stepsBefore");
    QTest::addColumn<QStringList>("stateNames"); // torch's optimizer.state[p] keys for these settings (1.13)
    QTest::addColumn<QString>("samples");

    struct Case {
        const char *name;
        QString json;
        QStringList state;
        QString samples;
    };
    const Case cases[] = {
        {"sgd-momentum-minibatch",
         oneRun(QStringLiteral("data"), QStringLiteral(R"({"name": "SGD", "optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "batch_size": 8, "seed": 3, "start": [-2, 3]})")),
         {QStringLiteral("momentum_buffer")}, QStringLiteral("batch of 8: samples ")},
        {"sgd-nesterov-wd-full",
         oneRun(QStringLiteral("data"), QStringLiteral(R"({"name": "NAG", "optimizer": "sgd", "lr": 0.05, "momentum": 0.8, "nesterov": true, "weight_decay": 0.01, "batch_size": "full", "start": [-2, 3]})")),
         {QStringLiteral("momentum_buffer")}, QStringLiteral("all 120 samples")},
        {"adam-beale",
         oneRun(QStringLiteral("beale"), QStringLiteral(R"({"name": "Adam", "optimizer": "adam", "lr": 0.01, "start": [1, 1.5]})")),
         {QStringLiteral("exp_avg"), QStringLiteral("exp_avg_sq")}, QStringLiteral("analytic gradient")},
        {"adam-amsgrad-stochastic",
         oneRun(QStringLiteral("data"), QStringLiteral(R"({"name": "AMSGrad", "optimizer": "adam", "lr": 0.05, "amsgrad": true, "batch_size": 1, "seed": 9, "start": [-2, 3]})")),
         {QStringLiteral("exp_avg"), QStringLiteral("exp_avg_sq"), QStringLiteral("max_exp_avg_sq")}, QStringLiteral("one sample: sample ")},
        {"rmsprop-centered-momentum",
         oneRun(QStringLiteral("beale"), QStringLiteral(R"({"name": "RMSprop", "optimizer": "rmsprop", "lr": 0.005, "centered": true, "momentum": 0.5, "weight_decay": 0.01, "start": [1, 1.5]})")),
         {QStringLiteral("square_avg"), QStringLiteral("momentum_buffer"), QStringLiteral("grad_avg")}, QStringLiteral("analytic gradient")},
        {"adagrad-lr-decay",
         oneRun(QStringLiteral("booth"), QStringLiteral(R"({"name": "Adagrad", "optimizer": "adagrad", "lr": 0.5, "lr_decay": 0.1, "initial_accumulator_value": 0.2, "start": [-4, 5]})")),
         {QStringLiteral("sum")}, QStringLiteral("analytic gradient")},
        {"nadam-minibatch",
         oneRun(QStringLiteral("data"), QStringLiteral(R"({"name": "NAdam", "optimizer": "nadam", "lr": 0.05, "batch_size": 16, "seed": 2, "start": [-2, 3]})")),
         {QStringLiteral("mu_product"), QStringLiteral("exp_avg"), QStringLiteral("exp_avg_sq")}, QStringLiteral("batch of 16: samples ")},
    };
    for (const Case &c : cases)
        for (const int steps : {0, 1, 4})
            QTest::addRow("%s-at-step-%d", c.name, steps) << c.json << steps << c.state << c.samples;
}

void TestStepInspector::showsTheEnginesNextUpdate()
{
    QFETCH(QString, json);
    QFETCH(int, stepsBefore);
    QFETCH(QStringList, stateNames);
    QFETCH(QString, samples);
    const Scenario scenario = scenarioFrom(json);
    const RunSettings &settings = scenario.runs.front();

    DescentEngine engine;
    StepInspector inspector;
    connect(&engine, &DescentEngine::updateExplained, &inspector, &StepInspector::showExplanation);
    QSignalSpy started(&engine, &DescentEngine::runStarted);
    engine.loadScenario(scenario);
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 10000);
    const RunId id = engine.runIds().front();
    inspector.setRun(id, QString::fromStdString(settings.name), QStringLiteral("x"), QStringLiteral("y"));
    for (int i = 0; i < stepsBefore; ++i)
        engine.step();
    QTRY_COMPARE_WITH_TIMEOUT(engine.trajectory(id).last().step, long(stepsBefore), 10000);

    // The same run stepped on its own: the reference for the state, which the engine keeps on its worker.
    Run reference(scenario.objective, settings, scenario.stop);
    for (int i = 0; i < stepsBefore; ++i)
        reference.step();
    const OptimizerState stateBefore = reference.optimizerState();
    const StepRecord before = reference.current();
    QCOMPARE(before.theta, engine.trajectory(id).last().theta);

    QSignalSpy explained(&engine, &DescentEngine::updateExplained);
    engine.requestUpdateExplanation(id);
    QTRY_COMPARE_WITH_TIMEOUT(explained.size(), 1, 10000);
    // Shown before the update happens: the run is still where it was.
    QCOMPARE(engine.trajectory(id).last().step, long(stepsBefore));
    QCOMPARE(inspector.title(), QStringLiteral("Update %1 of %2 (next)").arg(stepsBefore + 1).arg(QString::fromStdString(settings.name)));
    QVERIFY2(inspector.samplesText().startsWith(samples), qPrintable(inspector.samplesText()));

    for (int i = 0; i < 2; ++i)
        QCOMPARE(shown(inspector, QStringLiteral("theta.before.%1").arg(i)), before.theta[i]);
    QCOMPARE(shown(inspector, QStringLiteral("loss.before")), before.loss);
    const bool batches = samples.startsWith(QLatin1String("batch")) || samples.startsWith(QLatin1String("one"));
    for (int i = 0; i < 2; ++i) {
        if (batches) {
            // The full gradient is shown apart from the batch's, which differs from it.
            QCOMPARE(shown(inspector, QStringLiteral("fullGradient.%1").arg(i)), before.grad[i]);
        } else {
            QCOMPARE(shown(inspector, QStringLiteral("gradient.%1").arg(i)), before.grad[i]);
            QVERIFY(inspector.fullPrecision(QStringLiteral("fullGradient.%1").arg(i)).isEmpty());
        }
    }
    if (batches)
        QVERIFY(shown(inspector, QStringLiteral("gradient.0")) != before.grad[0] || shown(inspector, QStringLiteral("gradient.1")) != before.grad[1]);

    // The state rows: exactly the quantities torch keeps for these settings, in torch's order.
    QCOMPARE(inspector.stateNames(), stateNames);
    for (const StateQuantityInfo &q : optimizerInfo(settings.optimizer.kind).state) {
        const QString name = QString::fromStdString(q.name);
        QCOMPARE(inspector.stateNames().contains(name), q.keptWith(settings.optimizer));
        if (!inspector.stateNames().contains(name) || !q.heldIn(settings.optimizer, stateBefore))
            continue;
        if (q.scalar) {
            QCOMPARE(shown(inspector, QStringLiteral("state.%1.before").arg(name)), q.scalar(stateBefore));
        } else {
            for (int i = 0; i < 2; ++i)
                QCOMPARE(shown(inspector, QStringLiteral("state.%1.before.%2").arg(name).arg(i)), q.vector(stateBefore)[i]);
        }
    }
    if (stepsBefore == 0 && settings.optimizer.kind == OptimizerKind::Sgd) {
        // torch makes SGD's buffer at the first update: nothing to show before it.
        QVERIFY(inspector.fullPrecision(QStringLiteral("state.momentum_buffer.before.0")).isEmpty());
        QVERIFY(anyLabelSays(inspector, QStringLiteral("made at this update")));
    }

    // The update happens: what the engine records, and the reference's state, are what the panel showed.
    const StepRecord &after = reference.step();
    engine.step();
    QTRY_COMPARE_WITH_TIMEOUT(engine.trajectory(id).last().step, long(stepsBefore + 1), 10000);
    const StepRecord &recorded = engine.trajectory(id).last();
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(shown(inspector, QStringLiteral("theta.after.%1").arg(i)), recorded.theta[i]);
        QCOMPARE(shown(inspector, QStringLiteral("theta.after.%1").arg(i)), after.theta[i]);
    }
    QCOMPARE(shown(inspector, QStringLiteral("loss.after")), recorded.loss);
    QCOMPARE(shown(inspector, QStringLiteral("lr")), recorded.lr);
    if (batches)
        QCOMPARE(shown(inspector, QStringLiteral("batchLoss")), recorded.batchLoss);
    const OptimizerState &stateAfter = reference.optimizerState();
    for (const StateQuantityInfo &q : optimizerInfo(settings.optimizer.kind).state) {
        const QString name = QString::fromStdString(q.name);
        if (!q.heldIn(settings.optimizer, stateAfter))
            continue;
        QVERIFY2(inspector.stateNames().contains(name), qPrintable(name));
        if (q.scalar) {
            QCOMPARE(shown(inspector, QStringLiteral("state.%1.after").arg(name)), q.scalar(stateAfter));
        } else {
            for (int i = 0; i < 2; ++i)
                QCOMPARE(shown(inspector, QStringLiteral("state.%1.after.%2").arg(name).arg(i)), q.vector(stateAfter)[i]);
        }
    }
    // The formula names the rule's own quantities by the table's symbols and carries this update's t.
    QVERIFY2(inspector.formulaText().contains(QStringLiteral("t = %1").arg(stepsBefore + 1)), qPrintable(inspector.formulaText()));
}

void TestStepInspector::ignoresAnswersAboutOtherRuns()
{
    const Scenario scenario = scenarioFrom(oneRun(QStringLiteral("booth"), QStringLiteral(R"({"name": "A", "lr": 0.01, "start": [0, 0]})")));
    Run run(scenario.objective, scenario.runs.front(), scenario.stop);
    StepInspector inspector;
    inspector.setRun(4, QStringLiteral("A"), QStringLiteral("x"), QStringLiteral("y"));
    inspector.showExplanation(5, run.explainNextUpdate());
    QCOMPARE(inspector.title(), QStringLiteral("Next update of A"));
    QVERIFY(inspector.fullPrecision(QStringLiteral("theta.after.0")).isEmpty());
    inspector.showExplanation(4, run.explainNextUpdate());
    QCOMPARE(inspector.title(), QStringLiteral("Update 1 of A (next)"));
    // Booth at (0, 0): f = (x + 2y − 7)² + (2x + y − 5)², ∇f = (−34, −38); one SGD step of 0.01.
    QCOMPARE(shown(inspector, QStringLiteral("gradient.0")), -34.0);
    QCOMPARE(shown(inspector, QStringLiteral("gradient.1")), -38.0);
    QCOMPARE(shown(inspector, QStringLiteral("theta.after.0")), 0.34);
    QCOMPARE(shown(inspector, QStringLiteral("theta.after.1")), 0.38);
    QCOMPARE(inspector.stateNames(), QStringList()); // plain SGD keeps nothing
    // Another run selected: the old one's numbers go.
    inspector.setRun(6, QStringLiteral("B"), QStringLiteral("x"), QStringLiteral("y"));
    QVERIFY(inspector.fullPrecision(QStringLiteral("theta.after.0")).isEmpty());
}

void TestStepInspector::divergedRunSaysWhyInRed()
{
    // SGD on Booth with lr 1: every step overshoots (the stable limit is 2 / λmax = 0.2).
    const Scenario scenario = scenarioFrom(oneRun(QStringLiteral("booth"), QStringLiteral(R"({"name": "Too fast", "lr": 1, "start": [0, 0]})")));
    Run run(scenario.objective, scenario.runs.front(), scenario.stop);
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::Diverged);
    StepInspector inspector;
    inspector.setRun(1, QStringLiteral("Too fast"), QStringLiteral("x"), QStringLiteral("y"));
    inspector.showExplanation(1, run.explainNextUpdate());
    QCOMPARE(inspector.title(), QStringLiteral("No next update of Too fast"));
    const QLabel *note = inspector.findChild<QLabel *>(QStringLiteral("inspectorNote"));
    QVERIFY(note && !note->isHidden());
    QVERIFY2(note->text().contains(QString::fromStdString(run.statusReason()).toHtmlEscaped()), qPrintable(note->text()));
    QVERIFY(note->text().contains(QStringLiteral("color:#B00020")));
    QVERIFY(inspector.fullPrecision(QStringLiteral("theta.after.0")).isEmpty());
}

void TestStepInspector::endedRunShowsTheUpdateItWouldMake()
{
    Scenario scenario = scenarioFrom(oneRun(QStringLiteral("booth"), QStringLiteral(R"({"name": "Short", "lr": 0.01, "momentum": 0.5, "start": [0, 0]})")));
    scenario.stop.maxSteps = 2;
    Run run(scenario.objective, scenario.runs.front(), scenario.stop);
    while (run.isRunning())
        run.step();
    QCOMPARE(run.status(), RunStatus::MaxSteps);
    StepInspector inspector;
    inspector.setRun(1, QStringLiteral("Short"), QStringLiteral("x"), QStringLiteral("y"));
    inspector.showExplanation(1, run.explainNextUpdate());
    QCOMPARE(inspector.title(), QStringLiteral("Update 3 of Short (the next it would make)"));
    QVERIFY(anyLabelSays(inspector, QStringLiteral("has ended")));
    // The numbers are those of the update the run would make: one more step of a copy that goes on.
    scenario.stop.maxSteps = 3;
    Run onward(scenario.objective, scenario.runs.front(), scenario.stop);
    for (int i = 0; i < 3; ++i)
        onward.step();
    QCOMPARE(shown(inspector, QStringLiteral("theta.after.0")), onward.current().theta[0]);
    QCOMPARE(shown(inspector, QStringLiteral("state.momentum_buffer.after.1")), onward.optimizerState().sgd.momentumBuffer[1]);
}

void TestStepInspector::numbersReadRounded()
{
    // Readable: five significant digits, a real minus sign, powers of ten; the tooltip keeps all 17.
    const Scenario scenario = scenarioFrom(oneRun(QStringLiteral("booth"), QStringLiteral(R"({"name": "A", "lr": 0.0123456789, "start": [-0.000012345678, 2]})")));
    Run run(scenario.objective, scenario.runs.front(), scenario.stop);
    StepInspector inspector;
    inspector.setRun(1, QStringLiteral("A"), QStringLiteral("x"), QStringLiteral("y"));
    inspector.showExplanation(1, run.explainNextUpdate());
    QCOMPARE(inspector.valueText(QStringLiteral("lr")), QStringLiteral("0.012346"));
    QCOMPARE(inspector.fullPrecision(QStringLiteral("lr")).toDouble(), 0.0123456789);
    QCOMPARE(inspector.valueText(QStringLiteral("theta.before.0")), QStringLiteral("\u22121.2346\u00b710\u22125"));
    QCOMPARE(inspector.valueText(QStringLiteral("theta.before.1")), QStringLiteral("2"));
}

void TestStepInspector::windowFollowsSelectionAndSteps()
{
    std::unique_ptr<MainWindow> window;
    openLessonWindow(window);
    if (QTest::currentTestFailed())
        return;
    auto *dock = window->findChild<QDockWidget *>(QStringLiteral("inspectorDock"));
    QVERIFY(dock);
    QCOMPARE(dock->windowTitle(), QStringLiteral("Step inspector"));
    QCOMPARE(window->tabifiedDockWidgets(dock), QList<QDockWidget *>{window->findChild<QDockWidget *>(QStringLiteral("controlsDock"))});
    StepInspector *inspector = window->stepInspector();
    QCOMPARE(inspector->objectName(), QStringLiteral("stepInspector"));
    dock->raise();
    QTRY_VERIFY(inspector->isVisible());

    // The lesson's runs: Batch GD, Stochastic GD, Mini-batch GD. Selecting one shows its first update.
    const std::vector<RunId> ids = window->engine().runIds();
    window->runTable()->selectRun(ids[1]);
    QTRY_COMPARE_WITH_TIMEOUT(inspector->title(), QStringLiteral("Update 1 of Stochastic GD (next)"), 10000);
    QVERIFY(inspector->samplesText().startsWith(QStringLiteral("one sample: sample ")));
    QCOMPARE(inspector->stateNames(), QStringList());

    // N: one step; the inspector follows with the next one.
    QTest::keyClick(window.get(), Qt::Key_N);
    QTRY_COMPARE_WITH_TIMEOUT(inspector->title(), QStringLiteral("Update 2 of Stochastic GD (next)"), 10000);
    QCOMPARE(shown(*inspector, QStringLiteral("theta.before.0")), window->engine().trajectory(ids[1]).last().theta[0]);

    window->runTable()->selectRun(ids[2]);
    QTRY_COMPARE_WITH_TIMEOUT(inspector->title(), QStringLiteral("Update 2 of Mini-batch GD (next)"), 10000);
    QVERIFY(inspector->samplesText().startsWith(QStringLiteral("batch of 32: samples ")));

    // Playing, it follows (a few times a second); paused, it shows where the run stopped.
    window->engine().play();
    QTRY_VERIFY_WITH_TIMEOUT(!inspector->title().startsWith(QStringLiteral("Update 2 ")), 10000);
    window->engine().pause();
    QTRY_COMPARE_WITH_TIMEOUT(inspector->title(),
                              QStringLiteral("Update %1 of Mini-batch GD (next)").arg(window->engine().trajectory(ids[2]).last().step + 1), 10000);
    QCOMPARE(shown(*inspector, QStringLiteral("theta.before.1")), window->engine().trajectory(ids[2]).last().theta[1]);
}

QTEST_MAIN(TestStepInspector)
#include "tst_stepinspector.moc"
