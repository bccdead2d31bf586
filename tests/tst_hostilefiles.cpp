// Files an attacker (or a careless download) hands gdviz: devices, FIFOs, sockets and folders where a file is
// expected, files too large, outputs that name an input or a device. Headless (the binary, with a timeout and an
// address-space limit, so a regression fails the test instead of hanging it or exhausting the machine) and in the
// window (offscreen). Nothing here opens a real /dev node for writing: a FIFO made here stands in for /dev/full.

#include "FileTestSupport.h"
#include "MainWindow.h"
#include "ScenarioReader.h"
#include "SurfaceView.h"
#include "WindowTestSupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <memory>

using namespace gdviz;

namespace {

using test::local;
using test::readBytes;
using test::typeAt;
using test::writeBytes;

/// Releases anyone blocked opening or reading the FIFO: a writer comes and goes, so a reader sees the end.
void releaseFifo(const QString &fifo)
{
    const int writer = ::open(local(fifo).c_str(), O_WRONLY | O_NONBLOCK);
    if (writer >= 0)
        ::close(writer);
}

const QByteArray dataCsv = "x,y\n0,1\n1,3\n2,5\n3,7\n";

} // namespace

class TestHostileFiles : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void headlessRefusesAScenarioThatIsNotARegularFile_data();
    void headlessRefusesAScenarioThatIsNotARegularFile();
    void headlessRefusesADataCsvThatIsNotARegularFile_data();
    void headlessRefusesADataCsvThatIsNotARegularFile();
    void headlessRefusesAScenarioOverTheLimit();
    void headlessNeverWritesOverAnInput_data();
    void headlessNeverWritesOverAnInput();
    void headlessNeverReplacesASpecialFile_data();
    void headlessNeverReplacesASpecialFile();
    void screenshotNeverReplacesASpecialFileOrTheScenario_data();
    void screenshotNeverReplacesASpecialFileOrTheScenario();
    void failedHeadlessRunLeavesOldOutputs_data();
    void failedHeadlessRunLeavesOldOutputs();
    void headlessStderrIsOneLineWhenThePictureFails();
    void readerRefusesAFileOverTheLimit();
    void windowRefusesAScenarioThatIsNotARegularFile_data();
    void windowRefusesAScenarioThatIsNotARegularFile();
    void windowNeverReplacesASpecialFile_data();
    void windowNeverReplacesASpecialFile();
    void windowNeverSavesOverTheDataCsv();

private:
    struct Result {
        int exitCode; // -1: crashed, -2: did not finish within the timeout (killed)
        QString err;
    };
    /// Runs gdviz with the arguments, at most a minute and within 4 GiB of address space.
    Result gdviz(const QStringList &arguments, const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }
    /// A scenario of linear regression on the data CSV csv (as written in the file) at path(name).
    QString dataScenario(const char *name, const QString &csv);

    QTemporaryDir m_dir;
    int m_socket = -1; // a unix socket bound at path("socket")
    std::unique_ptr<MainWindow> m_window;
};

TestHostileFiles::Result TestHostileFiles::gdviz(const QStringList &arguments, const QProcessEnvironment &environment)
{
    QProcess process;
    // A reader that reads /dev/zero to the end must fail here, not take the machine's memory: at most 4 GiB.
#if defined(__SANITIZE_ADDRESS__)
    // Under AddressSanitizer an address-space limit leaves no room for its shadow memory (the process cannot
    // start): its own resident-size limit stands in.
    QProcessEnvironment limited = environment;
    limited.insert(QStringLiteral("ASAN_OPTIONS"),
                   limited.value(QStringLiteral("ASAN_OPTIONS")) + QStringLiteral(":hard_rss_limit_mb=4096"));
    process.setProcessEnvironment(limited);
#else
    process.setProcessEnvironment(environment);
    process.setChildProcessModifier([] {
        const rlimit limit{rlim_t(4) << 30, rlim_t(4) << 30};
        ::setrlimit(RLIMIT_AS, &limit);
    });
#endif
    process.start(QStringLiteral(GDVIZ_BINARY), arguments);
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished(-1);
        for (const char *fifo : {"fifo", "fifo2"})
            releaseFifo(path(fifo));
        return {-2, QString::fromUtf8(process.readAllStandardError())};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, QString::fromUtf8(process.readAllStandardError())};
}

QString TestHostileFiles::dataScenario(const char *name, const QString &csv)
{
    const QString scenario = path(name);
    writeBytes(scenario, QStringLiteral(R"({"objective": {"kind": "linear_regression", "data": {"csv": "%1"}},
        "runs": [{"name": "A", "lr": 0.05, "start": [0, 0]}], "stop": {"max_steps": 20}})")
                             .arg(csv)
                             .toUtf8());
    return scenario;
}

