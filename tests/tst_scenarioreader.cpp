// Scenario files: the documented shape is read as written, and each kind of bad input is rejected with
// one message naming the file and the field.

#include "RecommendedDefaults.h"
#include "RegressionObjectives.h"
#include "ScenarioReader.h"
#include "ScenarioWriter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace gdviz;

class TestScenarioReader : public QObject {
    Q_OBJECT
private slots:
    void readsTheDocumentedExample();
    void readsDataObjectives();
    void csvEdgeCasesThatAreFine();
    void readsRecommendedRatesAndDefaultStarts_data();
    void readsRecommendedRatesAndDefaultStarts();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void rejectsBadCsv_data();
    void rejectsBadCsv();
    void readsFormulasFiniteSomewhere_data();
    void readsFormulasFiniteSomewhere();
    void allEqualXHasAFiniteMinimum_data();
    void allEqualXHasAFiniteMinimum();
    void loadsAndRunsAMillionRows();
    void readsTheRaceClock_data();
    void readsTheRaceClock();
    void readsStandardizeX_data();
    void readsStandardizeX();
};

static std::optional<Scenario> parse(const QString &json, std::string *error)
{
    return parseScenario(json.toStdString(), "s.json", GDVIZ_TEST_DATA_DIR, error);
}

static const char *goodRun = R"({"name": "GD", "lr": 0.1, "start": [1, 2]})";

void TestScenarioReader::readsTheDocumentedExample()
{
    const QString json = QStringLiteral(R"({"objective": {"kind": "rosenbrock", "a": 1, "b": 100},
 "runs": [{"name": "GD", "optimizer": "sgd", "lr": 0.001, "start": [-1.5, 2.0]},
          {"name": "Adam", "optimizer": "adam", "lr": 0.05, "betas": [0.9, 0.999], "start": [-1.5, 2.0],
           "schedule": {"kind": "step", "step_size": 100, "gamma": 0.5}}],
 "stop": {"max_steps": 500, "grad_tol": 1e-8},
 "view": {"x": [-2, 2], "y": [-1, 3]}})");
    std::string error;
    const auto s = parse(json, &error);
    QVERIFY2(s, error.c_str());
    QCOMPARE(s->runs.size(), std::size_t(2));
    QCOMPARE(s->runs[0].optimizer.kind, OptimizerKind::Sgd);
    QCOMPARE(s->runs[0].optimizer.lr, 0.001);
    QCOMPARE(s->runs[1].optimizer.kind, OptimizerKind::Adam);
    QCOMPARE(s->runs[1].optimizer.beta2, 0.999);
    QCOMPARE(s->runs[1].optimizer.eps, 1e-8); // torch's default
    QCOMPARE(s->runs[1].schedule.kind, LearningRateSchedule::Kind::Step);
    QCOMPARE(s->runs[1].schedule.stepSize, 100L);
    QCOMPARE(s->runs[1].start, Vec2(-1.5, 2.0));
    QCOMPARE(s->stop.maxSteps, 500L);
    QCOMPARE(s->stop.gradTol, 1e-8);
    QCOMPARE(s->viewWindow().yMax, 3.0);
    QCOMPARE(s->objective->evaluate(Vec2(1, 1), nullptr), 0.0);
}

void TestScenarioReader::readsDataObjectives()
{
    std::string error;
    auto s = parse(QStringLiteral(R"({"objective": {"kind": "linear_regression", "data": {"generate":
        {"n": 200, "slope": 2, "intercept": -1, "noise": 0.5, "seed": 7}}},
        "runs": [{"name": "SGD", "lr": 0.01, "batch_size": 1, "shuffle": false, "seed": 3, "start": [0, 0]},
                 {"name": "BGD", "lr": 0.01, "batch_size": "full", "start": [0, 0]}],
        "stop": {"max_epochs": 10}})"), &error);
    QVERIFY2(s, error.c_str());
    QCOMPARE(s->data->size(), std::size_t(200));
    QCOMPARE(s->runs[0].batchSize, 1L);
    QCOMPARE(s->runs[0].shuffle, false);
    QCOMPARE(s->runs[0].seed, std::uint64_t(3));
    QCOMPARE(s->runs[1].batchSize, fullBatch);
    QCOMPARE(s->stop.maxEpochs, 10.0);
    QCOMPARE(s->stop.maxSteps, 0L); // epochs alone decide
    QCOMPARE(s->objective->parameterNames().first, std::string("w"));

    s = parse(QStringLiteral(R"({"objective": {"kind": "logistic_regression", "data": {"generate": {"n": 50, "balance": 0.3}}},
        "runs": [%1]})").arg(QLatin1String(goodRun)), &error);
    QVERIFY2(s, error.c_str());
    for (double label : s->data->y)
        QVERIFY(label == 0.0 || label == 1.0);
}

void TestScenarioReader::csvEdgeCasesThatAreFine()
{
    std::string error;
    for (const char *file : {"blank_lines.csv", "one_row.csv"}) {
        const auto s = parse(QStringLiteral(R"({"objective": {"kind": "linear_regression", "data": {"csv": "%1"}}, "runs": [%2]})")
                                 .arg(QLatin1String(file), QLatin1String(goodRun)), &error);
        QVERIFY2(s, error.c_str());
    }
    auto data = parseDataCsv("x,y\n1,2\n\n3,4\n", false, &error);
    QVERIFY(data);
    QCOMPARE(data->x, (std::vector<double>{1, 3}));
    data = parseDataCsv("1,2\r\n3e-1, -4.5\r\n", false, &error); // no header, CRLF, spaces
    QVERIFY(data);
    QCOMPARE(data->y, (std::vector<double>{2, -4.5}));
}

