// gdviz --headless as a user runs it: the binary reproduces PyTorch's trajectories, prints numbers that
// read back bit-exact, writes the summary, and answers bad arguments with exit status 2 and one line.

#include "RecommendedDefaults.h"
#include "Run.h"
#include "ScenarioReader.h"
#include "TestSupport.h"

#include <QImage>
#include <QJsonArray>
#include <QSet>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace gdviz;

class TestHeadless : public QObject {
    Q_OBJECT
private slots:
    void optimizerStateColumnsMatchTorch_data();
    void optimizerStateColumnsMatchTorch();
    void reproducesTorch_data();
    void reproducesTorch();
    void numbersReadBackBitExact();
    void writesSummary();
    void divergedRunPrintsNoNan();
    void recommendedDefaultsDescend_data();
    void recommendedDefaultsDescend();
    void everyOptimizerAtHugeLearningRatePrintsNoNan();
    void rejectsBadArguments_data();
    void rejectsBadArguments();
    void helpAndVersion();
    void drawsThePicture();
    void screenshotRefusesAnEndlessScenario();
    void workWithinTheBoundRuns_data();
    void workWithinTheBoundRuns();

private:
    struct Result {
        int exitCode;
        QString out, err;
    };
    Result gdviz(const QStringList &arguments);
    QTemporaryDir m_dir;
};

TestHeadless::Result TestHeadless::gdviz(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(GDVIZ_BINARY), arguments);
    process.waitForFinished(-1);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

static QList<QList<QByteArray>> readCsv(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QList<QByteArray>> rows;
    while (!file.atEnd())
        rows.append(file.readLine().trimmed().split(','));
    return rows;
}

static QString reference(const char *name)
{
    return QStringLiteral(GDVIZ_REFERENCE_DIR "/%1").arg(QLatin1String(name));
}

void TestHeadless::reproducesTorch_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : {"rosenbrock_adam", "linreg_minibatch", "logreg_schedules", "expression_log_mix", "quadratic_rmsprop"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestHeadless::reproducesTorch()
{
    QFETCH(QString, name);
    const QString out = m_dir.filePath(name + QStringLiteral(".csv"));
    const Result r = gdviz({"--headless", "--scenario", reference(qPrintable(name + ".json")), "--csv", out});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.isEmpty());
    const auto ours = readCsv(out), torch = readCsv(reference(qPrintable(name + ".csv")));
    QCOMPARE(ours.size(), torch.size());
    QCOMPARE(ours[0].mid(0, 6), torch[0]); // run,step,epoch,theta0,theta1,loss
    for (qsizetype i = 1; i < ours.size(); ++i) {
        QCOMPARE(ours[i][0], torch[i][0]);
        QCOMPARE(ours[i][1], torch[i][1]);
        for (int c = 2; c < 6; ++c)
            QVERIFY2(test::closeRelative(ours[i][c].toDouble(), torch[i][c].toDouble(), 1e-9, 1e-12),
                     qPrintable(QStringLiteral("row %1 column %2: %3 vs torch %4").arg(i).arg(c).arg(ours[i][c], torch[i][c])));
    }
}

void TestHeadless::optimizerStateColumnsMatchTorch_data()
{
    QTest::addColumn<QString>("name");
    QFile cases(reference("cases.txt"));
    QVERIFY(cases.open(QIODevice::ReadOnly));
    while (!cases.atEnd()) {
        const QString name = QString::fromUtf8(cases.readLine().trimmed());
        if (!name.isEmpty())
            QTest::newRow(qPrintable(name)) << name;
    }
}

