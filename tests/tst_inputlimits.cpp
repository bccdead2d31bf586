// Hostile input (issue 14, items 9, 11 and 12): every length and count a file can set is bounded, messages quote at
// most a short excerpt of what they refuse with invisible bytes escaped, duplicate JSON keys are refused with both
// places, a CSV's first line of "nan,nan" is data (refused) rather than a header, and generated or loaded data stays
// where its squares are finite. Each row is a bad input and the message it must get, written out by hand.

#include "DataSet.h"
#include "Expression.h"
#include "JsonDuplicateKeys.h"
#include "MessageText.h"
#include "ScenarioReader.h"

#include <QJsonDocument>
#include <QTest>

#include <cmath>
#include <string>

using namespace gdviz;

namespace {

const std::string label = "s.json";
const std::string goodRun = R"({"name": "GD", "lr": 0.1, "start": [1, 2]})";
const std::string rosenbrock = R"("objective": {"kind": "rosenbrock"})";

std::string scenario(const std::string &runs, const std::string &objective = rosenbrock)
{
    return "{" + objective + ", \"runs\": [" + runs + "]}";
}

std::string run(const std::string &name) { return R"({"name": ")" + name + R"(", "start": [0, 0]})"; }

std::string linearData(const std::string &generate)
{
    return R"("objective": {"kind": "linear_regression", "data": {"generate": )" + generate + "}}";
}

std::string formula(const std::string &expr) { return R"("objective": {"kind": "expression", "expr": ")" + expr + "\"}"; }

/// Valid UTF-8 without any control character: what every message must be, whatever it quotes.
bool printableUtf8(const std::string &s)
{
    for (const char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return false;
    return QString::fromUtf8(s.data(), qsizetype(s.size())).toUtf8() == QByteArray::fromStdString(s);
}

/// Messages stay one short line: the longest fixed wording (the list of known objectives) is about 270 bytes.
constexpr std::size_t longestMessage = 400;

} // namespace

class TestInputLimits : public QObject {
    Q_OBJECT
private slots:
    void excerpts_data();
    void excerpts();
    void countsCharacters_data();
    void countsCharacters();
    void refusesScenario_data();
    void refusesScenario();
    void acceptsScenarioAtTheLimits_data();
    void acceptsScenarioAtTheLimits();
    void findsDuplicateKeys_data();
    void findsDuplicateKeys();
    void refusesCsv_data();
    void refusesCsv();
    void readsCsvHeaders_data();
    void readsCsvHeaders();
    void dataAtTheBoundHasFiniteLosses_data();
    void dataAtTheBoundHasFiniteLosses();
    void refusesFormula_data();
    void refusesFormula();
};