void TestScenarioReader::readsRecommendedRatesAndDefaultStarts_data()
{
    QTest::addColumn<QString>("objective");
    QTest::newRow("rosenbrock") << QStringLiteral(R"({"kind": "rosenbrock"})");
    QTest::newRow("linear regression") << QStringLiteral(R"({"kind": "linear_regression", "data": {"generate": {"n": 100, "seed": 4}}})");
    QTest::newRow("logistic regression") << QStringLiteral(R"({"kind": "logistic_regression", "data": {"generate": {"n": 100}}})");
    QTest::newRow("formula") << QStringLiteral(R"({"kind": "expression", "expr": "x^2 + 3*y^2"})");
}

void TestScenarioReader::readsRecommendedRatesAndDefaultStarts()
{
    // "lr": "recommended" is the objective's rate for the run's optimizer; no "start" is the objective's default
    // start; no "lr" stays torch's default; a given start stays as given.
    QFETCH(QString, objective);
    std::string error;
    const auto s = parse(QStringLiteral(R"({"objective": %1, "runs": [
        {"name": "GD", "lr": "recommended", "batch_size": 1},
        {"name": "Adam", "optimizer": "adam", "lr": "recommended", "start": [0.5, -0.25]},
        {"name": "Adagrad", "optimizer": "adagrad", "start": [1, 1]},
        {"name": "Adadelta", "optimizer": "adadelta", "lr": 0.3}]})").arg(objective), &error);
    QVERIFY2(s, error.c_str());
    const Objective &o = *s->objective;
    QCOMPARE(s->runs[0].optimizer.lr, recommendedLearningRate(o, OptimizerKind::Sgd));
    QCOMPARE(s->runs[0].start, defaultStart(o));
    QCOMPARE(s->runs[1].optimizer.lr, recommendedLearningRate(o, OptimizerKind::Adam));
    QCOMPARE(s->runs[1].start, Vec2(0.5, -0.25));
    QCOMPARE(s->runs[2].optimizer.lr, 0.01); // torch's Adagrad default
    QCOMPARE(s->runs[3].optimizer.lr, 0.3);
    QCOMPARE(s->runs[3].start, defaultStart(o));
    QVERIFY(s->runs[0].optimizer.lr != OptimizerSettings::defaultsFor(OptimizerKind::Sgd).lr // resolved, not left at
            || s->runs[1].optimizer.lr != OptimizerSettings::defaultsFor(OptimizerKind::Adam).lr); // the stand-ins
    if (objective.contains(QLatin1String("rosenbrock"))) { // the README's worked example
        QCOMPARE(s->runs[0].optimizer.lr, 0.0005);
        QCOMPARE(s->runs[0].start, Vec2(-1.5, 2));
    }

    // Saved, the file holds the resolved numbers, and reads back as the same runs.
    const QJsonArray runs = QJsonDocument::fromJson(scenarioToJson(*s)).object().value("runs").toArray();
    QCOMPARE(runs[0].toObject().value("lr").toDouble(), s->runs[0].optimizer.lr);
    QCOMPARE(runs[0].toObject().value("start").toArray()[1].toDouble(), s->runs[0].start[1]);
    const auto again = parseScenario(scenarioToJson(*s).toStdString(), "again.json", GDVIZ_TEST_DATA_DIR, &error);
    QVERIFY2(again, error.c_str());
    QCOMPARE(again->runs, s->runs);
}