// --optimizer-state against torch's optimizer.state after every update (tests/reference/<case>_state.csv): every
// quantity torch holds is in its column ("<name>0", "<name>1"; mu_product bare) to 1e-9, and every other state cell
// is empty, except at step 0, where the rules whose state torch makes at the first update hold its zeros (and
// mu_product 1). The columns are the quantities the file's runs keep, no more.
void TestHeadless::optimizerStateColumnsMatchTorch()
{
    QFETCH(QString, name);
    const QString out = m_dir.filePath(name + QStringLiteral("_state.csv"));
    const Result r = gdviz({"--headless", "--scenario", reference(qPrintable(name + ".json")), "--csv", out, "--optimizer-state"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.isEmpty());
    const auto rows = readCsv(out);
    QVERIFY(rows.size() > 1);
    const QList<QByteArray> header = rows[0];
    QCOMPARE(header.mid(0, 10).join(','), QByteArray("run,step,epoch,theta0,theta1,loss,batch_loss,grad0,grad1,lr"));
    // (run, step) -> row
    QHash<QPair<QByteArray, QByteArray>, qsizetype> rowOf;
    for (qsizetype i = 1; i < rows.size(); ++i) {
        QCOMPARE(rows[i].size(), header.size());
        rowOf.insert({rows[i][0], rows[i][1]}, i);
    }
    QSet<QPair<qsizetype, qsizetype>> filledByTorch; // (row, column)
    QSet<QByteArray> namesByTorch;
    const auto golden = readCsv(reference(qPrintable(name + "_state.csv")));
    QCOMPARE(golden[0].join(','), QByteArray("run,step,name,value0,value1"));
    for (qsizetype g = 1; g < golden.size(); ++g) {
        const auto &t = golden[g];
        const qsizetype row = rowOf.value({t[0], t[1]}, -1);
        QVERIFY2(row > 0, t.join(',').constData());
        namesByTorch.insert(t[2]);
        const bool scalar = t[4].isEmpty();
        for (int k = 0; k < (scalar ? 1 : 2); ++k) {
            const QByteArray column = scalar ? t[2] : t[2] + QByteArray::number(k);
            const qsizetype c = header.indexOf(column);
            QVERIFY2(c >= 10, column.constData());
            filledByTorch.insert({row, c});
            const QByteArray &cell = rows[row][c];
            QVERIFY2(!cell.isEmpty() && test::closeRelative(cell.toDouble(), t[3 + k].toDouble(), 1e-9, 1e-12),
                     qPrintable(QStringLiteral("%1 step %2 %3: %4, torch %5").arg(QString::fromUtf8(t[0]), QString::fromUtf8(t[1]),
                                                                              QString::fromUtf8(column), QString::fromUtf8(cell),
                                                                              QString::fromUtf8(t[3 + k]))));
        }
    }
    for (qsizetype i = 1; i < rows.size(); ++i)
        for (qsizetype c = 10; c < header.size(); ++c) {
            if (filledByTorch.contains({i, c}) || rows[i][c].isEmpty())
                continue;
            // Only step 0 may hold what torch has not made yet: zeros, and mu_product's 1.
            QVERIFY2(rows[i][1] == "0", qPrintable(QStringLiteral("row %1 %2: %3, torch holds none").arg(i).arg(QString::fromUtf8(header[c]), QString::fromUtf8(rows[i][c]))));
            QCOMPARE(rows[i][c].toDouble(), header[c] == "mu_product" ? 1.0 : 0.0);
        }
    // A column for each quantity torch holds somewhere in the file, and none other.
    QSet<QByteArray> names;
    for (qsizetype c = 10; c < header.size(); ++c)
        names.insert(header[c] == "mu_product" ? header[c] : header[c].chopped(1));
    QCOMPARE(names, namesByTorch);
}

void TestHeadless::numbersReadBackBitExact()
{
    const QString scenario = reference("rosenbrock_nadam.json");
    const QString out = m_dir.filePath(QStringLiteral("exact.csv"));
    QCOMPARE(gdviz({"--headless", "--scenario", scenario, "--csv", out}).exitCode, 0);
    const auto rows = readCsv(out);
    QCOMPARE(rows[0].join(','), QByteArray("run,step,epoch,theta0,theta1,loss,batch_loss,grad0,grad1,lr"));
    std::string error;
    const auto loaded = readScenario(scenario.toStdString(), &error);
    QVERIFY(loaded);
    qsizetype row = 1;
    for (const RunSettings &settings : loaded->runs) {
        Run run(loaded->objective, settings, loaded->stop);
        for (bool first = true; first || run.isRunning(); first = false) {
            const StepRecord &r = first ? run.current() : run.step();
            const auto &f = rows[row++];
            QCOMPARE(f[3].toDouble(), r.theta[0]); // exactly, not approximately
            QCOMPARE(f[4].toDouble(), r.theta[1]);
            QCOMPARE(f[5].toDouble(), r.loss);
            QCOMPARE(f[9].toDouble(), r.lr);
        }
    }
    QCOMPARE(row, rows.size());
}

void TestHeadless::writesSummary()
{
    const QString out = m_dir.filePath(QStringLiteral("summary.json"));
    QCOMPARE(gdviz({"--headless", "--scenario", reference("linreg_minibatch.json"), "--summary", out}).exitCode, 0);
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonArray runs = QJsonDocument::fromJson(file.readAll()).object().value("runs").toArray();
    const auto torch = readCsv(reference("linreg_minibatch.csv"));
    QVERIFY(!runs.isEmpty());
    for (const QJsonValue &value : runs) {
        const QJsonObject run = value.toObject();
        // The torch trajectory's last row of this run is the final state.
        QList<QByteArray> last;
        for (const auto &row : torch)
            if (row[0] == run.value("name").toString().toUtf8())
                last = row;
        QVERIFY(!last.isEmpty());
        QCOMPARE(run.value("steps").toInteger(), last[1].toLongLong());
        QVERIFY(test::closeRelative(run.value("epochs").toDouble(), last[2].toDouble(), 1e-15));
        QVERIFY(test::closeRelative(run.value("final_theta").toArray()[0].toDouble(), last[3].toDouble(), 1e-9));
        QVERIFY(test::closeRelative(run.value("final_loss").toDouble(), last[5].toDouble(), 1e-9));
        QCOMPARE(run.value("status").toString(), QStringLiteral("max_epochs"));
        QVERIFY(run.value("wall_time_s").toDouble() >= 0);
    }
}

void TestHeadless::divergedRunPrintsNoNan()
{
    const QString scenario = m_dir.filePath(QStringLiteral("diverge.json"));
    QFile file(scenario);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"objective": {"kind": "expression", "expr": "exp(x^2) + y^2"},
                   "runs": [{"name": "Wild", "lr": 1e6, "start": [1, 1]}, {"name": "Calm", "lr": 0.01, "start": [0.5, 0.5]}],
                   "stop": {"max_steps": 50}})");
    file.close();
    const QString out = m_dir.filePath(QStringLiteral("diverge.csv")), summary = m_dir.filePath(QStringLiteral("diverge_summary.json"));
    QCOMPARE(gdviz({"--headless", "--scenario", scenario, "--csv", out, "--summary", summary}).exitCode, 0);
    QFile csv(out);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray text = csv.readAll().toLower();
    QVERIFY(!text.contains("nan"));
    QVERIFY(!text.contains("inf"));
    QFile s(summary);
    QVERIFY(s.open(QIODevice::ReadOnly));
    const QJsonArray runs = QJsonDocument::fromJson(s.readAll()).object().value("runs").toArray();
    QCOMPARE(runs[0].toObject().value("status").toString(), QStringLiteral("diverged"));
    QVERIFY(runs[0].toObject().value("steps").toInt() <= 5);
    QVERIFY(!runs[0].toObject().value("reason").toString().isEmpty());
    QCOMPARE(runs[1].toObject().value("status").toString(), QStringLiteral("max_steps")); // the other run goes on
}