void TestInputLimits::excerpts_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("maxCharacters");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray a40(40, 'a');
    QTest::newRow("short") << QByteArray("abc") << 40 << QByteArray("abc");
    QTest::newRow("exactly 40") << a40 << 40 << a40;
    QTest::newRow("41: cut with an ellipsis") << a40 + "b" << 40 << a40 + "\u2026";
    QTest::newRow("a megabyte") << QByteArray(1'000'000, 'x') << 3 << QByteArray("xxx\u2026");
    QTest::newRow("NUL") << QByteArray("a\0b", 3) << 40 << QByteArray("a\\x00b");
    QTest::newRow("line breaks and tab") << QByteArray("a\nb\r\tc") << 40 << QByteArray("a\\nb\\r\\tc");
    QTest::newRow("escape, DEL") << QByteArray("\x1b[2J\x7f") << 40 << QByteArray("\\x1B[2J\\x7F");
    QTest::newRow("escapes count as one character") << QByteArray("\n\n\n") << 2 << QByteArray("\\n\\n\u2026");
    QTest::newRow("backslash as written") << QByteArray("C:\\data\\x.csv") << 40 << QByteArray("C:\\data\\x.csv");
    QTest::newRow("UTF-8 kept") << QByteArray("caf\u00e9 \u20ac \U0001F600") << 40 << QByteArray("caf\u00e9 \u20ac \U0001F600");
    QTest::newRow("UTF-8 counted by characters") << QByteArray("\u00e9\u00e9\u00e9") << 2 << QByteArray("\u00e9\u00e9\u2026");
    QTest::newRow("invalid byte") << QByteArray("a\xff" "b") << 40 << QByteArray("a\\xFFb");
    QTest::newRow("stray continuation byte") << QByteArray("\x80") << 40 << QByteArray("\\x80");
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << 40 << QByteArray("\\xC0\\xAF");
    QTest::newRow("overlong 3 bytes") << QByteArray("\xe0\x80\xaf") << 40 << QByteArray("\\xE0\\x80\\xAF");
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << 40 << QByteArray("\\xED\\xA0\\x80");
    QTest::newRow("beyond U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << 40 << QByteArray("\\xF4\\x90\\x80\\x80");
    QTest::newRow("cut short") << QByteArray("\xe2\x82") << 40 << QByteArray("\\xE2\\x82");
    QTest::newRow("right-to-left override") << QByteArray("a\u202eb") << 40 << QByteArray("a\\u{202E}b");
    QTest::newRow("line separator") << QByteArray("a\u2028b") << 40 << QByteArray("a\\u{2028}b");
    QTest::newRow("C1 control") << QByteArray("\u0085") << 40 << QByteArray("\\u{0085}");
    QTest::newRow("byte order mark") << QByteArray("\ufeffx") << 40 << QByteArray("\\u{FEFF}x");
    QTest::newRow("empty") << QByteArray() << 40 << QByteArray();
    QTest::newRow("nothing allowed") << QByteArray("a") << 0 << QByteArray("\u2026");
}

void TestInputLimits::excerpts()
{
    QFETCH(QByteArray, input);
    QFETCH(int, maxCharacters);
    QFETCH(QByteArray, expected);
    const std::string got = excerpt(input.toStdString(), std::size_t(maxCharacters));
    QCOMPARE(QByteArray::fromStdString(got), expected);
    QVERIFY(printableUtf8(got));
    QCOMPARE(QByteArray::fromStdString(quotedExcerpt(input.toStdString(), std::size_t(maxCharacters))), "'" + expected + "'");
}

void TestInputLimits::countsCharacters_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qulonglong>("characters");
    QTest::addColumn<QString>("grouped");
    QTest::newRow("empty") << QByteArray() << 0ull << "0";
    QTest::newRow("ASCII") << QByteArray(999, 'a') << 999ull << "999";
    QTest::newRow("thousand") << QByteArray(1000, 'a') << 1000ull << "1,000";
    QTest::newRow("two-byte characters") << QString(780'000, QChar(0xe9)).toUtf8() << 780'000ull << "780,000";
    QTest::newRow("four-byte characters") << QByteArray("\U0001F600\U0001F600") << 2ull << "2";
    QTest::newRow("invalid bytes count one each") << QByteArray("\xff\xfe\x80") << 3ull << "3";
    QTest::newRow("million") << QByteArray(1'000'000, 'a') << 1'000'000ull << "1,000,000";
}

void TestInputLimits::countsCharacters()
{
    QFETCH(QByteArray, input);
    QFETCH(qulonglong, characters);
    QFETCH(QString, grouped);
    QCOMPARE(qulonglong(characterCount(input.toStdString())), characters);
    QCOMPARE(QString::fromStdString(groupedNumber(std::size_t(characters))), grouped);
    QCOMPARE(lengthProblem(input.toStdString(), std::size_t(characters)), std::string());
    if (characters > 0)
        QCOMPARE(QString::fromStdString(lengthProblem(input.toStdString(), std::size_t(characters - 1))),
                 grouped + " characters, at most " + QString::fromStdString(groupedNumber(std::size_t(characters - 1))));
}