void TestScenarioReader::rejectsBadInput_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    const QString run = QLatin1String(goodRun);
    const QString rosen = QStringLiteral(R"("objective": {"kind": "rosenbrock"})");
    auto scenario = [&](const QString &runs, const QString &more = {}) {
        return QStringLiteral("{%1, \"runs\": [%2]%3}").arg(rosen, runs, more);
    };
    auto withData = [&](const QString &data) {
        return QStringLiteral(R"({"objective": {"kind": "linear_regression", "data": %1}, "runs": [%2]})").arg(data, run);
    };
    QTest::newRow("malformed JSON") << QStringLiteral("{\"objective\": {\"kind\": \"booth\"},\n \"runs\": [")
                                    << "s.json: line 2, column 11: malformed JSON: ";
    QTest::newRow("not an object") << QStringLiteral("[1, 2]") << "s.json: top level: must be an object, got an array";
    QTest::newRow("no objective") << QStringLiteral(R"({"runs": []})") << "s.json: objective: is missing";
    QTest::newRow("unknown objective") << QStringLiteral(R"({"objective": {"kind": "rosenbrok"}, "runs": []})")
                                       << "s.json: objective.kind: unknown objective 'rosenbrok' (known: quadratic, rosenbrock, beale, himmelblau, booth, matyas, three_hump_camel, six_hump_camel, rastrigin, ackley, styblinski_tang, goldstein_price, saddle, expression, linear_regression, logistic_regression)";
    QTest::newRow("unknown objective parameter") << QStringLiteral(R"({"objective": {"kind": "booth", "a": 2}, "runs": []})")
                                                 << "s.json: objective.a: unknown key ('booth' takes no parameters)";
    QTest::newRow("wrong type") << QStringLiteral(R"({"objective": {"kind": "rosenbrock", "b": "100"}, "runs": []})")
                                << "s.json: objective.b: must be a number, got a string";
    QTest::newRow("empty runs") << scenario({}) << "s.json: runs: must hold at least one run";
    QTest::newRow("negative lr") << scenario(run + R"(, {"name": "B", "lr": -0.1, "start": [0, 0]})")
                                 << "s.json: runs[1].lr: must be > 0, got -0.1";
    QTest::newRow("lr as text") << scenario(R"({"name": "A", "lr": "fast", "start": [0, 0]})")
                                << "s.json: runs[0].lr: must be a number or \"recommended\", got \"fast\"";
    QTest::newRow("lr Recommended") << scenario(R"({"name": "A", "lr": "Recommended"})")
                                    << "s.json: runs[0].lr: must be a number or \"recommended\", got \"Recommended\"";
    QTest::newRow("lr a boolean") << scenario(R"({"name": "A", "lr": true})")
                                  << "s.json: runs[0].lr: must be a number or \"recommended\", got a boolean";
    QTest::newRow("unknown optimizer") << scenario(R"({"name": "A", "optimizer": "lbfgs", "start": [0, 0]})")
                                       << "s.json: runs[0].optimizer: unknown optimizer 'lbfgs' (known: sgd, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam)";
    QTest::newRow("other optimizer's key") << scenario(R"({"name": "A", "optimizer": "adam", "momentum": 0.9, "start": [0, 0]})")
                                           << "s.json: runs[0].momentum: unknown key (optimizer 'adam' takes: lr, betas, eps, weight_decay, amsgrad; every run takes: name, optimizer, start, schedule, batch_size, shuffle, seed)";
    QTest::newRow("beta out of range") << scenario(R"({"name": "A", "optimizer": "adam", "betas": [0.9, 1], "start": [0, 0]})")
                                       << "s.json: runs[0].betas[1]: must be in [0, 1), got 1";
    QTest::newRow("negative momentum") << scenario(R"({"name": "A", "momentum": -0.5, "start": [0, 0]})")
                                       << "s.json: runs[0].momentum: must be in [0, inf], got -0.5";
    QTest::newRow("nesterov without momentum") << scenario(R"({"name": "A", "nesterov": true, "start": [0, 0]})")
                                               << "s.json: runs[0].nesterov: needs momentum > 0 and dampening 0";
    QTest::newRow("duplicate names") << scenario(run + "," + run) << "s.json: runs[1].name: 'GD' is already the name of runs[0]";
    QTest::newRow("duplicate key") << scenario(R"({"name": "A", "lr": -1, "lr": 0.001})")
                                   << "s.json: runs[0]: key \"lr\" appears twice, at 1:62 and 1:72";
    QTest::newRow("empty name") << scenario(R"({"name": "", "start": [0, 0]})") << "s.json: runs[0].name: must not be empty";
    QTest::newRow("start null") << scenario(R"({"name": "A", "start": null})") << "s.json: runs[0].start: must be an array of two numbers";
    QTest::newRow("start of three") << scenario(R"({"name": "A", "start": [0, 0, 0]})") << "s.json: runs[0].start: must be an array of two numbers";
    QTest::newRow("batch size 0") << scenario(R"({"name": "A", "batch_size": 0, "start": [0, 0]})")
                                  << "s.json: runs[0].batch_size: must be between 1 and 1099511627776, got 0";
    QTest::newRow("batch size half") << scenario(R"({"name": "A", "batch_size": "half", "start": [0, 0]})")
                                     << "s.json: runs[0].batch_size: must be \"full\" or a whole number >= 1, got \"half\"";
    QTest::newRow("fractional batch") << scenario(R"({"name": "A", "batch_size": 2.5, "start": [0, 0]})")
                                      << "s.json: runs[0].batch_size: must be a whole number, got 2.5";
    QTest::newRow("unknown schedule") << scenario(R"({"name": "A", "start": [0, 0], "schedule": {"kind": "warmup"}})")
                                      << "s.json: runs[0].schedule.kind: unknown schedule 'warmup' (known: constant, step, exponential, inverse_time, cosine)";
    QTest::newRow("bad gamma") << scenario(R"({"name": "A", "start": [0, 0], "schedule": {"kind": "exponential", "gamma": 0}})")
                               << "s.json: runs[0].schedule.gamma: must be in (0, 1], got 0";
    // Qt's JSON parser refuses NaN, Infinity and anything beyond double's range (also 1e-400) as "illegal number".
    const QString illegalNumber = QStringLiteral("malformed JSON: illegal number%1").arg(QLatin1String(" (JSON numbers must be finite doubles: no NaN or Infinity; 0 or magnitudes between about 1e-308 and 1e308)"));
    QTest::newRow("huge number") << scenario(R"({"name": "A", "lr": 1e999, "start": [0, 0]})")
                                 << "s.json: line 1, column 73: " + illegalNumber;
    QTest::newRow("1e400") << scenario(R"({"name": "A", "lr": 1e400, "start": [0, 0]})")
                           << "s.json: line 1, column 73: " + illegalNumber;
    QTest::newRow("-1e400") << scenario(R"({"name": "A", "lr": 0.1, "start": [-1e400, 0]})")
                            << "s.json: line 1, column 89: " + illegalNumber; // Qt points after the number
    QTest::newRow("1e-400") << scenario(R"({"name": "A", "lr": 1e-400, "start": [0, 0]})")
                            << "s.json: line 1, column 74: " + illegalNumber;
    QTest::newRow("NaN literal") << scenario(R"({"name": "A", "lr": NaN, "start": [0, 0]})")
                                 << "s.json: line 1, column 68: " + illegalNumber;
    QTest::newRow("Infinity literal") << scenario(R"({"name": "A", "lr": Infinity, "start": [0, 0]})")
                                      << "s.json: line 1, column 68: " + illegalNumber;
    QTest::newRow("-Infinity literal") << scenario(R"({"name": "A", "lr": -Infinity, "start": [0, 0]})")
                                       << "s.json: line 1, column 69: " + illegalNumber;
    QTest::newRow("nan literal") << scenario(R"({"name": "A", "lr": nan, "start": [0, 0]})")
                                 << "s.json: line 1, column 70: malformed JSON: illegal value";
    QTest::newRow("NaN as text") << scenario(R"({"name": "A", "lr": "NaN", "start": [0, 0]})")
                                 << "s.json: runs[0].lr: must be a number or \"recommended\", got \"NaN\"";
    QTest::newRow("null lr") << scenario(R"({"name": "A", "lr": null, "start": [0, 0]})")
                             << "s.json: runs[0].lr: must be a number or \"recommended\", got null";
    QTest::newRow("lr 0") << scenario(R"({"name": "A", "lr": 0, "start": [0, 0]})") << "s.json: runs[0].lr: must be > 0, got 0";
    QTest::newRow("unclosed string") << QStringLiteral("{\"objective\": {\"kind\": \"booth}}")
                                     << "s.json: line 1, column 32: malformed JSON: "; // the end of the text
    QTest::newRow("trailing comma") << scenario(run + ",") << "s.json: line 1, column 92: malformed JSON: ";
    QTest::newRow("empty file") << QString() << "s.json: line 1, column 1: malformed JSON: ";
    QTest::newRow("runs missing") << QStringLiteral(R"({"objective": {"kind": "booth"}})") << "s.json: runs: is missing";
    QTest::newRow("runs an object") << QStringLiteral(R"({"objective": {"kind": "booth"}, "runs": {}})")
                                    << "s.json: runs: must be an array of runs, got an object";
    QTest::newRow("run a number") << scenario("3") << "s.json: runs[0]: must be an object, got a number";
    QTest::newRow("start as text") << scenario(R"({"name": "A", "start": "1, 2"})")
                                   << "s.json: runs[0].start: must be an array of two numbers";
    QTest::newRow("start with text") << scenario(R"({"name": "A", "start": [1, "2"]})")
                                     << "s.json: runs[0].start: must be an array of two numbers";
    QTest::newRow("shuffle as text") << scenario(R"({"name": "A", "shuffle": "yes", "start": [0, 0]})")
                                     << "s.json: runs[0].shuffle: must be true or false, got a string";
    QTest::newRow("name a number") << scenario(R"({"name": 7, "start": [0, 0]})") << "s.json: runs[0].name: must be a string, got a number";
    QTest::newRow("stop an array") << scenario(run, R"(, "stop": [])") << "s.json: stop: must be an object, got an array";
    QTest::newRow("negative seed") << scenario(R"({"name": "A", "seed": -1, "start": [0, 0]})")
                                   << "s.json: runs[0].seed: must be between 0 and 9007199254740992, got -1";
    QTest::newRow("negative eps") << scenario(R"({"name": "A", "optimizer": "adam", "eps": -1e-8, "start": [0, 0]})")
                                  << "s.json: runs[0].eps: must be in [0, inf], got -1e-08";
    QTest::newRow("one beta") << scenario(R"({"name": "A", "optimizer": "adam", "betas": [0.9], "start": [0, 0]})")
                              << "s.json: runs[0].betas: must be an array of two numbers";
    QTest::newRow("unknown schedule key") << scenario(R"({"name": "A", "start": [0, 0], "schedule": {"kind": "step", "gama": 0.5}})")
                                          << "s.json: runs[0].schedule.gama: unknown key (schedule 'step')";
    QTest::newRow("unknown stop key") << scenario(run, R"(, "stop": {"max_step": 10})")
                                      << "s.json: stop.max_step: unknown key (stop takes: max_steps, max_epochs, grad_tol, loss_tol, divergence_bound)";
    QTest::newRow("unknown view key") << scenario(run, R"(, "view": {"x": [0, 1], "y": [0, 1], "z": [0, 1]})")
                                      << "s.json: view.z: unknown key (view takes: x, y)";
    QTest::newRow("view flat") << scenario(run, R"(, "view": {"x": [0, 1], "y": [1, 1]})")
                               << "s.json: view.y: must be [low, high] with low < high";
    QTest::newRow("divergence bound 0") << scenario(run, R"(, "stop": {"divergence_bound": 0})")
                                        << "s.json: stop.divergence_bound: must be > 0, got 0";
    QTest::newRow("negative grad_tol") << scenario(run, R"(, "stop": {"grad_tol": -1})")
                                       << "s.json: stop.grad_tol: must be >= 0, got -1";
    QTest::newRow("max_steps huge") << scenario(run, R"(, "stop": {"max_steps": 1e300})")
                                    << "s.json: stop.max_steps: must be between 0 and 1099511627776, got 1e+300";
    QTest::newRow("65 runs") << scenario([] {
        QStringList runs;
        for (int i = 0; i < 65; ++i)
            runs << QStringLiteral(R"({"name": "R%1", "start": [0, 0]})").arg(i);
        return runs.join(',');
    }()) << "s.json: runs: at most 64 runs, got 65";
    QTest::newRow("max_steps negative") << scenario(run, R"(, "stop": {"max_steps": -1})")
                                        << "s.json: stop.max_steps: must be between 0 and 1099511627776, got -1";
    QTest::newRow("epochs without data") << scenario(run, R"(, "stop": {"max_epochs": 3})")
                                         << "s.json: stop.max_epochs: only data objectives have epochs; use max_steps";
    QTest::newRow("unknown top-level key") << scenario(run, R"(, "colour": "red")")
                                           << "s.json: colour: unknown key (a scenario takes: objective, runs, stop, view, race_by)";
    QTest::newRow("race_by unknown word") << scenario(run, R"(, "race_by": "epochs")")
                                          << "s.json: race_by: must be \"updates\" or \"samples\", got \"epochs\"";
    QTest::newRow("race_by capitalised") << scenario(run, R"(, "race_by": "Samples")")
                                         << "s.json: race_by: must be \"updates\" or \"samples\", got \"Samples\"";
    QTest::newRow("race_by a number") << scenario(run, R"(, "race_by": 1)")
                                      << "s.json: race_by: must be \"updates\" or \"samples\", got a number";
    QTest::newRow("race_by null") << scenario(run, R"(, "race_by": null)")
                                  << "s.json: race_by: must be \"updates\" or \"samples\", got null";
    QTest::newRow("view reversed") << scenario(run, R"(, "view": {"x": [2, -2], "y": [0, 1]})")
                                   << "s.json: view.x: must be [low, high] with low < high";
    auto formula = [&](const QString &expr, const QString &more = {}) {
        return QStringLiteral(R"({"objective": {"kind": "expression", "expr": "%1"}, "runs": [%2]%3})").arg(expr, run, more);
    };
    const QString nowhereFinite = QStringLiteral("s.json: objective.expr: not a finite number anywhere in the view or at any start point"
                                                 " (a division by zero, the log or square root of a negative number, or an overflow like exp(1000))");
    QTest::newRow("formula: syntax") << formula("x^^2") << "s.json: objective.expr: position 3: expected a value but found '^'";
    QTest::newRow("formula: unclosed") << formula("(x") << "s.json: objective.expr: position 3: expected ')' to close the '(' at position 1";
    QTest::newRow("formula: empty") << formula("") << "s.json: objective.expr: position 1: empty formula";
    QTest::newRow("formula: unknown function") << formula("foo(x)")
                                               << "s.json: objective.expr: position 1: unknown name 'foo' (known names: x, y, pi, e, sin, cos, tan, exp, log, sqrt, abs, tanh)";
    QTest::newRow("formula: huge literal") << formula("1e999*x") << "s.json: objective.expr: position 1: number '1e999' is out of range";
    QTest::newRow("formula: 1/0") << formula("1/0 + x") << nowhereFinite;
    QTest::newRow("formula: x/0") << formula("x/0") << nowhereFinite;
    QTest::newRow("formula: 0/0") << formula("0/0") << nowhereFinite;
    QTest::newRow("formula: log of negative") << formula("log(-1) * x") << nowhereFinite;
    QTest::newRow("formula: sqrt of negative") << formula("sqrt(-1 - x^2 - y^2)") << nowhereFinite;
    QTest::newRow("formula: exp(1000)") << formula("exp(1000) + x^2") << nowhereFinite;
    QTest::newRow("formula: finite only off view") << formula("log(x - 100)") << nowhereFinite;
    QTest::newRow("bad formula") << QStringLiteral(R"j({"objective": {"kind": "expression", "expr": "x^2 + sn(y)"}, "runs": [%1]})j").arg(run)
                                 << "s.json: objective.expr: position 7: unknown name 'sn' (known names: x, y, pi, e, sin, cos, tan, exp, log, sqrt, abs, tanh)";
    QTest::newRow("both data sources") << withData(R"({"csv": "a.csv", "generate": {}})")
                                       << "s.json: objective.data: must hold exactly one of \"csv\" or \"generate\"";
    QTest::newRow("generate n 0") << withData(R"({"generate": {"n": 0}})")
                                  << "s.json: objective.data.generate.n: must be between 1 and 10000000, got 0";
    QTest::newRow("slope 1e308") << withData(R"({"generate": {"slope": 1e308}})")
                                 << "s.json: objective.data.generate.slope: must be a number within +-1e100";
    QTest::newRow("negative noise") << withData(R"({"generate": {"noise": -1}})")
                                    << "s.json: objective.data.generate.noise: must be >= 0 and at most 1e100";
    QTest::newRow("missing CSV") << withData(R"({"csv": "no_such_file.csv"})")
                                 << "s.json: objective.data.csv: no_such_file.csv: cannot read the file: No such file or directory";
    // Found while writing tests/fuzz/fuzz_scenario_reader: a device never ends, so loading used to grow without bound.
    QTest::newRow("CSV is a device") << withData(R"({"csv": "/dev/zero"})")
                                     << "s.json: objective.data.csv: /dev/zero: is a character device, not a regular file";
    QTest::newRow("CSV is a folder") << withData(R"({"csv": "."})")
                                     << "s.json: objective.data.csv: .: is a folder, not a regular file";
    QTest::newRow("text in number") << withData(R"({"csv": "text_in_number.csv"})")
                                    << "s.json: objective.data.csv: text_in_number.csv: line 3: y: 'abc' is not a finite number";
    QTest::newRow("NaN in CSV") << withData(R"({"csv": "nan_value.csv"})")
                                << "s.json: objective.data.csv: nan_value.csv: line 2: y: 'nan' is not a finite number";
    QTest::newRow("one column") << withData(R"({"csv": "one_column.csv"})")
                                << "s.json: objective.data.csv: one_column.csv: line 1: expected two columns x,y separated by a comma, got 'x'";
    QTest::newRow("header only") << withData(R"({"csv": "header_only.csv"})")
                                 << "s.json: objective.data.csv: header_only.csv: no samples: the file has no data rows";
    QTest::newRow("standardize_x as text") << withData(R"({"csv": "large_x.csv", "standardize_x": "yes"})")
                                           << "s.json: objective.data.standardize_x: must be true or false, got a string";
    QTest::newRow("standardize_x as 1") << withData(R"({"generate": {"n": 20}, "standardize_x": 1})")
                                        << "s.json: objective.data.standardize_x: must be true or false, got a number";
    QTest::newRow("standardize_x, every x the same") << withData(R"({"csv": "all_same_x.csv", "standardize_x": true})")
                                                     << "s.json: objective.data.standardize_x: every x is the same (sd 0): nothing to scale";
    QTest::newRow("standardize_x, one row") << withData(R"({"csv": "one_row.csv", "standardize_x": true})")
                                            << "s.json: objective.data.standardize_x: every x is the same (sd 0): nothing to scale";
    QTest::newRow("standardize_x outside data") << QStringLiteral(R"({"objective": {"kind": "linear_regression", "data": {"generate": {}}, "standardize_x": true}, "runs": [%1]})").arg(run)
                                                << "s.json: objective.standardize_x: unknown key (a data objective takes: data)";
    QTest::newRow("label not 0/1") << QStringLiteral(R"({"objective": {"kind": "logistic_regression", "data": {"csv": "bad_label.csv"}}, "runs": [%1]})").arg(run)
                                   << "s.json: objective.data.csv: bad_label.csv: line 3: label: must be 0 or 1, got '0.5'";
}

