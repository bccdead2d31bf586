// Nothing lost: every edit of the scenario marks the window modified ("*" in the title), closing or
// opening another scenario then asks Save / Discard / Cancel and does what the answer says, and a save
// that fails says so in one message and leaves the old file as it was, byte for byte.

#include "MainWindow.h"
#include "WindowTestSupport.h"
#include "ObjectivePanel.h"
#include "RunEditor.h"
#include "RunTable.h"
#include "ScenarioReader.h"
#include "SurfaceView.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <qcustomplot.h>

#include <memory>

using namespace gdviz;

namespace {

/// Answers every Save / Discard / Cancel box that opens while it lives with answer, and records what
/// each box said (its text and informative text).
class BoxAnswerer {
public:
    explicit BoxAnswerer(QMessageBox::StandardButton answer)
    {
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, [this, answer] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box || !box->isVisible() || m_answered.contains(box))
                return;
            m_answered << box;
            texts << box->text() + QLatin1Char(' ') + box->informativeText();
            buttons = box->standardButtons();
            box->button(answer)->click();
        });
        m_timer.start();
    }
    QStringList texts;
    QMessageBox::StandardButtons buttons;

private:
    QTimer m_timer;
    QList<QMessageBox *> m_answered;
};

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

} // namespace

class TestUnsavedChanges : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void loadingLeavesTheWindowUnmodified();
    void everyEditMarksModified_data();
    void everyEditMarksModified();
    void closeAsks_data();
    void closeAsks();
    void openingAnotherScenarioAsks_data();
    void openingAnotherScenarioAsks();
    void noQuestionWithoutChanges();
    void failedSaveKeepsTheOldFile_data();
    void failedSaveKeepsTheOldFile();
    void failedSaveInThePromptCancelsTheClose();

private:
    /// Saves the lesson to a file in m_dir and makes one edit (the first run's learning rate to 0.25).
    QString saveThenEdit();
    void waitForRuns(MainWindow &window, std::size_t count);
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestUnsavedChanges::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestUnsavedChanges::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    openLessonWindow(m_window);
}

void TestUnsavedChanges::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

void TestUnsavedChanges::waitForRuns(MainWindow &window, std::size_t count)
{
    QTRY_COMPARE_WITH_TIMEOUT(window.engine().runIds().size(), count, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(window.runTable()->table()->rowCount(), int(count), 10000);
}

QString TestUnsavedChanges::saveThenEdit()
{
    const QString path = m_dir->filePath(QStringLiteral("lesson.json"));
    QString error;
    if (!m_window->saveScenarioTo(path, &error))
        qWarning("%s", qPrintable(error));
    const RunId id = m_window->engine().runIds().front();
    m_window->runTable()->selectRun(id);
    m_window->runEditor()->findChild<QDoubleSpinBox *>(QStringLiteral("lrSpin"))->setValue(0.25);
    return path;
}

void TestUnsavedChanges::loadingLeavesTheWindowUnmodified()
{
    QVERIFY(!m_window->isWindowModified());
    QVERIFY2(m_window->windowTitle().contains(QLatin1String("[*]")), qPrintable(m_window->windowTitle()));
    // Playing, stepping and resetting are not edits.
    m_window->engine().step();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->engine().trajectory(m_window->engine().runIds().front()).records().size(), std::size_t(2), 10000);
    m_window->engine().reset();
    QTest::qWait(50);
    QVERIFY(!m_window->isWindowModified());
}

void TestUnsavedChanges::everyEditMarksModified_data()
{
    QTest::addColumn<QString>("edit");
    for (const char *edit : {"learning rate", "rename", "add run", "remove run", "start point", "stop rule", "objective", "regenerate data"})
        QTest::newRow(edit) << QString::fromLatin1(edit);
}