void TestInputLimits::refusesScenario_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    const std::string a40(40, 'a');
    const std::string ellipsis = "\u2026";

    // Item 9: names.
    QTest::newRow("5 MB run name") << QByteArray::fromStdString(scenario(run(std::string(5'000'000, 'n'))))
                                   << "s.json: runs[0].name: 5,000,000 characters, at most 80";
    QTest::newRow("64 runs, a 780 KB name in runs[2]") << QByteArray::fromStdString(scenario([] {
        std::string runs;
        for (int i = 0; i < 64; ++i)
            runs += (i ? "," : "") + run(i == 2 ? std::string(780'000, 'n') : "R" + std::to_string(i));
        return runs;
    }())) << "s.json: runs[2].name: 780,000 characters, at most 80";
    QTest::newRow("81-character name") << QByteArray::fromStdString(scenario(run(std::string(81, 'n'))))
                                       << "s.json: runs[0].name: 81 characters, at most 80";
    QTest::newRow("name with a line break") << QByteArray::fromStdString(scenario(run("two\\nlines")))
                                            << "s.json: runs[0].name: must be printable text (no line breaks, tabs or control characters), got 'two\\nlines'";
    QTest::newRow("name with NUL") << QByteArray::fromStdString(scenario(run("a\\u0000b")))
                                   << "s.json: runs[0].name: must be printable text (no line breaks, tabs or control characters), got 'a\\x00b'";
    QTest::newRow("duplicate long names") << QByteArray::fromStdString(scenario(run(std::string(80, 'n')) + "," + run(std::string(80, 'n'))))
                                          << QString::fromStdString("s.json: runs[1].name: '" + std::string(40, 'n') + ellipsis + "' is already the name of runs[0]");
    // Item 9: formulas.
    QTest::newRow("1 MB unknown formula name") << QByteArray::fromStdString(scenario(goodRun, formula(std::string(1'000'000, 'q'))))
                                               << "s.json: objective.expr: 1,000,000 characters, at most 500";
    QTest::newRow("501-character formula") << QByteArray::fromStdString(scenario(goodRun, formula("x" + std::string(500, ' '))))
                                           << "s.json: objective.expr: 501 characters, at most 500";
    QTest::newRow("unknown name of 400 characters") << QByteArray::fromStdString(scenario(goodRun, formula("x + " + std::string(400, 'q'))))
                                                      << QString::fromStdString("s.json: objective.expr: position 5: unknown name '" + std::string(40, 'q') + ellipsis
                                                                                + "' (known names: x, y, pi, e, sin, cos, tan, exp, log, sqrt, abs, tanh)");
    // Every other string: keywords, a path.
    QTest::newRow("1 MB objective kind") << QByteArray::fromStdString(scenario(goodRun, R"("objective": {"kind": ")" + std::string(1'000'000, 'k') + "\"}"))
                                         << "s.json: objective.kind: 1,000,000 characters, at most 64";
    QTest::newRow("unknown kind with NUL") << QByteArray::fromStdString(scenario(goodRun, R"("objective": {"kind": "rosen\u0000brock"})"))
                                           << "s.json: objective.kind: unknown objective 'rosen\\x00brock' (known: quadratic, rosenbrock, beale, himmelblau, booth, matyas, three_hump_camel, six_hump_camel, rastrigin, ackley, styblinski_tang, goldstein_price, saddle, expression, linear_regression, logistic_regression)";
    QTest::newRow("1 MB optimizer") << QByteArray::fromStdString(scenario(R"({"name": "A", "optimizer": ")" + std::string(1'000'000, 'o') + "\"}"))
                                    << "s.json: runs[0].optimizer: 1,000,000 characters, at most 64";
    QTest::newRow("1 MB lr text") << QByteArray::fromStdString(scenario(R"({"name": "A", "lr": ")" + std::string(1'000'000, 'l') + "\"}"))
                                  << QString::fromStdString("s.json: runs[0].lr: must be a number or \"recommended\", got \"" + std::string(40, 'l') + ellipsis + "\"");
    QTest::newRow("batch_size text with escape") << QByteArray::fromStdString(scenario(R"({"name": "A", "batch_size": "\u001b[31mfull"})"))
                                                 << "s.json: runs[0].batch_size: must be \"full\" or a whole number >= 1, got \"\\x1B[31mfull\"";
    QTest::newRow("race_by 1 MB") << QByteArray::fromStdString("{" + rosenbrock + R"(, "runs": [)" + goodRun + R"(], "race_by": ")" + std::string(1'000'000, 'r') + "\"}")
                                  << QString::fromStdString("s.json: race_by: must be \"updates\" or \"samples\", got \"" + std::string(40, 'r') + ellipsis + "\"");
    QTest::newRow("1 MB unknown key") << QByteArray::fromStdString(scenario(goodRun, R"("objective": {"kind": "booth", ")" + std::string(1'000'000, 'z') + "\": 1}"))
                                      << QString::fromStdString("s.json: objective." + std::string(40, 'z') + ellipsis + ": unknown key ('booth' takes no parameters)");
    QTest::newRow("unknown key with line break") << QByteArray::fromStdString(scenario(goodRun, R"("objective": {"kind": "booth", "a\nb": 1})"))
                                                 << "s.json: objective.a\\nb: unknown key ('booth' takes no parameters)";
    QTest::newRow("CSV path of 1,025 characters") << QByteArray::fromStdString(scenario(goodRun, R"("objective": {"kind": "linear_regression", "data": {"csv": ")" + std::string(1025, 'p') + "\"}}"))
                                                  << "s.json: objective.data.csv: 1,025 characters, at most 1,024";
    QTest::newRow("unknown schedule, 1 MB") << QByteArray::fromStdString(scenario(R"({"name": "A", "schedule": {"kind": ")" + std::string(1'000'000, 's') + "\"}}"))
                                            << "s.json: runs[0].schedule.kind: 1,000,000 characters, at most 64";

    // Item 11: duplicate keys, both places named (line:column, columns in characters).
    QTest::newRow("lr twice") << QByteArray::fromStdString("{" + rosenbrock + ",\n \"runs\": [\n   {\"lr\": -1, \"lr\": 0.001, \"name\": \"A\"}]}")
                              << "s.json: runs[0]: key \"lr\" appears twice, at 3:5 and 3:15";
    QTest::newRow("top-level key twice") << QByteArray::fromStdString("{" + rosenbrock + ",\n" + rosenbrock + ", \"runs\": [" + goodRun + "]}")
                                         << "s.json: top level: key \"objective\" appears twice, at 1:2 and 2:1";
    QTest::newRow("in the generator") << QByteArray::fromStdString(scenario(goodRun, linearData(R"({"n": 10, "seed": 1, "n": 20})")))
                                      << "s.json: objective.data.generate: key \"n\" appears twice, at 1:67 and 1:87";
    QTest::newRow("in a later run's schedule") << QByteArray::fromStdString(scenario(goodRun + ", " + R"({"name": "B", "schedule": {"kind": "step", "gamma": 0.5, "gamma": 2}})"))
                                               << "s.json: runs[1].schedule: key \"gamma\" appears twice, at 1:135 and 1:149";
    QTest::newRow("the same key spelt with an escape") << QByteArray::fromStdString(scenario(R"({"name": "A", "lr": 1, "l\u0072": 2})"))
                                                       << "s.json: runs[0]: key \"lr\" appears twice, at 1:62 and 1:71";
    QTest::newRow("columns count characters") << QByteArray::fromStdString(scenario("{\"name\": \"\u00e9\u00e9\u00e9\u00e9\", \"lr\": 1, \"lr\": 2}"))
                                              << "s.json: runs[0]: key \"lr\" appears twice, at 1:65 and 1:74";
    QTest::newRow("duplicate key with a line break") << QByteArray::fromStdString(scenario(R"({"name": "A", "a\nb": 1, "a\nb": 2})"))
                                                     << "s.json: runs[0]: key \"a\\nb\" appears twice, at 1:62 and 1:73";

    // Item 11: generated data whose squares would overflow.
    QTest::newRow("slope 1e100 over x up to 1e100") << QByteArray::fromStdString(scenario(goodRun, linearData(R"({"slope": 1e100, "x_range": [-1e100, 1e100]})")))
                                                    << "s.json: objective.data.generate.slope: with these slope, intercept, noise and x_range, y = slope*x + intercept + noise*N(0, 1) reaches about 1e+200; |slope|*max|x| + |intercept| + 8.572*noise must be at most 1e100, so that squared errors summed over the samples stay finite";
    QTest::newRow("noise 2e99") << QByteArray::fromStdString(scenario(goodRun, linearData(R"({"noise": 2e99, "intercept": 0})")))
                                << "s.json: objective.data.generate.noise: with these slope, intercept, noise and x_range, y = slope*x + intercept + noise*N(0, 1) reaches about 1.71e+100; |slope|*max|x| + |intercept| + 8.572*noise must be at most 1e100, so that squared errors summed over the samples stay finite";
    QTest::newRow("intercept 1e100 and slope 2") << QByteArray::fromStdString(scenario(goodRun, linearData(R"({"intercept": 1e100, "slope": 1e89, "x_range": [0, 1e10]})")))
                                                 << "s.json: objective.data.generate.intercept: with these slope, intercept, noise and x_range, y = slope*x + intercept + noise*N(0, 1) reaches about 1.1e+100; |slope|*max|x| + |intercept| + 8.572*noise must be at most 1e100, so that squared errors summed over the samples stay finite";
}