void TestScenarioReader::rejectsBadInput()
{
    QFETCH(QString, json);
    QFETCH(QString, message);
    std::string error;
    const auto s = parse(json, &error);
    QVERIFY(!s);
    const QString got = QString::fromStdString(error);
    if (message.endsWith(QLatin1String("malformed JSON: ")))
        QVERIFY2(got.startsWith(message) && got.size() > message.size(), qPrintable(got)); // Qt words the reason
    else
        QCOMPARE(got, message);
}

void TestScenarioReader::rejectsBadCsv_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("logistic");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing column") << "x,y\n1,2\n3\n" << false << "line 3: expected two columns x,y separated by a comma, got '3'";
    QTest::newRow("extra column") << "1,2,3\n" << false << "line 1: expected two columns x,y, got more";
    QTest::newRow("empty field") << "x,y\n,3\n" << false << "line 2: x: '' is not a finite number";
    QTest::newRow("text after number") << "x,y\n1,2abc\n" << false << "line 2: y: '2abc' is not a finite number";
    QTest::newRow("inf") << "x,y\n1,inf\n" << false << "line 2: y: 'inf' is not a finite number";
    QTest::newRow("1e400") << "x,y\n1,1e400\n" << false << "line 2: y: '1e400' is not a finite number";
    QTest::newRow("1e308 x") << "x,y\n1e308,1\n" << false << "line 2: x: '1e308' is too large (at most 1e100 in magnitude)";
    QTest::newRow("-1e101 y") << "x,y\n1,-1e101\n" << false << "line 2: y: '-1e101' is too large (at most 1e100 in magnitude)";
    QTest::newRow("second header") << "x,y\nx,y\n" << false << "line 2: x: 'x' is not a finite number";
    QTest::newRow("empty") << "" << false << "no samples: the file has no data rows";
    QTest::newRow("blank lines only") << "\n\r\n  \n" << false << "no samples: the file has no data rows";
    QTest::newRow("label 2") << "x,label\n1,2\n" << true << "line 2: label: must be 0 or 1, got '2'";
    // A first line written as numbers is data, not a header (tst_inputlimits has the other spellings).
    QTest::newRow("nan,nan first") << "nan,nan\n1,2\n" << false << "line 1: x: 'nan' is not a finite number";
}