void TestHeadless::recommendedDefaultsDescend_data()
{
    // Runs that give "lr": "recommended" and no start: each must end below its start loss, not diverged.
    QTest::addColumn<QString>("objective");
    QTest::addColumn<QStringList>("runs"); // optimizer or optimizer:batch_size
    QTest::addColumn<int>("maxSteps");
    const QStringList adaptive = {"adagrad", "rmsprop", "adadelta", "adam", "adamw", "adamax", "nadam"};
    QTest::newRow("rosenbrock") << QStringLiteral(R"({"kind": "rosenbrock"})") << (QStringList{"sgd"} + adaptive) << 2000;
    QTest::newRow("goldstein_price") << QStringLiteral(R"({"kind": "goldstein_price"})") << QStringList{"sgd", "adam", "adadelta"} << 2000;
    QTest::newRow("saddle") << QStringLiteral(R"({"kind": "saddle"})") << QStringList{"sgd", "adam", "rmsprop"} << 200; // unbounded below
    QTest::newRow("linear regression") << QStringLiteral(R"({"kind": "linear_regression", "data": {"generate": {"n": 200, "noise": 1, "seed": 7}}})")
                                       << QStringList{"sgd:full", "sgd:1", "sgd:32", "adam:1", "adagrad:32", "nadam:full"} << 2000;
    QTest::newRow("logistic regression") << QStringLiteral(R"({"kind": "logistic_regression", "data": {"generate": {"n": 200}}})")
                                         << QStringList{"sgd:full", "sgd:1", "adamw:32", "rmsprop:1", "adadelta:full"} << 2000;
    QTest::newRow("formula") << QStringLiteral(R"({"kind": "expression", "expr": "(1 - x)^2 + 5*(y - x^2)^2"})")
                             << QStringList{"sgd", "adam", "adamax"} << 2000;
}