void TestHostileFiles::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    for (const char *fifo : {"fifo", "fifo2"})
        QCOMPARE(::mkfifo(local(path(fifo)).c_str(), 0600), 0);
    QVERIFY(QDir(m_dir.path()).mkdir(QStringLiteral("folder")));
    m_socket = ::socket(AF_UNIX, SOCK_STREAM, 0);
    QVERIFY(m_socket >= 0);
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    const std::string socketPath = local(path("socket"));
    QVERIFY(socketPath.size() < sizeof address.sun_path);
    std::copy(socketPath.begin(), socketPath.end(), address.sun_path);
    QCOMPARE(::bind(m_socket, reinterpret_cast<const sockaddr *>(&address), sizeof address), 0);
    QCOMPARE(::listen(m_socket, 1), 0);
    QVERIFY(QFile::link(path("fifo"), path("link_to_fifo")));
    QVERIFY(QFile::link(path("folder"), path("link_to_folder")));

    QVERIFY(writeBytes(path("data.csv"), dataCsv));
    QVERIFY(QFile::link(path("data.csv"), path("data_link.csv")));
    QCOMPARE(::link(local(path("data.csv")).c_str(), local(path("data_hard.csv")).c_str()), 0);
    dataScenario("data.json", QStringLiteral("data.csv"));
    QVERIFY(QFile::link(path("data.json"), path("scenario_link.json")));
    QCOMPARE(::link(local(path("data.json")).c_str(), local(path("scenario_hard.json")).c_str()), 0);
}

void TestHostileFiles::cleanup()
{
    // Should a regression leave a reader blocked on a FIFO, a writer that comes and goes lets it end.
    for (const char *fifo : {"fifo", "fifo2"})
        releaseFifo(path(fifo));
}

void TestHostileFiles::cleanupTestCase()
{
    m_window.reset();
    if (m_socket >= 0)
        ::close(m_socket);
}

void TestHostileFiles::headlessRefusesAScenarioThatIsNotARegularFile_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("what");
    QTest::newRow("/dev/zero") << QStringLiteral("/dev/zero") << QStringLiteral("is a character device");
    QTest::newRow("/dev/urandom") << QStringLiteral("/dev/urandom") << QStringLiteral("is a character device");
    QTest::newRow("/dev/null") << QStringLiteral("/dev/null") << QStringLiteral("is a character device");
    QTest::newRow("FIFO") << path("fifo") << QStringLiteral("is a FIFO (named pipe)");
    QTest::newRow("link to a FIFO") << path("link_to_fifo") << QStringLiteral("is a FIFO (named pipe)");
    QTest::newRow("folder") << path("folder") << QStringLiteral("is a folder");
    QTest::newRow("link to a folder") << path("link_to_folder") << QStringLiteral("is a folder");
    QTest::newRow("unix socket") << path("socket") << QStringLiteral("is a socket");
}

void TestHostileFiles::headlessRefusesAScenarioThatIsNotARegularFile()
{
    QFETCH(QString, scenario);
    QFETCH(QString, what);
    const Result r = gdviz({"--headless", "--scenario", scenario, "--summary", path("never.json")});
    QCOMPARE(r.err, QStringLiteral("gdviz: %1: %2, not a regular file\n").arg(scenario, what));
    QCOMPARE(r.exitCode, 2);
    QVERIFY(!QFile::exists(path("never.json")));
}

void TestHostileFiles::headlessRefusesADataCsvThatIsNotARegularFile_data()
{
    QTest::addColumn<QString>("csv");
    QTest::addColumn<QString>("what");
    QTest::newRow("FIFO") << QStringLiteral("fifo") << QStringLiteral("is a FIFO (named pipe)");
    QTest::newRow("link to a FIFO") << QStringLiteral("link_to_fifo") << QStringLiteral("is a FIFO (named pipe)");
    QTest::newRow("/dev/urandom") << QStringLiteral("/dev/urandom") << QStringLiteral("is a character device");
    QTest::newRow("socket") << QStringLiteral("socket") << QStringLiteral("is a socket");
    QTest::newRow("folder") << QStringLiteral("folder") << QStringLiteral("is a folder");
}

void TestHostileFiles::headlessRefusesADataCsvThatIsNotARegularFile()
{
    QFETCH(QString, csv);
    QFETCH(QString, what);
    const QString scenario = dataScenario("special_data.json", csv);
    const Result r = gdviz({"--headless", "--scenario", scenario, "--summary", path("never.json")});
    QCOMPARE(r.err, QStringLiteral("gdviz: %1: objective.data.csv: %2: %3, not a regular file\n").arg(scenario, csv, what));
    QCOMPARE(r.exitCode, 2);
}