void TestInputLimits::refusesScenario()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    std::string error;
    QVERIFY(!parseScenario(json.toStdString(), label, GDVIZ_TEST_DATA_DIR, &error));
    QCOMPARE(QString::fromStdString(error), message);
    QVERIFY2(error.size() <= longestMessage, error.c_str());
    QVERIFY(printableUtf8(error));
}

void TestInputLimits::acceptsScenarioAtTheLimits_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("firstRunName");
    const std::string n80(80, 'n');
    const std::string e80 = QString(80, QChar(0xe9)).toStdString(); // 160 bytes, 80 characters
    QTest::newRow("80-character name") << QByteArray::fromStdString(scenario(run(n80))) << QString::fromStdString(n80);
    QTest::newRow("80 two-byte characters") << QByteArray::fromStdString(scenario(run(e80))) << QString::fromStdString(e80);
    QTest::newRow("name with a backslash and quotes") << QByteArray::fromStdString(scenario(run(R"(a\\b \"c\")"))) << R"(a\b "c")";
    QTest::newRow("500-character formula") << QByteArray::fromStdString(scenario(goodRun, formula("x^2" + std::string(497, ' ')))) << "GD";
    QTest::newRow("equal keys in different objects") << QByteArray::fromStdString(scenario(R"({"name": "A", "lr": 1, "schedule": {"kind": "step"}}, {"name": "B", "lr": 1, "schedule": {"kind": "step"}})")) << "A";
    QTest::newRow("braces and escaped quotes in strings") << QByteArray::fromStdString(scenario(R"({"name": "{\"lr\": 1, \"lr\": 2}", "lr": 0.1})")) << R"({"lr": 1, "lr": 2})";
    QTest::newRow("generator at the bound") << QByteArray::fromStdString(scenario(goodRun, linearData(R"({"slope": 0.999e50, "x_range": [-1e50, 1e50], "intercept": 0, "noise": 0})")))
                                            << "GD";
}

