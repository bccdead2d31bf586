// The bad-input catalogue as it reaches the window: a bad scenario file is named in the banner, bad data
// next to the data fields, a bad formula under the formula box, a bad number is refused by its box; in
// every case the runs, the objective and the data the user had stay exactly as they were.

#include "MainWindow.h"
#include "WindowTestSupport.h"
#include "ObjectivePanel.h"
#include "RunEditor.h"
#include "RunTable.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace gdviz;

namespace {

/// What the user had: enough to tell whether anything changed.
struct Kept {
    std::vector<RunId> ids;
    std::vector<RunSettings> runs;
    std::string objectiveKind, expression, csvPath;
    std::vector<double> dataX;
    QString file;
    bool modified = false;

    explicit Kept(MainWindow &w)
        : ids(w.engine().runIds())
        , objectiveKind(w.engine().scenario().objectiveSpec.kind)
        , expression(w.engine().scenario().objectiveSpec.expression)
        , csvPath(w.engine().scenario().objectiveSpec.csvPath)
        , file(w.currentFile())
        , modified(w.isWindowModified())
    {
        for (RunId id : ids)
            runs.push_back(w.engine().runSettings(id));
        if (w.engine().scenario().data)
            dataX = w.engine().scenario().data->x;
    }
    bool operator==(const Kept &) const = default;
};

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(bytes);
}

} // namespace

class TestWindowBadInput : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void badScenarioFile_data();
    void badScenarioFile();
    void badCsvImport_data();
    void badCsvImport();
    void badFormula_data();
    void badFormula();
    void formulaFiniteNowhere_data();
    void formulaFiniteNowhere();
    void textInANumberBox();

private:
    /// Switches the objective to a formula (the panel offers x^2 + 3*y^2 and loads it) and waits for it.
    void chooseFormula();
    /// Types formula into the formula box over what is there, and presses Return.
    void typeFormula(const QString &formula);
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestWindowBadInput::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestWindowBadInput::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    openLessonWindow(m_window);
}

void TestWindowBadInput::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

void TestWindowBadInput::badScenarioFile_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message"); // after "<path>: "
    QTest::addColumn<bool>("exact"); // false: the message starts so (the rest is the JSON parser's own words)
    const QByteArray run = R"({"name": "GD", "lr": 0.01, "start": [1, 1]})";
    auto scenario = [](const QByteArray &runs, const QByteArray &more = {}) {
        return R"({"objective": {"kind": "booth"}, "runs": [)" + runs + "]" + more + "}";
    };
    auto withCsv = [&](const char *csv) {
        return R"({"objective": {"kind": "linear_regression", "data": {"csv": ")" + QByteArray(csv) + R"("}}, "runs": [)" + run + "]}";
    };
    QTest::newRow("malformed JSON") << QByteArray("{\"objective\": {\"kind\": \"booth\"},\n \"runs\": [")
                                    << QStringLiteral("line 2, column 11: malformed JSON: ") << false;
    QTest::newRow("unknown key") << scenario(run, R"(, "colour": "red")")
                                 << QStringLiteral("colour: unknown key (a scenario takes: objective, runs, stop, view, race_by)") << true;
    QTest::newRow("duplicate run names") << scenario(run + "," + run) << QStringLiteral("runs[1].name: 'GD' is already the name of runs[0]") << true;
    QTest::newRow("empty runs") << scenario({}) << QStringLiteral("runs: must hold at least one run") << true;
    QTest::newRow("NaN literal") << scenario(R"({"name": "A", "lr": NaN, "start": [0, 0]})")
                                 << QStringLiteral("line 1, column 63: malformed JSON: illegal number"
                                                  " (JSON numbers must be finite doubles: no NaN or Infinity; 0 or magnitudes between about 1e-308 and 1e308)") << true;
    QTest::newRow("NaN in CSV") << withCsv("nan_value.csv") << QStringLiteral("objective.data.csv: nan_value.csv: line 2: y: 'nan' is not a finite number") << true;
    QTest::newRow("text in CSV number") << withCsv("text_in_number.csv")
                                        << QStringLiteral("objective.data.csv: text_in_number.csv: line 3: y: 'abc' is not a finite number") << true;
}

void TestWindowBadInput::badScenarioFile()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    QFETCH(bool, exact);
    for (const char *csv : {"nan_value.csv", "text_in_number.csv"})
        QVERIFY(QFile::copy(QStringLiteral(GDVIZ_TEST_DATA_DIR "/") + QLatin1String(csv), m_dir->filePath(QLatin1String(csv))));
    const QString path = m_dir->filePath(QStringLiteral("bad.json"));
    writeFile(path, json);
    const Kept before(*m_window);

    QSignalSpy opened(m_window.get(), &MainWindow::scenarioFileOpened);
    QVERIFY(m_window->openScenarioFile(path));
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 10000);
    QCOMPARE(opened.front().front().toBool(), false);
    const QString expected = path + QStringLiteral(": ") + message;
    if (exact)
        QCOMPARE(m_window->bannerText(), expected);
    else
        QVERIFY2(m_window->bannerText().startsWith(expected) && !m_window->bannerText().contains(QLatin1Char('\n')),
                 qPrintable(m_window->bannerText()));
    QTest::qWait(50); // anything a wrongly accepted file would have queued
    QVERIFY(Kept(*m_window) == before);
    QCOMPARE(m_window->runTable()->table()->rowCount(), 3);
}

void TestWindowBadInput::badCsvImport_data()
{
    QTest::addColumn<QString>("csv");
    QTest::addColumn<QString>("message"); // after "objective.data.csv: <path>: " (the scenario field it fills)
    QTest::newRow("NaN in CSV") << QStringLiteral("nan_value.csv") << QStringLiteral("line 2: y: 'nan' is not a finite number");
    QTest::newRow("text in CSV number") << QStringLiteral("text_in_number.csv") << QStringLiteral("line 3: y: 'abc' is not a finite number");
}