void TestScenarioReader::rejectsBadCsv()
{
    QFETCH(QString, text);
    QFETCH(bool, logistic);
    QFETCH(QString, message);
    std::string error;
    QVERIFY(!parseDataCsv(text.toStdString(), logistic, &error));
    QCOMPARE(QString::fromStdString(error), message);
}

void TestScenarioReader::readsFormulasFiniteSomewhere_data()
{
    // A formula finite somewhere is read; where it is not, the surface has a gap and a run that steps
    // there ends as diverged (tst_surfacegrid, tst_headless).
    QTest::addColumn<QString>("json");
    const QString run = QLatin1String(goodRun); // starts at (1, 2)
    auto formula = [&](const char *expr, const char *more = "") {
        return QStringLiteral(R"({"objective": {"kind": "expression", "expr": "%1"}, "runs": [%2]%3})")
            .arg(QLatin1String(expr), run, QLatin1String(more));
    };
    QTest::newRow("log(x)") << formula("log(x)");
    QTest::newRow("sqrt(x*y)") << formula("sqrt(x*y)");
    QTest::newRow("1/x") << formula("1/x");
    QTest::newRow("exp(1000*x): finite for x < 0.7") << formula("exp(1000*x)");
    QTest::newRow("log(x - 100) in its view") << formula("log(x - 100)", R"(, "view": {"x": [90, 110], "y": [-1, 1]})");
    QTest::newRow("log(x - 100) at a start") << QString::fromLatin1(R"j({"objective": {"kind": "expression", "expr": "log(x - 100)"},
        "runs": [{"name": "A", "start": [101, 0]}]})j");
}