void TestInputLimits::acceptsScenarioAtTheLimits()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, firstRunName);
    std::string error;
    const auto s = parseScenario(json.toStdString(), label, GDVIZ_TEST_DATA_DIR, &error);
    QVERIFY2(s, error.c_str());
    QCOMPARE(QString::fromStdString(s->runs.front().name), firstRunName);
}

void TestInputLimits::findsDuplicateKeys_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("second");
    QTest::newRow("none") << QByteArray(R"({"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]})") << false << "" << QByteArray() << 0 << 0;
    QTest::newRow("top level") << QByteArray(R"({"a": 1, "a": 2})") << true << "" << QByteArray("a") << 1 << 9;
    QTest::newRow("third array element") << QByteArray(R"({"c": [{}, 1, {"x": 1, "x": 1}]})") << true << "c[2]" << QByteArray("x") << 15 << 23;
    QTest::newRow("array of arrays") << QByteArray(R"([[0], [1, {"k": 0, "k": 0}]])") << true << "[1][1]" << QByteArray("k") << 11 << 19;
    QTest::newRow("surrogate pair escape") << QByteArray(R"({"\ud83d\ude00": 1, ")" "\U0001F600" R"(": 2})") << true << "" << QByteArray("\U0001F600") << 1 << 20;
    QTest::newRow("different lone surrogates") << QByteArray(R"({"\ud800": 1, "\ud801": 2})") << false << "" << QByteArray() << 0 << 0;
    QTest::newRow("escaped quote in key") << QByteArray(R"({"a\"": 1, "a\"": 2})") << true << "" << QByteArray("a\"") << 1 << 11;
    QTest::newRow("key-like string values") << QByteArray(R"({"a": "b", "c": "b", "d": ["a", "a"]})") << false << "" << QByteArray() << 0 << 0;
    QTest::newRow("value ending in an escaped backslash") << QByteArray(R"({"a": "x\\", "b": "\"}", "a": 1})") << true << "" << QByteArray("a") << 1 << 25;
    QTest::newRow("after a closed object") << QByteArray(R"({"o": {"a": 1}, "a": 1, "o": 2})") << true << "" << QByteArray("o") << 1 << 24;
    QTest::newRow("long key in the path") << QByteArray("{\"" + QByteArray(100, 'k') + "\": {\"a\": 1, \"a\": 2}}") << true
                                          << QString(40, QLatin1Char('k')) + QChar(0x2026) << QByteArray("a") << 106 << 114;
}