void TestHostileFiles::headlessRefusesAScenarioOverTheLimit()
{
    // README: a scenario file may have 16 MiB. One byte more is refused before it is read (a sparse file: no disk).
    const QString scenario = path("huge.json");
    {
        QFile file(scenario);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.resize((qint64(16) << 20) + 1));
    }
    const Result r = gdviz({"--headless", "--scenario", scenario, "--summary", path("never.json")});
    QCOMPARE(r.err, QStringLiteral("gdviz: %1: is 16.0 MiB (16777217 bytes); at most 16 MiB are read\n").arg(scenario));
    QCOMPARE(r.exitCode, 2);
    QFile::remove(scenario);
}

void TestHostileFiles::headlessNeverWritesOverAnInput_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("message"); // after "gdviz: "
    const QString hint = QStringLiteral(" (gdviz --help lists the options)");
    const QString scenario = path("data.json");
    const QString isData = QStringLiteral("is the scenario's data CSV; it would be overwritten");
    const QString isScenario = QStringLiteral("is the scenario file; it would be overwritten");
    QTest::newRow("--csv over the data CSV") << scenario << "csv" << path("data.csv") << "--csv: '" + path("data.csv") + "' " + isData;
    QTest::newRow("--csv, symbolic link to the data CSV") << scenario << "csv" << path("data_link.csv")
                                                          << "--csv: '" + path("data_link.csv") + "' " + isData;
    QTest::newRow("--summary, hard link of the data CSV") << scenario << "summary" << path("data_hard.csv")
                                                          << "--summary: '" + path("data_hard.csv") + "' " + isData;
    QTest::newRow("--png, hard link of the data CSV") << scenario << "png" << path("data_hard.csv")
                                                      << "--png: '" + path("data_hard.csv") + "' " + isData;
    QTest::newRow("--summary, hard link of the scenario") << scenario << "summary" << path("scenario_hard.json")
                                                          << "--summary: '" + path("scenario_hard.json") + "' " + isScenario + hint;
    QTest::newRow("--csv, the scenario through a link") << path("scenario_link.json") << "csv" << scenario
                                                        << "--csv: '" + scenario + "' " + isScenario + hint;
}

void TestHostileFiles::headlessNeverWritesOverAnInput()
{
    QFETCH(QString, scenario);
    QFETCH(QString, option);
    QFETCH(QString, output);
    QFETCH(QString, message);
    const QByteArray scenarioBefore = readBytes(path("data.json"));
    const Result r = gdviz({"--headless", "--scenario", scenario, "--" + option, output});
    QCOMPARE(r.err, QStringLiteral("gdviz: ") + message + '\n');
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(readBytes(path("data.csv")), dataCsv);
    QCOMPARE(readBytes(path("data.json")), scenarioBefore);
    QCOMPARE(typeAt(path("data_hard.csv")), mode_t(S_IFREG));
    QCOMPARE(typeAt(path("data_link.csv")), mode_t(S_IFLNK));
}

void TestHostileFiles::headlessNeverReplacesASpecialFile_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("named"); // what must still be there, of the same type
    QTest::addColumn<QString>("what");
    QTest::newRow("--summary FIFO (as /dev/full)") << "summary" << path("fifo") << path("fifo") << "is a FIFO (named pipe)";
    QTest::newRow("--csv FIFO") << "csv" << path("fifo") << path("fifo") << "is a FIFO (named pipe)";
    QTest::newRow("--png FIFO") << "png" << path("fifo") << path("fifo") << "is a FIFO (named pipe)";
    QTest::newRow("--csv link to a FIFO") << "csv" << path("link_to_fifo") << path("fifo") << "is a FIFO (named pipe)";
    QTest::newRow("--summary socket") << "summary" << path("socket") << path("socket") << "is a socket";
    QTest::newRow("--csv folder") << "csv" << path("folder") << path("folder") << "is a folder";
}

void TestHostileFiles::headlessNeverReplacesASpecialFile()
{
    QFETCH(QString, option);
    QFETCH(QString, output);
    QFETCH(QString, named);
    QFETCH(QString, what);
    const mode_t type = typeAt(named);
    const QString scenario = QStringLiteral(GDVIZ_REFERENCE_DIR "/quadratic_gd.json");
    const Result r = gdviz({"--headless", "--scenario", scenario, "--" + option, output});
    QCOMPARE(r.err, QStringLiteral("gdviz: --%1: '%2' %3, not a regular file (gdviz --help lists the options)\n").arg(option, output, what));
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(typeAt(named), type);
}