void TestScenarioReader::readsFormulasFiniteSomewhere()
{
    QFETCH(QString, json);
    std::string error;
    QVERIFY2(parse(json, &error), error.c_str());
}

void TestScenarioReader::allEqualXHasAFiniteMinimum_data()
{
    // With every x equal to c the least-squares minimum is not unique: every (w, b) with w c + b = mean(y)
    // has the least loss, the variance of y. gdviz marks the flat line w = 0, b = mean(y).
    QTest::addColumn<QString>("csv");
    QTest::addColumn<double>("meanY");
    QTest::addColumn<double>("varianceY");
    QTest::newRow("three at x=2") << "x,y\n2,1\n2,3\n2,5\n" << 3.0 << 8.0 / 3.0;
    QTest::newRow("one row") << "2,5\n" << 5.0 << 0.0;
    QTest::newRow("all at x=0") << "0,-1\n0,1\n" << 0.0 << 1.0;
}

void TestScenarioReader::allEqualXHasAFiniteMinimum()
{
    QFETCH(QString, csv);
    QFETCH(double, meanY);
    QFETCH(double, varianceY);
    std::string error;
    const auto data = parseDataCsv(csv.toStdString(), false, &error);
    QVERIFY2(data, error.c_str());
    LinearRegressionObjective objective(std::make_shared<const DataSet>(*data));
    QCOMPARE(objective.knownMinima().size(), std::size_t(1));
    const KnownMinimum &m = objective.knownMinima().front();
    QCOMPARE(m.at, Vec2(0, meanY));
    QVERIFY(std::abs(m.value - varianceY) <= 1e-15);
    Vec2 grad;
    objective.evaluate(m.at, &grad);
    QVERIFY(grad.norm() <= 1e-14); // a minimum: the gradient vanishes
    const ViewWindow v = objective.defaultView();
    QVERIFY(std::isfinite(v.xMin) && std::isfinite(v.xMax) && std::isfinite(v.yMin) && std::isfinite(v.yMax));
    QVERIFY(v.xMin < m.at[0] && m.at[0] < v.xMax && v.yMin < m.at[1] && m.at[1] < v.yMax);
}