void TestInputLimits::findsDuplicateKeys()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, found);
    QVERIFY(!QJsonDocument::fromJson(json).isNull()); // the scan's contract: text Qt accepts
    const std::optional<DuplicateKey> duplicate = findDuplicateKey(json.toStdString());
    QCOMPARE(duplicate.has_value(), found);
    if (!found)
        return;
    QFETCH(QString, path);
    QFETCH(QByteArray, key);
    QFETCH(int, first);
    QFETCH(int, second);
    QCOMPARE(QString::fromStdString(duplicate->objectPath), path);
    QCOMPARE(QByteArray::fromStdString(duplicate->key), key);
    QCOMPARE(int(duplicate->firstOffset), first);
    QCOMPARE(int(duplicate->secondOffset), second);
}

void TestInputLimits::refusesCsv_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("logistic");
    QTest::addColumn<QString>("message");
    // Item 11: a first line written as numbers is data, refused for its value, never dropped as a header.
    QTest::newRow("nan,nan first") << QByteArray("nan,nan\n1,2\n") << false << "line 1: x: 'nan' is not a finite number";
    QTest::newRow("NaN,NaN first") << QByteArray("NaN,NaN\n1,2\n") << false << "line 1: x: 'NaN' is not a finite number";
    QTest::newRow("inf,1 first") << QByteArray("inf,1\n") << false << "line 1: x: 'inf' is not a finite number";
    QTest::newRow("-inf,-Infinity first") << QByteArray("-inf,-Infinity\n") << false << "line 1: x: '-inf' is not a finite number";
    QTest::newRow("+infinity,nan first") << QByteArray("+infinity,nan\n") << false << "line 1: x: '+infinity' is not a finite number";
    QTest::newRow("1e400,1e400 first") << QByteArray("1e400,1e400\n") << false << "line 1: x: '1e400' is not a finite number";
    QTest::newRow("name,nan first") << QByteArray("x,nan\n1,2\n") << false << "line 1: x: 'x' is not a finite number";
    QTest::newRow("nan label first") << QByteArray("0,nan\n") << true << "line 1: label: 'nan' is not a finite number";
    QTest::newRow("nan after a header") << QByteArray("x,y\n1,2\nnan,3\n") << false << "line 3: x: 'nan' is not a finite number";
    // Item 12: what a message quotes is short and printable.
    QTest::newRow("NUL in a value") << QByteArray("x,y\n1,2\0\n", 9) << false << "line 2: y: '2\\x00' is not a finite number";
    QTest::newRow("invalid UTF-8 in a value") << QByteArray("1,\xff\n") << false << "line 1: y: '\\xFF' is not a finite number";
    QTest::newRow("1 MB line without a comma") << QByteArray(1'000'000, 'w') << false
                                               << "line 1: expected two columns x,y separated by a comma, got '" + QString(40, QLatin1Char('w')) + QChar(0x2026) + "'";
    QTest::newRow("terminal escape in a line") << QByteArray("\x1b]0;owned\x07\n") << false
                                               << "line 1: expected two columns x,y separated by a comma, got '\\x1B]0;owned\\x07'";
    // Item 9: header names are names, with a limit.
    QTest::newRow("81-character header name") << QByteArray(QByteArray(81, 'h') + ",y\n1,2\n") << false
                                              << "line 1: the name of column 1 ('" + QString(40, QLatin1Char('h')) + QChar(0x2026) + "'): 81 characters, at most 80";
    QTest::newRow("1 MB header name") << QByteArray("x," + QByteArray(1'000'000, 'h') + "\n1,2\n") << false
                                      << "line 1: the name of column 2 ('" + QString(40, QLatin1Char('h')) + QChar(0x2026) + "'): 1,000,000 characters, at most 80";
    // Values whose squares would overflow (the loss sums them).
    QTest::newRow("1e101") << QByteArray("1e101,1\n") << false << "line 1: x: '1e101' is too large (at most 1e100 in magnitude)";
    QTest::newRow("1e200 y") << QByteArray("1,1e200\n") << false << "line 1: y: '1e200' is too large (at most 1e100 in magnitude)";
}