void TestHeadless::recommendedDefaultsDescend()
{
    QFETCH(QString, objective);
    QFETCH(QStringList, runs);
    QFETCH(int, maxSteps);
    QStringList runJson;
    for (const QString &run : runs) {
        const QStringList parts = run.split(':');
        const QString batch = parts.size() > 1 ? (parts[1] == QLatin1String("full") ? QStringLiteral(R"(, "batch_size": "full")")
                                                                                    : QStringLiteral(R"(, "batch_size": %1)").arg(parts[1]))
                                               : QString();
        runJson << QStringLiteral(R"({"name": "%1", "optimizer": "%2", "lr": "recommended"%3})").arg(run, parts[0], batch);
    }
    const QString scenario = m_dir.filePath(QStringLiteral("recommended.json"));
    QFile file(scenario);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QStringLiteral(R"({"objective": %1, "runs": [%2], "stop": {"max_steps": %3}})")
                   .arg(objective, runJson.join(QStringLiteral(", ")))
                   .arg(maxSteps)
                   .toUtf8());
    file.close();
    const QString out = m_dir.filePath(QStringLiteral("recommended.csv")), summary = m_dir.filePath(QStringLiteral("recommended_summary.json"));
    const Result r = gdviz({"--headless", "--scenario", scenario, "--csv", out, "--summary", summary});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));

    // The start each run had (the CSV's step 0) and its first update's lr: the objective's defaults.
    std::string error;
    const auto loaded = readScenario(scenario.toStdString(), &error);
    QVERIFY2(loaded, error.c_str());
    QHash<QByteArray, double> startLoss;
    for (const auto &row : readCsv(out)) {
        if (row[1] == "0") {
            QCOMPARE(row[3].toDouble(), defaultStart(*loaded->objective)[0]);
            QCOMPARE(row[4].toDouble(), defaultStart(*loaded->objective)[1]);
            startLoss.insert(row[0], row[5].toDouble());
        } else if (row[1] == "1") {
            const OptimizerKind kind = findOptimizer(row[0].split(':')[0].toStdString())->kind;
            QCOMPARE(row[9].toDouble(), recommendedLearningRate(*loaded->objective, kind));
        }
    }
    QCOMPARE(startLoss.size(), runs.size());

    QFile s(summary);
    QVERIFY(s.open(QIODevice::ReadOnly));
    const QJsonArray results = QJsonDocument::fromJson(s.readAll()).object().value("runs").toArray();
    QCOMPARE(results.size(), runs.size());
    for (const QJsonValue &value : results) {
        const QJsonObject run = value.toObject();
        const QByteArray name = run.value("name").toString().toUtf8();
        const QString what = QStringLiteral("%1: %2 %3, loss %4 -> %5")
                                 .arg(QString::fromUtf8(name), run.value("status").toString(), run.value("reason").toString())
                                 .arg(startLoss.value(name))
                                 .arg(run.value("final_loss").toDouble());
        QVERIFY2(run.value("status").toString() == QLatin1String("max_steps"), qPrintable(what)); // all its updates, not diverged
        QCOMPARE(run.value("steps").toInt(), maxSteps);
        QVERIFY2(run.value("final_loss").isDouble() && run.value("final_loss").toDouble() < startLoss.value(name), qPrintable(what));
    }
}

