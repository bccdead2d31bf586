// Scenario files: the documented shape is read as written, and each kind of bad input is rejected with
// one message naming the file and the field.

#include "RegressionObjectives.h"
#include "ScenarioReader.h"

#include <QTest>

using namespace gdviz;

class TestScenarioReader : public QObject {
    Q_OBJECT
private slots:
    void readsTheDocumentedExample();
    void readsDataObjectives();
    void csvEdgeCasesThatAreFine();
    void rejectsBadInput_data();
    void rejectsBadInput();
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
                                << "s.json: runs[0].lr: must be a number, got a string";
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
    QTest::newRow("empty name") << scenario(R"({"name": "", "start": [0, 0]})") << "s.json: runs[0].name: must not be empty";
    QTest::newRow("no start") << scenario(R"({"name": "A"})") << "s.json: runs[0].start: is missing (the start point [theta0, theta1])";
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
    QTest::newRow("huge number") << scenario(R"({"name": "A", "lr": 1e999, "start": [0, 0]})")
                                 << "s.json: line 1, column 73: malformed JSON: illegal number";
    QTest::newRow("NaN literal") << scenario(R"({"name": "A", "lr": NaN, "start": [0, 0]})")
                                 << "s.json: line 1, column 68: malformed JSON: illegal number";
    QTest::newRow("max_steps 0") << scenario(run, R"(, "stop": {"max_steps": 0})")
                                 << "s.json: stop.max_steps: must be between 1 and 1099511627776, got 0";
    QTest::newRow("epochs without data") << scenario(run, R"(, "stop": {"max_epochs": 3})")
                                         << "s.json: stop.max_epochs: only data objectives have epochs; use max_steps";
    QTest::newRow("unknown top-level key") << scenario(run, R"(, "colour": "red")")
                                           << "s.json: colour: unknown key (a scenario takes: objective, runs, stop, view)";
    QTest::newRow("view reversed") << scenario(run, R"(, "view": {"x": [2, -2], "y": [0, 1]})")
                                   << "s.json: view.x: must be [low, high] with low < high";
    QTest::newRow("bad formula") << QStringLiteral(R"j({"objective": {"kind": "expression", "expr": "x^2 + sn(y)"}, "runs": [%1]})j").arg(run)
                                 << "s.json: objective.expr: position 7: unknown name 'sn' (known names: x, y, pi, e, sin, cos, tan, exp, log, sqrt, abs, tanh)";
    QTest::newRow("both data sources") << withData(R"({"csv": "a.csv", "generate": {}})")
                                       << "s.json: objective.data: must hold exactly one of \"csv\" or \"generate\"";
    QTest::newRow("generate n 0") << withData(R"({"generate": {"n": 0}})")
                                  << "s.json: objective.data.generate.n: must be between 1 and 10000000, got 0";
    QTest::newRow("negative noise") << withData(R"({"generate": {"noise": -1}})")
                                    << "s.json: objective.data.generate.noise: must be >= 0";
    QTest::newRow("missing CSV") << withData(R"({"csv": "no_such_file.csv"})")
                                 << "s.json: objective.data.csv: no_such_file.csv: cannot read the file";
    // Found while writing tests/fuzz/fuzz_scenario_reader: a device never ends, so loading used to grow without bound.
    QTest::newRow("CSV is a device") << withData(R"({"csv": "/dev/zero"})")
                                     << "s.json: objective.data.csv: /dev/zero: cannot read the file: not a regular file";
    QTest::newRow("CSV is a folder") << withData(R"({"csv": "."})")
                                     << "s.json: objective.data.csv: .: cannot read the file: it is a folder";
    QTest::newRow("text in number") << withData(R"({"csv": "text_in_number.csv"})")
                                    << "s.json: objective.data.csv: text_in_number.csv: line 3: y: 'abc' is not a finite number";
    QTest::newRow("NaN in CSV") << withData(R"({"csv": "nan_value.csv"})")
                                << "s.json: objective.data.csv: nan_value.csv: line 2: y: 'nan' is not a finite number";
    QTest::newRow("one column") << withData(R"({"csv": "one_column.csv"})")
                                << "s.json: objective.data.csv: one_column.csv: line 1: expected two columns x,y separated by a comma, got 'x'";
    QTest::newRow("header only") << withData(R"({"csv": "header_only.csv"})")
                                 << "s.json: objective.data.csv: header_only.csv: no samples: the file has no data rows";
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

QTEST_APPLESS_MAIN(TestScenarioReader)
#include "tst_scenarioreader.moc"