void TestInputLimits::refusesCsv()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, logistic);
    QFETCH(QString, message);
    std::string error;
    QVERIFY(!parseDataCsv(text.toStdString(), logistic, &error));
    QCOMPARE(QString::fromStdString(error), message);
    QVERIFY(error.size() <= longestMessage);
    QVERIFY(printableUtf8(error));
}

void TestInputLimits::readsCsvHeaders_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("xName");
    QTest::addColumn<QString>("yName");
    QTest::addColumn<int>("samples");
    QTest::newRow("names") << QByteArray("height,weight\n1,2\n") << "height" << "weight" << 1;
    QTest::newRow("80-character names") << QByteArray(QByteArray(80, 'h') + "," + QByteArray(80, 'w') + "\n1,2\n")
                                        << QString(80, QLatin1Char('h')) << QString(80, QLatin1Char('w')) << 1;
    QTest::newRow("a tab in a name shown escaped") << QByteArray("a\tb,c\x01\n1,2\n") << "a\tb" << "c\\x01" << 1;
    QTest::newRow("no header: numbers") << QByteArray("1,2\n3,4\n") << "x" << "y" << 2;
    QTest::newRow("name like a number but not one") << QByteArray("nano,infant\n1,2\n") << "nano" << "infant" << 1;
}

void TestInputLimits::readsCsvHeaders()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, xName);
    QFETCH(QString, yName);
    QFETCH(int, samples);
    std::string error;
    const auto data = parseDataCsv(text.toStdString(), false, &error);
    QVERIFY2(data, error.c_str());
    // The header's tab is trimmed only at the ends of a field; inside a name it is shown as \t.
    QCOMPARE(QString::fromStdString(data->xName), QString(xName).replace(QLatin1Char('\t'), QLatin1String("\\t")));
    QCOMPARE(QString::fromStdString(data->yName), yName);
    QCOMPARE(int(data->size()), samples);
}