void TestHeadless::everyOptimizerAtHugeLearningRatePrintsNoNan()
{
    // Rosenbrock from (0.7, 0.3) with lr 1e6 and the divergence bound raised to 1e300, so that runs reach
    // overflow: the values that are no longer finite must come out as empty fields and nulls.
    QString runs;
    for (const char *optimizer : {"sgd", "adagrad", "rmsprop", "adam", "adamw", "adamax", "nadam"})
        runs += QStringLiteral(R"({"name": "%1", "optimizer": "%1", "lr": 1e6, "start": [0.7, 0.3]}, )").arg(QLatin1String(optimizer));
    const QString scenario = m_dir.filePath(QStringLiteral("wild.json"));
    QFile file(scenario);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QStringLiteral(R"({"objective": {"kind": "rosenbrock"}, "runs": [%1{"name": "Calm", "lr": 1e-4, "start": [0.7, 0.3]}],
                                  "stop": {"max_steps": 300, "divergence_bound": 1e300}})").arg(runs).toUtf8());
    file.close();
    const QString out = m_dir.filePath(QStringLiteral("wild.csv")), summary = m_dir.filePath(QStringLiteral("wild_summary.json"));
    const Result r = gdviz({"--headless", "--scenario", scenario, "--csv", out, "--summary", summary});
    QCOMPARE(r.exitCode, 0);
    const auto rows = readCsv(out);
    int emptyFields = 0;
    for (const auto &row : rows) {
        QCOMPARE(row.size(), qsizetype(10));
        for (const QByteArray &field : row) {
            QVERIFY2(!field.toLower().contains("nan") && !field.toLower().contains("inf"), field.constData());
            emptyFields += field.isEmpty();
        }
    }
    QVERIFY(emptyFields > 0); // with the bound at 1e300 the runs do reach overflow: the empty fields are there
    QFile s(summary);
    QVERIFY(s.open(QIODevice::ReadOnly));
    int diverged = 0;
    for (const QJsonValue &value : QJsonDocument::fromJson(s.readAll()).object().value("runs").toArray()) {
        QJsonObject run = value.toObject();
        const QString reason = run.take(QStringLiteral("reason")).toString(); // words, which may say "NaN"
        const QByteArray numbers = QJsonDocument(run).toJson().toLower(); // a non-finite number would be null
        QVERIFY2(!numbers.contains("nan") && !numbers.contains("inf"), numbers.constData());
        if (run.value("name").toString() == QLatin1String("Calm")) {
            QCOMPARE(run.value("status").toString(), QStringLiteral("max_steps"));
            QCOMPARE(run.value("steps").toInt(), 300);
        } else if (run.value("status").toString() == QLatin1String("diverged")) {
            diverged += run.value("name").toString() == QLatin1String("sgd") || run.value("name").toString() == QLatin1String("adamw");
            // A value that stopped being a number, said in words (DivergenceExplanation.h).
            QVERIFY2(reason.contains(QLatin1String("overflowed to infinity")) || reason.contains(QLatin1String("(NaN)"))
                         || reason.contains(QLatin1String("became NaN")),
                     qPrintable(reason));
        }
    }
    // sgd (lr * g grows like x^3 on Rosenbrock) and adamw (theta times 1 - lr * weight_decay = -9999 per
    // update) overflow; the rules normalised to steps of about lr stay near 1e7 without overflowing.
    QCOMPARE(diverged, 2);
}