void TestHostileFiles::screenshotNeverReplacesASpecialFileOrTheScenario_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("problem");
    QTest::newRow("FIFO") << path("fifo") << QStringLiteral("is a FIFO (named pipe), not a regular file");
    QTest::newRow("socket") << path("socket") << QStringLiteral("is a socket, not a regular file");
    QTest::newRow("hard link of the scenario") << path("scenario_hard.json") << QStringLiteral("is the scenario file; it would be overwritten");
}

void TestHostileFiles::screenshotNeverReplacesASpecialFileOrTheScenario()
{
    // The window's --screenshot is refused with the arguments, before any window exists.
    QFETCH(QString, output);
    QFETCH(QString, problem);
    const QByteArray scenarioBefore = readBytes(path("data.json"));
    const mode_t type = typeAt(output);
    const Result r = gdviz({"--scenario", path("data.json"), "--screenshot", output});
    QCOMPARE(r.err, QStringLiteral("gdviz: --screenshot: '%1' %2 (gdviz --help lists the options)\n").arg(output, problem));
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(typeAt(output), type);
    QCOMPARE(readBytes(path("data.json")), scenarioBefore);
}

void TestHostileFiles::failedHeadlessRunLeavesOldOutputs_data()
{
    QTest::addColumn<QStringList>("failing"); // the option that fails and its value
    QTest::addColumn<QString>("message");
    QTest::newRow("--png FIFO") << QStringList{"--png", path("fifo2")}
                                << "--png: '" + path("fifo2") + "' is a FIFO (named pipe), not a regular file (gdviz --help lists the options)";
    QTest::newRow("--png in no folder") << QStringList{"--png", path("no_such_folder/paths.png")}
                                        << path("no_such_folder/paths.png") + ": cannot write the file: No such file or directory";
}

void TestHostileFiles::failedHeadlessRunLeavesOldOutputs()
{
    QFETCH(QStringList, failing);
    QFETCH(QString, message);
    const QString scenario = QStringLiteral(GDVIZ_REFERENCE_DIR "/quadratic_gd.json");
    const QString csv = path("old.csv"), summary = path("old.json");
    const QByteArray oldCsv = "an old CSV that must survive\n", oldSummary = "{\"an old\": \"summary\"}\n";
    QVERIFY(writeBytes(csv, oldCsv));
    QVERIFY(writeBytes(summary, oldSummary));
    const QStringList before = QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot);
    const Result r = gdviz(QStringList{"--headless", "--scenario", scenario, "--csv", csv, "--summary", summary} + failing);
    QCOMPARE(r.err, QStringLiteral("gdviz: ") + message + '\n');
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(readBytes(csv), oldCsv); // byte for byte
    QCOMPARE(readBytes(summary), oldSummary);
    QCOMPARE(typeAt(path("fifo2")), mode_t(S_IFIFO));
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot), before); // no temporary left
}

void TestHostileFiles::headlessStderrIsOneLineWhenThePictureFails()
{
    // No XDG_RUNTIME_DIR and no display: Qt's offscreen platform and QStandardPaths have things to say, which must
    // not reach stderr; gdviz's own line must.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"XDG_RUNTIME_DIR", "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        environment.remove(QLatin1String(name));
    const QString png = path("no_such_folder/paths.png");
    const Result r = gdviz({"--headless", "--scenario", QStringLiteral(GDVIZ_REFERENCE_DIR "/quadratic_gd.json"), "--png", png}, environment);
    QCOMPARE(r.err, QStringLiteral("gdviz: %1: cannot write the file: No such file or directory\n").arg(png));
    QCOMPARE(r.exitCode, 2);
    // And a run that succeeds prints nothing at all.
    const Result ok = gdviz({"--headless", "--scenario", QStringLiteral(GDVIZ_REFERENCE_DIR "/quadratic_gd.json"), "--png", path("ok.png")},
                            environment);
    QCOMPARE(ok.err, QString());
    QCOMPARE(ok.exitCode, 0);
}

void TestHostileFiles::readerRefusesAFileOverTheLimit()
{
    // The data CSV's limit (README: 512 MiB), through the reader as the window uses it; a sparse file.
    const QString csv = path("huge.csv");
    {
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.resize((qint64(512) << 20) + 1));
    }
    const QString scenario = dataScenario("huge_data.json", QStringLiteral("huge.csv"));
    std::string error;
    QVERIFY(!readScenario(local(scenario), &error));
    QCOMPARE(QString::fromStdString(error),
             scenario + QStringLiteral(": objective.data.csv: huge.csv: is 512.0 MiB (536870913 bytes); at most 512 MiB are read"));
    QFile::remove(csv);
}