void TestUnsavedChanges::everyEditMarksModified()
{
    QFETCH(QString, edit);
    MainWindow &w = *m_window;
    const RunId id = w.runTable()->selectedRun();
    QVERIFY(id >= 0);
    QVERIFY(!w.isWindowModified());
    if (edit == QLatin1String("learning rate")) {
        w.runEditor()->findChild<QDoubleSpinBox *>(QStringLiteral("lrSpin"))->setValue(0.2);
    } else if (edit == QLatin1String("rename")) {
        RunSettings settings = w.engine().runSettings(id);
        settings.name = "Renamed";
        emit w.runEditor()->settingsEdited(id, settings);
    } else if (edit == QLatin1String("add run")) {
        emit w.runTable()->addRequested();
        waitForRuns(w, 4);
    } else if (edit == QLatin1String("remove run")) {
        emit w.runTable()->removeRequested(id);
        waitForRuns(w, 2);
    } else if (edit == QLatin1String("start point")) {
        QCustomPlot *plot = w.surfaceView()->plot();
        QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, QPoint(plot->width() / 2, plot->height() / 2));
    } else if (edit == QLatin1String("stop rule")) {
        auto *maxSteps = w.objectivePanel()->findChild<QSpinBox *>(QStringLiteral("maxSteps"));
        QVERIFY(maxSteps);
        maxSteps->setValue(maxSteps->value() + 7);
    } else if (edit == QLatin1String("objective")) {
        auto *combo = w.objectivePanel()->findChild<QComboBox *>(QStringLiteral("objectiveCombo"));
        combo->setCurrentIndex(combo->findData(QStringLiteral("rosenbrock")));
        QTRY_COMPARE_WITH_TIMEOUT(w.engine().scenario().objectiveSpec.kind, std::string("rosenbrock"), 10000);
    } else if (edit == QLatin1String("regenerate data")) {
        const double firstX = w.engine().scenario().data->x.front();
        w.objectivePanel()->findChild<QPushButton *>(QStringLiteral("regenerateButton"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(w.engine().scenario().data->x.front() != firstX, 10000);
    }
    QTRY_VERIFY_WITH_TIMEOUT(w.isWindowModified(), 10000);
}

void TestUnsavedChanges::closeAsks_data()
{
    QTest::addColumn<int>("answer");
    QTest::addColumn<bool>("closed");
    QTest::addColumn<bool>("saved");
    QTest::newRow("save") << int(QMessageBox::Save) << true << true;
    QTest::newRow("discard") << int(QMessageBox::Discard) << true << false;
    QTest::newRow("cancel") << int(QMessageBox::Cancel) << false << false;
}

void TestUnsavedChanges::closeAsks()
{
    QFETCH(int, answer);
    QFETCH(bool, closed);
    QFETCH(bool, saved);
    const QString path = saveThenEdit();
    const QByteArray before = readAll(path);
    QTRY_VERIFY(m_window->isWindowModified());

    BoxAnswerer answerer{QMessageBox::StandardButton(answer)};
    QCOMPARE(m_window->close(), closed);
    QCOMPARE(answerer.texts, QStringList{QStringLiteral("The scenario has unsaved changes. Save the changes to lesson.json?")});
    QCOMPARE(answerer.buttons, QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    QCOMPARE(m_window->isVisible(), !closed);
    QCOMPARE(m_window->isWindowModified(), !saved);
    std::string error;
    const std::optional<Scenario> onDisk = readScenario(path.toStdString(), &error);
    QVERIFY2(onDisk, error.c_str());
    QCOMPARE(onDisk->runs.front().optimizer.lr == 0.25, saved);
    if (!saved)
        QCOMPARE(readAll(path), before);
}

void TestUnsavedChanges::openingAnotherScenarioAsks_data()
{
    closeAsks_data();
}

void TestUnsavedChanges::openingAnotherScenarioAsks()
{
    QFETCH(int, answer);
    QFETCH(bool, closed); // here: the other scenario was opened
    QFETCH(bool, saved);
    const QString path = saveThenEdit();
    const QByteArray before = readAll(path);
    QTRY_VERIFY(m_window->isWindowModified());
    const QString other = QStringLiteral(GDVIZ_TEST_DATA_DIR "/../../resources/lessons/batch_vs_stochastic.json");
    const QString otherCopy = m_dir->filePath(QStringLiteral("other.json"));
    QVERIFY(QFile::copy(other, otherCopy));

    QSignalSpy opened(m_window.get(), &MainWindow::scenarioFileOpened);
    BoxAnswerer answerer{QMessageBox::StandardButton(answer)};
    QCOMPARE(m_window->openScenarioFile(otherCopy), closed);
    QCOMPARE(answerer.texts.size(), 1);
    if (closed) {
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 10000);
        QVERIFY(opened.front().front().toBool());
        QCOMPARE(m_window->currentFile(), otherCopy);
        QVERIFY(!m_window->isWindowModified());
    } else {
        QTest::qWait(100);
        QCOMPARE(opened.size(), 0);
        QCOMPARE(m_window->currentFile(), path);
        QVERIFY(m_window->isWindowModified());
        QCOMPARE(m_window->engine().runSettings(m_window->engine().runIds().front()).optimizer.lr, 0.25); // the edit is still there
    }
    std::string error;
    const std::optional<Scenario> onDisk = readScenario(path.toStdString(), &error);
    QVERIFY2(onDisk, error.c_str());
    QCOMPARE(onDisk->runs.front().optimizer.lr == 0.25, saved);
    if (!saved)
        QCOMPARE(readAll(path), before);
}

void TestUnsavedChanges::noQuestionWithoutChanges()
{
    BoxAnswerer answerer(QMessageBox::Cancel);
    QVERIFY(m_window->openDefaultLesson());
    QVERIFY(m_window->close());
    QCOMPARE(answerer.texts, QStringList());
}

void TestUnsavedChanges::failedSaveKeepsTheOldFile_data()
{
    QTest::addColumn<QString>("why");
    QTest::newRow("read-only folder") << QStringLiteral("read-only folder");
    QTest::newRow("path is a folder") << QStringLiteral("path is a folder");
    QTest::newRow("folder is a file") << QStringLiteral("folder is a file");
    // GDVIZ_FULL_DISK_DIR: a folder on a file system with no room left, holding old.json (as root:
    // mount -t tmpfs -o size=64k tmpfs D; put old.json there; fill D up). Tests never mount by themselves.
    QTest::newRow("full disk") << QStringLiteral("full disk");
}

void TestUnsavedChanges::failedSaveKeepsTheOldFile()
{
    QFETCH(QString, why);
    const QString old = m_dir->filePath(QStringLiteral("old.json"));
    {
        QFile file(old);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"the\": \"teacher's old scenario\"}\n");
    }
    QByteArray before = readAll(old);
    QString path, keep = old;
    if (why == QLatin1String("full disk")) {
        const QString full = qEnvironmentVariable("GDVIZ_FULL_DISK_DIR");
        if (full.isEmpty())
            QSKIP("set GDVIZ_FULL_DISK_DIR to a folder on a full file system that holds old.json");
        path = keep = QDir(full).filePath(QStringLiteral("old.json"));
        before = readAll(path);
        QVERIFY(!before.isEmpty());
    } else if (why == QLatin1String("read-only folder")) {
        const QString folder = m_dir->filePath(QStringLiteral("locked"));
        QVERIFY(QDir().mkpath(folder));
        path = QDir(folder).filePath(QStringLiteral("old.json"));
        QVERIFY(QFile::copy(old, path));
        keep = path;
        QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner));
        QFile probe(QDir(folder).filePath(QStringLiteral("probe")));
        if (probe.open(QIODevice::WriteOnly)) { // root writes into read-only folders
            probe.close();
            probe.remove();
            QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            QSKIP("this user (root?) can write into a read-only folder, so the folder cannot make the save fail");
        }
    } else if (why == QLatin1String("path is a folder")) {
        path = m_dir->filePath(QStringLiteral("folder.json"));
        QVERIFY(QDir().mkpath(path));
    } else {
        path = old + QStringLiteral("/inside.json"); // a file cannot hold files
    }

    const QStringList filesBefore = QDir(QFileInfo(keep).absolutePath()).entryList(QDir::Files);
    QString error;
    QVERIFY(!m_window->saveScenarioTo(path, &error));
    QVERIFY2(error.startsWith(path + QStringLiteral(": could not save: ")) && error.size() > path.size() + 18, qPrintable(error));
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
    QCOMPARE(readAll(keep), before);
    QCOMPARE(QDir(QFileInfo(keep).absolutePath()).entryList(QDir::Files), filesBefore); // no temporary left
    QCOMPARE(m_window->currentFile(), QString()); // still the built-in lesson
    if (why == QLatin1String("read-only folder"))
        QFile::setPermissions(QFileInfo(path).absolutePath(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    if (why == QLatin1String("path is a folder"))
        QVERIFY(QFileInfo(path).isDir());
}

void TestUnsavedChanges::failedSaveInThePromptCancelsTheClose()
{
    // The scenario's file becomes impossible to write: its folder is replaced by a plain file.
    const QString folder = m_dir->filePath(QStringLiteral("sub"));
    QVERIFY(QDir().mkpath(folder));
    const QString path = QDir(folder).filePath(QStringLiteral("lesson.json"));
    QString error;
    QVERIFY2(m_window->saveScenarioTo(path, &error), qPrintable(error));
    QVERIFY(QDir(folder).removeRecursively());
    {
        QFile blocker(folder);
        QVERIFY(blocker.open(QIODevice::WriteOnly));
    }
    m_window->runEditor()->findChild<QDoubleSpinBox *>(QStringLiteral("lrSpin"))->setValue(0.25);
    QTRY_VERIFY(m_window->isWindowModified());

    BoxAnswerer answerer(QMessageBox::Save);
    QVERIFY(!m_window->close());
    QCOMPARE(answerer.texts.size(), 1);
    QVERIFY(m_window->isVisible());
    QVERIFY(m_window->isWindowModified());
    QVERIFY2(m_window->bannerText().startsWith(path + QStringLiteral(": could not save: ")), qPrintable(m_window->bannerText()));
}

QTEST_MAIN(TestUnsavedChanges)
#include "tst_unsavedchanges.moc"