void TestHeadless::rejectsBadArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message"); // the one line on stderr, without "gdviz: " and the newline
    const QString good = reference("quadratic_gd.json");
    const QString out = m_dir.filePath(QStringLiteral("x.csv"));
    const QString bad = QStringLiteral(GDVIZ_TEST_DATA_DIR "/negative_lr.json");
    const QString hint = QStringLiteral(" (gdviz --help lists the options)"); // after command-line mistakes
    QTest::newRow("bad scenario") << QStringList{"--headless", "--scenario", bad, "--csv", out}
                                  << bad + ": runs[1].lr: must be > 0, got -0.1";
    QTest::newRow("missing file") << QStringList{"--headless", "--scenario", "/no/such.json", "--csv", out}
                                  << "/no/such.json: cannot read the file: No such file or directory";
    // A path as given, with a newline, a tab or an escape sequence in it, is still one line, its bytes escaped.
    QTest::newRow("missing file, newline in its name")
        << QStringList{"--headless", "--scenario", "/no/such\nfile.json", "--csv", out}
        << "/no/such\\nfile.json: cannot read the file: No such file or directory";
    QTest::newRow("unwritable output, escape sequence in its name")
        << QStringList{"--headless", "--scenario", good, "--csv", "/no/such/\x1b[2Jdir\t/out.csv"}
        << "/no/such/\\x1B[2Jdir\\t/out.csv: cannot write the file: No such file or directory";
    QTest::newRow("stray argument with a newline") << QStringList{"--headless", "--scenario", good, "--csv", out, "a\nb"}
                                                   << "unexpected argument 'a\\nb' (options start with --)" + hint;
    QTest::newRow("optimizer state without csv") << QStringList{"--headless", "--scenario", good, "--summary", out, "--optimizer-state"}
                                                 << "--optimizer-state: only applies with --csv" + hint;
    QTest::newRow("no scenario") << QStringList{"--headless", "--csv", out} << "--headless: needs --scenario FILE" + hint;
    QTest::newRow("no output") << QStringList{"--headless", "--scenario", good} << "--headless: needs at least one output: --csv, --summary or --png" + hint;
    QTest::newRow("repeated option") << QStringList{"--headless", "--scenario", good, "--csv", out, "--csv", out}
                                     << "--csv: given more than once" + hint;
    QTest::newRow("unknown option") << QStringList{"--headles"} << "Unknown option 'headles'." + hint;
    QTest::newRow("missing value") << QStringList{"--headless", "--scenario"} << "Missing value after '--scenario'." + hint;
    QTest::newRow("output without headless") << QStringList{"--scenario", good, "--csv", out} << "--csv: needs --headless" + hint;
    QTest::newRow("bad size") << QStringList{"--headless", "--scenario", good, "--png", out, "--size", "big"}
                              << "--size: must be WIDTHxHEIGHT in pixels, e.g. 1200x900, got 'big'" + hint;
    QTest::newRow("window option with headless") << QStringList{"--headless", "--scenario", good, "--csv", out, "--play"}
                                                 << "--play: only for the window, not with --headless" + hint;
    QTest::newRow("unwritable output") << QStringList{"--headless", "--scenario", good, "--csv", "/no/such/dir/out.csv"}
                                       << "/no/such/dir/out.csv: cannot write the file: No such file or directory";
    QTest::newRow("scenario twice") << QStringList{"--headless", "--scenario", good, "--scenario", good, "--csv", out}
                                    << "--scenario: given more than once" + hint;
    QTest::newRow("size without png") << QStringList{"--headless", "--scenario", good, "--csv", out, "--size", "640x480"}
                                      << "--size: only applies with --png" + hint;
    QTest::newRow("size too small") << QStringList{"--headless", "--scenario", good, "--png", out, "--size", "50x50"}
                                    << "--size: each side must be between 100 and 10000 pixels" + hint;
    QTest::newRow("stray argument") << QStringList{"--headless", "--scenario", good, "--csv", out, "extra.json"}
                                    << "unexpected argument 'extra.json' (options start with --)" + hint;
    QTest::newRow("screenshot with headless") << QStringList{"--headless", "--scenario", good, "--csv", out, "--screenshot", out}
                                              << "--screenshot: only for the window, not with --headless" + hint;
    QTest::newRow("output over the scenario") << QStringList{"--headless", "--scenario", good, "--csv", good}
                                              << "--csv: '" + good + "' is the scenario file; it would be overwritten" + hint;
    QTest::newRow("two outputs, one file") << QStringList{"--headless", "--scenario", good, "--csv", out, "--summary", out}
                                           << "--summary: '" + out + "' is also the --csv file" + hint;

    // Bad scenario files: exit status 2 and one line naming the file and the field.
    auto file = [this](const char *name, const QByteArray &text) {
        const QString path = m_dir.filePath(QLatin1String(name));
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(text);
        return path;
    };
    const QByteArray booth = R"({"objective": {"kind": "booth"}, "runs": [)";
    struct Case {
        const char *name;
        QByteArray text;
        const char *field;
    };
    const Case cases[] = {
        {"malformed.json", booth, "line 1, column 43: malformed JSON: unterminated array"},
        {"huge.json", booth + R"({"name": "A", "lr": 1e400, "start": [0, 0]}]})",
         "line 1, column 68: malformed JSON: illegal number (JSON numbers must be finite doubles: no NaN or Infinity; 0 or magnitudes between about 1e-308 and 1e308)"},
        {"type.json", booth + R"({"name": "A", "lr": "0.1", "start": [0, 0]}]})", "runs[0].lr: must be a number or \"recommended\", got \"0.1\""},
        {"unknown.json", booth + R"({"name": "A", "lr": 0.1, "start": [0, 0], "colour": "red"}]})",
         "runs[0].colour: unknown key (optimizer 'sgd' takes: lr, momentum, dampening, nesterov, weight_decay; every run takes: name, optimizer, start, schedule, batch_size, shuffle, seed)"},
        {"empty_runs.json", booth + "]}", "runs: must hold at least one run"},
        {"duplicate.json", booth + R"({"name": "A", "start": [0, 0]}, {"name": "A", "start": [1, 1]}]})",
         "runs[1].name: 'A' is already the name of runs[0]"},
        {"formula.json", R"({"objective": {"kind": "expression", "expr": "exp(1000) * x"}, "runs": [{"name": "A", "start": [0, 0]}]})",
         "objective.expr: not a finite number anywhere in the view or at any start point (a division by zero, the log or square root of a negative number, or an overflow like exp(1000))"},
        {"no_limit.json", booth + R"({"name": "A", "start": [0, 0]}], "stop": {"max_steps": 0}})",
         "stop.max_steps: 0 means no limit, which --headless cannot run to the end; give max_steps or max_epochs"},
        // Headless work is bounded (README: at most 10^9 updates in all, 10^8 with --csv, as here), before anything runs.
        {"steps_2_40.json", booth + R"({"name": "A", "start": [0, 0]}], "stop": {"max_steps": 1099511627776}})",
         "stop.max_steps: 1099511627776 updates; --headless runs at most 1000000000 updates in all, 100000000 with --csv"},
        {"steps_times_runs.json",
         booth + R"({"name": "A", "start": [0, 0]}, {"name": "B", "start": [1, 0]}, {"name": "C", "start": [0, 1]}],
                    "stop": {"max_steps": 400000000}})",
         "stop.max_steps: 400000000 updates for each of 3 runs is 1200000000 in all; --headless runs at most 1000000000 updates in all, 100000000 with --csv"},
        {"csv_rows.json", booth + R"({"name": "A", "start": [0, 0]}], "stop": {"max_steps": 200000000}})",
         "stop.max_steps: 200000000 updates; --headless runs at most 1000000000 updates in all, 100000000 with --csv"},
        // 1e308 epochs of 20 samples one at a time: 2e309 updates, beyond a double, still counted and refused.
        {"epochs_1e308.json",
         R"({"objective": {"kind": "linear_regression", "data": {"generate": {"n": 20}}},
             "runs": [{"name": "A", "batch_size": 1, "start": [0, 0]}], "stop": {"max_epochs": 1e308}})",
         "stop.max_epochs: 1e+308 epochs come to about 2e+309 updates (an epoch is n / batch size updates, rounded up); "
         "--headless runs at most 1000000000 updates in all, 100000000 with --csv"},
        // An epoch of 20 samples in batches of 3 is 7 updates (6 of 3, the last of 2): 5e7 epochs are 3.5e8 updates a
        // run, 1.05e9 for three runs.
        {"epochs_times_runs.json",
         R"({"objective": {"kind": "linear_regression", "data": {"generate": {"n": 20}}},
             "runs": [{"name": "A", "batch_size": 3, "start": [0, 0]}, {"name": "B", "batch_size": 3, "start": [1, 0]},
                      {"name": "C", "batch_size": 3, "start": [0, 1]}], "stop": {"max_epochs": 5e7}})",
         "stop.max_epochs: 5e+07 epochs of 3 runs come to 1050000000 updates (an epoch is n / batch size updates, rounded up); "
         "--headless runs at most 1000000000 updates in all, 100000000 with --csv"},
    };
    for (const Case &c : cases) {
        const QString path = file(c.name, c.text);
        QTest::newRow(c.name) << QStringList{"--headless", "--scenario", path, "--csv", out} << path + ": " + QLatin1String(c.field);
    }
    // Without --csv the bound is 10^9 updates in all.
    const QString threeRuns = file("three_runs_bound.json", booth + R"({"name": "A", "start": [0, 0]}, {"name": "B", "start": [1, 0]},
        {"name": "C", "start": [0, 1]}], "stop": {"max_steps": 333333334}})");
    QTest::newRow("10^9 + 2 updates, summary only")
        << QStringList{"--headless", "--scenario", threeRuns, "--summary", m_dir.filePath(QStringLiteral("x.json"))}
        << threeRuns + ": stop.max_steps: 333333334 updates for each of 3 runs is 1000000002 in all; --headless runs at most "
                       "1000000000 updates in all, 100000000 with --csv";
    const QString csvScenario = file("csv_scenario.json", R"({"objective": {"kind": "linear_regression", "data": {"csv": "short_row.csv"}},
        "runs": [{"name": "A", "start": [0, 0]}]})");
    file("short_row.csv", "x,y\n1,2\n\n3\n");
    QTest::newRow("CSV missing column") << QStringList{"--headless", "--scenario", csvScenario, "--csv", out}
                                        << csvScenario + ": objective.data.csv: short_row.csv: line 4: expected two columns x,y separated by a comma, got '3'";
}