void TestHostileFiles::windowRefusesAScenarioThatIsNotARegularFile_data()
{
    headlessRefusesAScenarioThatIsNotARegularFile_data();
}

void TestHostileFiles::windowRefusesAScenarioThatIsNotARegularFile()
{
    QFETCH(QString, scenario);
    QFETCH(QString, what);
    if (!m_window)
        openLessonWindow(m_window);
    if (QTest::currentTestFailed())
        return;
    QSignalSpy opened(m_window.get(), &MainWindow::scenarioFileOpened);
    QVERIFY(m_window->openScenarioFile(scenario));
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 20000); // on failure cleanup() lets a blocked reader go
    QCOMPARE(opened.front().front().toBool(), false);
    QCOMPARE(m_window->bannerText(), QStringLiteral("%1: %2, not a regular file").arg(scenario, what));
    QCOMPARE(m_window->engine().runIds().size(), std::size_t(3)); // the lesson is still there
}

void TestHostileFiles::windowNeverReplacesASpecialFile_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("named");
    QTest::addColumn<QString>("what");
    for (const char *how : {"save", "trajectories", "plot"}) {
        QTest::addRow("%s to a FIFO", how) << how << path("fifo") << path("fifo") << "is a FIFO (named pipe)";
        QTest::addRow("%s to a link to a FIFO", how) << how << path("link_to_fifo") << path("fifo") << "is a FIFO (named pipe)";
        QTest::addRow("%s to a socket", how) << how << path("socket") << path("socket") << "is a socket";
    }
}

void TestHostileFiles::windowNeverReplacesASpecialFile()
{
    QFETCH(QString, how);
    QFETCH(QString, output);
    QFETCH(QString, named);
    QFETCH(QString, what);
    if (!m_window)
        openLessonWindow(m_window);
    if (QTest::currentTestFailed())
        return;
    const mode_t type = typeAt(named);
    // A picture's type comes from its suffix: the special file gets a link named *.png.
    QString target = output;
    if (how == QLatin1String("plot")) {
        target = path("special.png");
        QFile::remove(target);
        QVERIFY(QFile::link(output, target));
    }
    QString error;
    bool ok = true;
    if (how == QLatin1String("save"))
        ok = m_window->saveScenarioTo(target, &error);
    else if (how == QLatin1String("trajectories")) {
        ok = m_window->exportTrajectories(target) != nullptr; // refused at once, before any export starts
        error = m_window->bannerText();
    }
    else
        ok = MainWindow::exportPlot(m_window->surfaceView()->plot(), target, &error);
    QVERIFY(!ok);
    QCOMPARE(error, QStringLiteral("%1: could not save: %2, not a regular file").arg(target, what));
    QCOMPARE(typeAt(named), type);
}

void TestHostileFiles::windowNeverSavesOverTheDataCsv()
{
    if (!m_window)
        openLessonWindow(m_window);
    if (QTest::currentTestFailed())
        return;
    QSignalSpy opened(m_window.get(), &MainWindow::scenarioFileOpened);
    QVERIFY(m_window->openScenarioFile(path("data.json")));
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 20000);
    QVERIFY2(opened.front().front().toBool(), qPrintable(m_window->bannerText()));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentScenario().objectiveSpec.csvPath, std::string("data.csv"), 20000); // in the engine
    for (const char *name : {"data.csv", "data_link.csv", "data_hard.csv"}) {
        QString error;
        QVERIFY(!m_window->saveScenarioTo(path(name), &error));
        QCOMPARE(error, path(name) + QStringLiteral(": could not save: is the scenario's data CSV; it would be overwritten"));
        QVERIFY(!m_window->exportTrajectories(path(name)));
        QCOMPARE(m_window->bannerText(), path(name) + QStringLiteral(": could not save: is the scenario's data CSV; it would be overwritten"));
        QCOMPARE(readBytes(path("data.csv")), dataCsv);
    }
    // Exporting the trajectories over the scenario itself loses it too; saving over it is what Save does.
    QString error;
    QVERIFY(!m_window->exportTrajectories(path("scenario_hard.json")));
    QCOMPARE(m_window->bannerText(), path("scenario_hard.json") + QStringLiteral(": could not save: is the scenario file; it would be overwritten"));
    QVERIFY2(m_window->saveScenarioTo(path("data.json"), &error), qPrintable(error));
    QCOMPARE(readBytes(path("data.csv")), dataCsv);
}

QTEST_MAIN(TestHostileFiles)
#include "tst_hostilefiles.moc"