void TestScenarioReader::loadsAndRunsAMillionRows()
{
    // y = 2x + 1 exactly at x = k / 1e6: the least-squares line is (2, 1); from (0, 0) the full loss is
    // mean((2x + 1)^2) = 4 E[x^2] + 4 E[x] + 1, with E[x] = (n-1)/(2n), E[x^2] = (n-1)(2n-1)/(6n^2).
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("million.csv"));
    constexpr int n = 1'000'000;
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray text = "x,y\n";
        text.reserve(n * 20);
        for (int k = 0; k < n; ++k) {
            const double x = k / double(n);
            text += QByteArray::number(x, 'g', 17) + ',' + QByteArray::number(2 * x + 1, 'g', 17) + '\n';
        }
        QCOMPARE(file.write(text), qint64(text.size()));
    }
    std::string error;
    const auto s = parseScenario(R"({"objective": {"kind": "linear_regression", "data": {"csv": "million.csv"}},
        "runs": [{"name": "Full", "lr": 0.1, "start": [0, 0]}, {"name": "Mini", "lr": 0.1, "batch_size": 1000, "start": [0, 0]}],
        "stop": {"max_steps": 5}})", "s.json", dir.path().toStdString(), &error);
    QVERIFY2(s, error.c_str());
    QCOMPARE(s->data->size(), std::size_t(n));
    const double nd = n, ex = (nd - 1) / (2 * nd), ex2 = (nd - 1) * (2 * nd - 1) / (6 * nd * nd);
    QVERIFY(std::abs(s->objective->evaluate(Vec2(0, 0), nullptr) - (4 * ex2 + 4 * ex + 1)) <= 1e-12);
    const Vec2 star = s->objective->knownMinima().front().at;
    QVERIFY(std::abs(star[0] - 2) <= 1e-9 && std::abs(star[1] - 1) <= 1e-9);
    for (const RunSettings &settings : s->runs) {
        Run run(s->objective, settings, s->stop);
        while (run.isRunning())
            run.step();
        QCOMPARE(run.status(), RunStatus::MaxSteps);
        QVERIFY(run.current().loss < 4 * ex2 + 4 * ex + 1); // it descends
    }
}