void TestHeadless::rejectsBadArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Result r = gdviz(arguments);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err, QStringLiteral("gdviz: ") + message + '\n'); // exactly one line
}

void TestHeadless::helpAndVersion()
{
    Result r = gdviz({"--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QLatin1String("--headless")));
    QVERIFY(r.out.contains(QLatin1String("--scenario")));
    r = gdviz({"--version"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith(QLatin1String("gdviz ")));
}

void TestHeadless::drawsThePicture()
{
    const QString png = m_dir.filePath(QStringLiteral("paths.png"));
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY")); // no display needed
    environment.remove(QStringLiteral("QT_QPA_PLATFORM"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(GDVIZ_BINARY), {"--headless", "--scenario", reference("rosenbrock_sgd.json"), "--png", png, "--size", "640x480"});
    QVERIFY(process.waitForFinished(-1));
    QCOMPARE(process.exitCode(), 0);
    const QImage image(png);
    QCOMPARE(image.size(), QSize(640, 480));
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 100, qPrintable(QString::number(colours.size()))); // a surface, not a blank page
}

void TestHeadless::screenshotRefusesAnEndlessScenario()
{
    // --play --screenshot waits for every run to end: with no limit it would wait forever.
    const QString scenario = m_dir.filePath(QStringLiteral("endless.json"));
    QFile file(scenario);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"objective": {"kind": "booth"}, "runs": [{"name": "A", "start": [1, 1]}], "stop": {"max_steps": 0}})");
    file.close();
    const Result r = gdviz({"--scenario", scenario, "--play", "--screenshot", m_dir.filePath(QStringLiteral("endless.png"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.split('\n').contains(QStringLiteral("gdviz: %1: stop.max_steps: 0 means no limit, which --play --screenshot cannot play"
                                                        " to the end; give max_steps or max_epochs").arg(scenario)),
             qPrintable(r.err));
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("endless.png"))));
}

void TestHeadless::workWithinTheBoundRuns_data()
{
    QTest::addColumn<QByteArray>("scenario");
    QTest::addColumn<qint64>("steps"); // of each run
    // Both rules: the first to hold ends the run, so 1e308 epochs under max_steps 300 is 300 updates.
    QTest::newRow("max_steps under huge max_epochs")
        << QByteArray(R"({"objective": {"kind": "linear_regression", "data": {"generate": {"n": 20}}},
                         "runs": [{"name": "A", "batch_size": 1, "lr": 0.001, "start": [0, 0]}], "stop": {"max_epochs": 1e308, "max_steps": 300}})")
        << qint64(300);
    // 2 epochs of 20 samples in batches of 3: 7 updates an epoch, 14 in all.
    QTest::newRow("max_epochs in updates")
        << QByteArray(R"({"objective": {"kind": "linear_regression", "data": {"generate": {"n": 20}}},
                         "runs": [{"name": "A", "batch_size": 3, "lr": 0.001, "start": [0, 0]}], "stop": {"max_epochs": 2}})")
        << qint64(14);
}

void TestHeadless::workWithinTheBoundRuns()
{
    QFETCH(QByteArray, scenario);
    QFETCH(qint64, steps);
    const QString path = m_dir.filePath(QStringLiteral("bounded.json")), summary = m_dir.filePath(QStringLiteral("bounded_summary.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(scenario);
    file.close();
    const Result r = gdviz({"--headless", "--scenario", path, "--summary", summary});
    QCOMPARE(r.err, QString());
    QCOMPARE(r.exitCode, 0);
    QFile s(summary);
    QVERIFY(s.open(QIODevice::ReadOnly));
    const QJsonArray runs = QJsonDocument::fromJson(s.readAll()).object().value("runs").toArray();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs[0].toObject().value("steps").toInteger(), steps);
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