void TestWindowBadInput::badCsvImport()
{
    QFETCH(QString, csv);
    QFETCH(QString, message);
    const QString path = QStringLiteral(GDVIZ_TEST_DATA_DIR "/") + csv;
    const Kept before(*m_window);
    auto *error = m_window->objectivePanel()->findChild<QLabel *>(QStringLiteral("dataError"));
    QVERIFY(error);
    QVERIFY(error->isHidden());
    auto *editor = m_window->objectivePanel()->findChild<QObject *>(QStringLiteral("dataGroup"));
    QVERIFY(editor);
    QVERIFY(QMetaObject::invokeMethod(editor, "csvFileChosen", Q_ARG(QString, path))); // as Import CSV… after its dialog
    QTRY_VERIFY_WITH_TIMEOUT(!error->text().isEmpty(), 10000);
    QCOMPARE(error->text(), QStringLiteral("objective.data.csv: ") + path + QStringLiteral(": ") + message);
    QVERIFY(error->isVisible());
    QTest::qWait(50);
    QVERIFY(Kept(*m_window) == before);
    QVERIFY(m_window->bannerText().isEmpty()); // one message, next to the data fields
}

void TestWindowBadInput::chooseFormula()
{
    auto *combo = m_window->objectivePanel()->findChild<QComboBox *>(QStringLiteral("objectiveCombo"));
    combo->setCurrentIndex(combo->findData(QStringLiteral("expression"))); // offers x^2 + 3*y^2 and loads it
    QTRY_COMPARE_WITH_TIMEOUT(m_window->engine().scenario().objectiveSpec.kind, std::string("expression"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->runTable()->table()->rowCount(), 3, 10000);
}

void TestWindowBadInput::typeFormula(const QString &formula)
{
    auto *edit = m_window->objectivePanel()->findChild<QLineEdit *>(QStringLiteral("formulaEdit"));
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, formula);
    QTest::keyClick(edit, Qt::Key_Return);
}

void TestWindowBadInput::badFormula_data()
{
    QTest::addColumn<QString>("formula");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown name") << QStringLiteral("x^2 + sn(y)")
                                  << QStringLiteral("position 7: unknown name 'sn' (known names: x, y, pi, e, sin, cos, tan, exp, log, sqrt, abs, tanh)");
    QTest::newRow("syntax error") << QStringLiteral("x^2 + * y") << QStringLiteral("position 7: expected a value but found '*'");
}

void TestWindowBadInput::badFormula()
{
    QFETCH(QString, formula);
    QFETCH(QString, message);
    chooseFormula();
    if (QTest::currentTestFailed())
        return;
    const Kept before(*m_window);
    QSignalSpy requested(m_window->objectivePanel(), &ObjectivePanel::objectiveRequested);

    typeFormula(formula);
    auto *error = m_window->objectivePanel()->findChild<QLabel *>(QStringLiteral("formulaError"));
    QVERIFY(error);
    QCOMPARE(error->text(), message);
    QVERIFY(error->isVisible());
    QVERIFY(!m_window->objectivePanel()->findChild<QTimer *>(QStringLiteral("formulaDebounce"))->isActive());
    QTest::qWait(50);
    QCOMPARE(requested.size(), 0);
    QVERIFY(Kept(*m_window) == before);
    QCOMPARE(m_window->engine().scenario().objectiveSpec.expression, std::string("x^2 + 3*y^2"));
}

void TestWindowBadInput::formulaFiniteNowhere_data()
{
    QTest::addColumn<QString>("formula");
    // Each parses, but has no finite value anywhere in the view or at any start point.
    QTest::newRow("log of a negative") << QStringLiteral("log(-1-x^2-y^2)");
    QTest::newRow("division by zero") << QStringLiteral("x/0");
    QTest::newRow("overflow") << QStringLiteral("exp(1000)+x^2");
}

void TestWindowBadInput::formulaFiniteNowhere()
{
    QFETCH(QString, formula);
    chooseFormula();
    if (QTest::currentTestFailed())
        return;
    const Kept before(*m_window);

    typeFormula(formula);
    auto *error = m_window->objectivePanel()->findChild<QLabel *>(QStringLiteral("formulaError"));
    QVERIFY(error);
    // The scenario reader's wording: one message, under the formula box, no caret (no position is at fault).
    QTRY_COMPARE_WITH_TIMEOUT(error->text(),
                              QStringLiteral("objective.expr: not a finite number anywhere in the view or at any start point"
                                             " (a division by zero, the log or square root of a negative number, or an overflow like exp(1000))"),
                              10000);
    QVERIFY(error->isVisible());
    QTest::qWait(50);
    QVERIFY(Kept(*m_window) == before);
    QCOMPARE(m_window->engine().scenario().objectiveSpec.expression, std::string("x^2 + 3*y^2"));
    QVERIFY(m_window->bannerText().isEmpty());
}

void TestWindowBadInput::textInANumberBox()
{
    const RunId id = m_window->runTable()->selectedRun();
    const double lr = m_window->engine().runSettings(id).optimizer.lr;
    auto *spin = m_window->runEditor()->findChild<QDoubleSpinBox *>(QStringLiteral("lrSpin"));
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, QStringLiteral("abc")); // the box refuses letters as they are typed
    QTest::keyClick(spin, Qt::Key_Return);
    QCOMPARE(spin->value(), lr);
    QCOMPARE(m_window->engine().runSettings(id).optimizer.lr, lr);
    QVERIFY(!m_window->isWindowModified());
}

QTEST_MAIN(TestWindowBadInput)
#include "tst_windowbadinput.moc"