void TestScenarioReader::readsTheRaceClock_data()
{
    QTest::addColumn<QString>("more"); // added to the top level
    QTest::addColumn<int>("clock");
    QTest::newRow("not given: updates") << QString() << int(RaceClock::Updates);
    QTest::newRow("updates") << R"(, "race_by": "updates")" << int(RaceClock::Updates);
    QTest::newRow("samples") << R"(, "race_by": "samples")" << int(RaceClock::Samples);
}

void TestScenarioReader::readsTheRaceClock()
{
    QFETCH(QString, more);
    QFETCH(int, clock);
    std::string error;
    const auto s = parse(QStringLiteral(R"({"objective": {"kind": "linear_regression", "data": {"generate": {"n": 20}}},
        "runs": [{"name": "SGD", "lr": 0.01, "batch_size": 1, "start": [0, 0]}]%1})").arg(more), &error);
    QVERIFY2(s, error.c_str());
    QCOMPARE(int(s->raceBy), clock);
}

void TestScenarioReader::readsStandardizeX_data()
{
    QTest::addColumn<QString>("data"); // the objective's "data"
    QTest::addColumn<bool>("standardized");
    QTest::addColumn<bool>("logistic");
    const QString generated = QStringLiteral(R"("generate": {"n": 200, "x_range": [40, 250], "slope": 0.3, "intercept": 5, "noise": 2, "seed": 4})");
    QTest::newRow("generated, not given") << QStringLiteral("{%1}").arg(generated) << false << false;
    QTest::newRow("generated, false") << QStringLiteral(R"({%1, "standardize_x": false})").arg(generated) << false << false;
    QTest::newRow("generated, true") << QStringLiteral(R"({%1, "standardize_x": true})").arg(generated) << true << false;
    QTest::newRow("CSV, true") << QStringLiteral(R"({"standardize_x": true, "csv": "large_x.csv"})") << true << false;
    QTest::newRow("CSV, not given") << QStringLiteral(R"({"csv": "large_x.csv"})") << false << false;
    QTest::newRow("logistic, true") << QStringLiteral(R"({"generate": {"n": 100, "x_range": [-50, 50], "separation": 40}, "standardize_x": true})")
                                    << true << true;
}

void TestScenarioReader::readsStandardizeX()
{
    // The objective learns from the standardized x (mean 0, sd 1), and "lr": "recommended" and the default start
    // follow the data it learns from, as the window's do.
    QFETCH(QString, data);
    QFETCH(bool, standardized);
    QFETCH(bool, logistic);
    const QString kind = logistic ? QStringLiteral("logistic_regression") : QStringLiteral("linear_regression");
    std::string error;
    const auto s = parse(QStringLiteral(R"({"objective": {"kind": "%1", "data": %2}, "runs": [{"name": "SGD", "lr": "recommended"}]})")
                             .arg(kind, data), &error);
    QVERIFY2(s, error.c_str());
    QCOMPARE(s->objectiveSpec.standardizeX, standardized);
    QCOMPARE(s->data->xScaling.applied, standardized);
    // The same samples, loaded or generated without the key, standardized here.
    ObjectiveSpec rawSpec = s->objectiveSpec;
    rawSpec.standardizeX = false;
    std::shared_ptr<const DataSet> raw;
    QVERIFY2(buildObjective(rawSpec, GDVIZ_TEST_DATA_DIR, &raw, &error), error.c_str());
    DataSet expected = *raw;
    if (standardized) {
        QVERIFY2(standardizeX(&expected, &error), error.c_str());
        double sum = 0, squares = 0;
        for (double x : s->data->x)
            sum += x;
        for (double x : s->data->x)
            squares += (x - sum / double(s->data->size())) * (x - sum / double(s->data->size()));
        QVERIFY(std::abs(sum / double(s->data->size())) <= 1e-13);
        QVERIFY(std::abs(std::sqrt(squares / double(s->data->size())) - 1) <= 1e-13);
    }
    QCOMPARE(s->data->x, expected.x);
    QCOMPARE(s->data->y, raw->y);
    QCOMPARE(s->data->xName, raw->xName);
    const auto shared = std::make_shared<const DataSet>(expected);
    std::shared_ptr<const Objective> objective;
    if (logistic)
        objective = std::make_shared<LogisticRegressionObjective>(shared);
    else
        objective = std::make_shared<LinearRegressionObjective>(shared);
    QCOMPARE(s->runs[0].optimizer.lr, recommendedLearningRate(*objective, OptimizerKind::Sgd));
    QCOMPARE(s->runs[0].start, defaultStart(*objective));
}

QTEST_APPLESS_MAIN(TestScenarioReader)
#include "tst_scenarioreader.moc"