void TestInputLimits::dataAtTheBoundHasFiniteLosses_data()
{
    // Data at the largest allowed magnitude: the loss at the least-squares line's neighbourhood and at the origin
    // is a mean of squares of numbers up to about 2e100, so at most about 4e200: finite.
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("generated, y up to 1e100") << QByteArray::fromStdString(scenario(goodRun, linearData(R"({"n": 1000, "slope": 0.999e50, "x_range": [-1e50, 1e50], "intercept": 0, "noise": 0})")));
    QTest::newRow("generated, noise at the bound") << QByteArray::fromStdString(scenario(goodRun, linearData(R"({"n": 1000, "slope": 0, "intercept": 0, "noise": 1.1e99})")));
    QTest::newRow("CSV at +-1e100") << QByteArray::fromStdString(scenario(goodRun, R"("objective": {"kind": "linear_regression", "data": {"csv": "extreme_values.csv"}})"));
}

void TestInputLimits::dataAtTheBoundHasFiniteLosses()
{
    QFETCH(QByteArray, json);
    std::string error;
    const auto s = parseScenario(json.toStdString(), label, GDVIZ_TEST_DATA_DIR, &error);
    QVERIFY2(s, error.c_str());
    const double bound = maxDataMagnitude * (1 + 1e-15); // a generated y is a sum of three rounded terms
    for (std::size_t i = 0; i < s->data->size(); ++i) {
        QVERIFY(std::abs(s->data->x[i]) <= bound);
        QVERIFY(std::abs(s->data->y[i]) <= bound);
    }
    for (const Vec2 &theta : {Vec2(0, 0), Vec2(1, 1), Vec2(-1, 1e50)}) {
        Vec2 gradient;
        const double loss = s->objective->evaluate(theta, &gradient);
        QVERIFY2(std::isfinite(loss), qPrintable(QString::number(loss)));
        QVERIFY(std::isfinite(gradient[0]) && std::isfinite(gradient[1]));
    }
}

void TestInputLimits::refusesFormula_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("message");
    const QString ellipsis(QChar(0x2026));
    QTest::newRow("1 MB") << QByteArray(1'000'000, 'q') << 0 << "formula too long: 1,000,000 characters, at most 500";
    QTest::newRow("501 characters") << QByteArray(QByteArray("x") + QByteArray(500, ' ')) << 0 << "formula too long: 501 characters, at most 500";
    QTest::newRow("501 two-byte characters") << QString(501, QChar(0xe9)).toUtf8() << 0 << "formula too long: 501 characters, at most 500";
    QTest::newRow("unknown name of 450 characters") << QByteArray(450, 'q') << 0
                                                      << QString(40, QLatin1Char('q')).prepend(QLatin1String("unknown name '")) + ellipsis
                                                             + "' (known names: x, y, pi, e, sin, cos, tan, exp, log, sqrt, abs, tanh)";
    QTest::newRow("long number out of range") << QByteArray("1" + QByteArray(300, '0') + "e999") << 0
                                              << "number '" + QString(40, QLatin1Char('0')).replace(0, 1, QLatin1Char('1')) + ellipsis + "' is out of range";
    QTest::newRow("missing operator between long names") << QByteArray("x " + QByteArray(100, 'y')) << 2
                                                         << "expected an operator between 'x' and '" + QString(40, QLatin1Char('y')) + ellipsis + "' (write 2*x, not 2x)";
    QTest::newRow("invisible character") << QByteArray("x\u202e") << 1 << "unexpected character '\\u{202E}'";
}

void TestInputLimits::refusesFormula()
{
    QFETCH(QByteArray, text);
    QFETCH(int, position);
    QFETCH(QString, message);
    ExpressionError error;
    QVERIFY(!Expression::parse(text.toStdString(), &error));
    QCOMPARE(QString::fromStdString(error.message), message);
    QCOMPARE(int(error.position), position);
    QVERIFY(printableUtf8(error.message));
}

QTEST_GUILESS_MAIN(TestInputLimits)
#include "tst_inputlimits.moc"
