// The window never freezes and never waits for a file (issue 14): reads that never end leave it painting and
// answering keys, closing it does not wait for them, trajectories are exported off the GUI thread with a
// progress window that cancels (the old file kept), Save As has a key of its own on every platform, and --play
// shows "as fast as possible" on the speed control. Offscreen; the reads that never end are a reader the test
// holds at a gate (a FIFO is refused before it is opened).

#include "WindowTestSupport.h"

#include "EngineTypes.h"
#include "ScenarioReader.h"
#include "SurfaceView.h"
#include "WorkerPools.h"

#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QProgressDialog>
#include <QPushButton>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTimer>
#include <qcustomplot.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>

using namespace gdviz;

namespace {

/// A scenario reader that never ends by itself: every read waits at the gate until the test opens it (or, so
/// that a broken window cannot hang the suite for good, until timeoutMs has passed; it then says so).
struct HeldReader {
    QSemaphore gate;
    std::atomic<int> entered{0};
    std::atomic<int> returned{0};
    std::atomic<bool> timedOut{false};
    int timeoutMs = 60000;

    std::mutex mutex;
    QList<QThread *> threads; // where each read ran

    ScenarioFileReader reader()
    {
        return [this](const QString &path) {
            {
                const std::lock_guard lock(mutex);
                threads << QThread::currentThread();
            }
            entered.fetch_add(1);
            if (!gate.tryAcquire(1, timeoutMs))
                timedOut.store(true);
            returned.fetch_add(1);
            ScenarioLoadResult result;
            result.error = (path + QStringLiteral(": held read released")).toStdString();
            return result;
        };
    }
};

/// Counts the paint events a widget receives.
class PaintCounter : public QObject {
public:
    explicit PaintCounter(QWidget *widget) { widget->installEventFilter(this); }
    int count = 0;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++count;
        return false;
    }
};

/// Three runs on a quadratic, 3 x (steps + 1) records once played to the end; the second run's name needs CSV quotes.
QString longRunScenario(int steps)
{
    return QStringLiteral(R"({"objective": {"kind": "quadratic"},
 "runs": [{"name": "GD", "optimizer": "sgd", "lr": 0.01, "start": [-2.5, 2]},
          {"name": "Adam, slow", "optimizer": "adam", "lr": 0.001, "start": [-2.5, 2]},
          {"name": "RMSprop", "optimizer": "rmsprop", "lr": 0.001, "start": [2, 2]}],
 "stop": {"max_steps": %1, "grad_tol": 0}})")
        .arg(steps);
}

/// A CSV field's text: the quotes of a quoted one removed.
QString unquote(const QString &field)
{
    if (field.size() >= 2 && field.startsWith(QLatin1Char('"')) && field.endsWith(QLatin1Char('"')))
        return field.mid(1, field.size() - 2).replace(QStringLiteral("\"\""), QStringLiteral("\""));
    return field;
}

/// The fields of a CSV line, a quoted first field (the run's name) kept whole.
QStringList csvFields(const QString &line)
{
    if (!line.startsWith(QLatin1Char('"')))
        return line.split(QLatin1Char(','));
    int end = 1;
    while (end < line.size()) {
        if (line[end] == QLatin1Char('"') && (end + 1 >= line.size() || line[end + 1] != QLatin1Char('"')))
            break;
        end += line[end] == QLatin1Char('"') ? 2 : 1;
    }
    QStringList fields{unquote(line.left(end + 1))};
    fields << line.mid(end + 2).split(QLatin1Char(','));
    return fields;
}

/// A number as the CSV writes it: empty when not finite.
bool sameNumber(const QString &field, double value)
{
    if (!std::isfinite(value))
        return field.isEmpty();
    bool ok = false;
    const double read = field.toDouble(&ok);
    return ok && read == value;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestWindowHostile : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void stuckReadsLeaveTheWindowAlive_data();
    void stuckReadsLeaveTheWindowAlive();
    void closingDoesNotWaitForAStuckRead();
    void cancelledExportLeavesTheOldFile();
    void exportWritesEveryRecord();
    void exportCancelledBeforeItsCopyKeepsTheOldFile();
    void saveAsKeySavesToTheChosenFile();
    void playShowsAsFastAsPossible_data();
    void playShowsAsFastAsPossible();

private:
    /// Loads longRunScenario(steps) and plays it to the end at full speed.
    void playLongRun(int steps);
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<HeldReader> m_held;
};

void TestWindowHostile::init()
{
    openLessonWindow(m_window);
    m_held = std::make_unique<HeldReader>();
}

void TestWindowHostile::cleanup()
{
    m_window.reset();
    if (m_held)
        m_held->gate.release(1000); // every held read ends (their results go nowhere)
    workerPools::files().waitForDone(); // before the reader goes: the reads use it to the end
    m_held.reset();
}

void TestWindowHostile::stuckReadsLeaveTheWindowAlive_data()
{
    QTest::addColumn<int>("stuckReads");
    QTest::newRow("one read") << 1;
    // More than Qt's global pool has threads: on that pool, painting waited for them for good.
    QTest::newRow("more reads than the global pool's threads") << QThreadPool::globalInstance()->maxThreadCount() + 1;
}

void TestWindowHostile::stuckReadsLeaveTheWindowAlive()
{
    QFETCH(int, stuckReads);
    MainWindow &window = *m_window;
    window.setScenarioFileReader(m_held->reader());
    QSignalSpy opened(&window, &MainWindow::scenarioFileOpened);
    for (int i = 0; i < stuckReads; ++i)
        QVERIFY(window.openScenarioFile(QStringLiteral("stuck%1.json").arg(i)));
    QTRY_COMPARE_WITH_TIMEOUT(m_held->entered.load(), stuckReads, 10000); // each read has a thread at once
    {
        const std::lock_guard lock(m_held->mutex);
        for (QThread *thread : m_held->threads) {
            QVERIFY(!QThreadPool::globalInstance()->contains(thread)); // which Qt's painting needs
            QVERIFY(workerPools::files().contains(thread));
        }
    }

    // It paints: a replot reaches the screen, and the whole window can be drawn.
    PaintCounter paints(window.surfaceView()->plot());
    const int before = paints.count;
    window.surfaceView()->plot()->replot();
    window.surfaceView()->plot()->update();
    QTRY_VERIFY_WITH_TIMEOUT(paints.count > before, 10000);
    const QImage picture = window.grab().toImage();
    QCOMPARE(picture.size(), window.size() * picture.devicePixelRatio());

    // It answers keys: Space plays, the step counter moves, Space pauses.
    const RunId first = window.engine().runIds().front();
    QTest::keyClick(&window, Qt::Key_Space);
    QTRY_VERIFY_WITH_TIMEOUT(window.engine().isPlaying(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(window.engine().trajectory(first).last().step > 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(window.runTable()->table()->item(0, 4)->text() != QLatin1String("0"), 10000);
    QTest::keyClick(&window, Qt::Key_Space);
    QTRY_VERIFY_WITH_TIMEOUT(!window.engine().isPlaying(), 10000);

    // Another scenario opens meanwhile; the reads still held are for scenarios no longer wanted.
    QVERIFY(window.openDefaultLesson());
    // Its runs come after it is loaded (between the two the engine holds none: front() would be of nothing).
    QTRY_VERIFY_WITH_TIMEOUT(!window.engine().runIds().empty()
                                 && window.engine().trajectory(window.engine().runIds().front()).last().step == 0,
                             10000);
    QCOMPARE(m_held->returned.load(), 0);
    m_held->gate.release(stuckReads);
    QTRY_COMPARE_WITH_TIMEOUT(m_held->returned.load(), stuckReads, 10000);
    QVERIFY(!m_held->timedOut.load());
    QTRY_VERIFY_WITH_TIMEOUT(workerPools::files().activeThreadCount() == 0, 10000);
    QCoreApplication::processEvents();
    QCOMPARE(opened.size(), 0); // dropped: the lesson was asked for after them
    QVERIFY(window.bannerText().isEmpty());
    QVERIFY(window.currentFile().isEmpty());
}

void TestWindowHostile::closingDoesNotWaitForAStuckRead()
{
    m_window->setScenarioFileReader(m_held->reader());
    QVERIFY(m_window->openScenarioFile(QStringLiteral("stuck.json")));
    QTRY_COMPARE_WITH_TIMEOUT(m_held->entered.load(), 1, 10000);
    QTest::keyClick(m_window.get(), Qt::Key_Q, Qt::ControlModifier); // Quit
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), 10000);
    m_window.reset(); // a window that waited for its read would only get here once the read timed out
    QCOMPARE(m_held->returned.load(), 0);
    QVERIFY(!m_held->timedOut.load());
}

void TestWindowHostile::playLongRun(int steps)
{
    std::string error;
    const auto scenario = parseScenario(longRunScenario(steps).toStdString(), "long run", "", &error);
    QVERIFY2(scenario, error.c_str());
    QSignalSpy finished(m_window.get(), &MainWindow::allRunsFinished);
    QSignalSpy loaded(&m_window->engine(), &DescentEngine::scenarioLoaded);
    m_window->engine().loadScenario(*scenario);
    // The lesson has three runs too: wait for the new scenario itself, whose clock (updates, not the lesson's
    // samples) brings its own speed; set before it arrived, the speed was overridden half-way (seen in CI: the
    // rest of the 20,000 updates at 100 updates/s).
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->engine().runIds().size(), std::size_t(3), 10000);
    m_window->setSpeed(asFastAsPossible);
    m_window->engine().play();
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() >= 1, 60000);
    for (RunId id : m_window->engine().runIds())
        QCOMPARE(m_window->engine().trajectory(id).records().size(), std::size_t(steps + 1));
}

void TestWindowHostile::cancelledExportLeavesTheOldFile()
{
    playLongRun(20000);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("trajectories.csv"));
    const QByteArray old = "run,step\nold,0\n";
    QVERIFY(writeFile(path, old));
    // The export stands still after its first chunk until the test has pressed Cancel.
    const auto afterFirstChunk = std::make_shared<QSemaphore>(); // shared: the export may outlive a failed test
    const auto releaseAtEnd = qScopeGuard([afterFirstChunk] { afterFirstChunk->release(); }); // also when a check fails
    TrajectoryExport::Options options;
    options.rowsPerChunk = 1000;
    options.afterChunk = [afterFirstChunk](qint64 rows) {
        if (rows == 1000)
            afterFirstChunk->tryAcquire(1, 60000);
    };
    TrajectoryExport *job = m_window->exportTrajectories(path, options);
    QVERIFY(job);
    QCOMPARE(job->totalRows(), qint64(3 * 20001));
    QSignalSpy progressed(job, &TrajectoryExport::progressed);
    QSignalSpy finished(job, &TrajectoryExport::finished);

    auto *progress = m_window->findChild<QProgressDialog *>(QStringLiteral("trajectoryExportProgress"));
    QVERIFY(progress);
    QTRY_VERIFY_WITH_TIMEOUT(progress->isVisible(), 10000); // after its minimum duration
    QTRY_VERIFY_WITH_TIMEOUT(!progressed.isEmpty(), 10000);
    QCOMPARE(progressed.last().at(0).toLongLong(), qint64(1000));
    QTRY_VERIFY_WITH_TIMEOUT(progress->value() > 0, 10000);
    QVERIFY(progress->value() < 1000);

    // The window goes on meanwhile: a step by key.
    const RunId first = m_window->engine().runIds().front();
    // The progress window is shown without taking the keys from the window (Qt::WA_ShowWithoutActivating), but
    // the offscreen platform activates every window it shows: the window is activated again, as a click would.
    QVERIFY(progress->testAttribute(Qt::WA_ShowWithoutActivating));
    m_window->activateWindow();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->isActiveWindow(), 10000);
    QTest::keyClick(m_window.get(), Qt::Key_R); // reset, then one step
    QTRY_COMPARE_WITH_TIMEOUT(m_window->engine().trajectory(first).last().step, 0L, 10000);
    QTest::keyClick(m_window.get(), Qt::Key_N);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->engine().trajectory(first).last().step, 1L, 10000);

    auto *cancel = progress->findChild<QPushButton *>();
    QVERIFY(cancel);
    QTest::mouseClick(cancel, Qt::LeftButton);
    afterFirstChunk->release();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(finished.front().at(0).value<TrajectoryExport::Outcome>(), TrajectoryExport::Outcome::Cancelled);
    QCOMPARE(fileBytes(path), old);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("trajectories.csv")});
    QVERIFY(m_window->noticeText().contains(QLatin1String("cancelled")));
    QVERIFY(m_window->bannerText().isEmpty());
}

void TestWindowHostile::exportWritesEveryRecord()
{
    playLongRun(5000);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("trajectories.csv"));
    QVERIFY(writeFile(path, "an old export\n"));
    TrajectoryExport::Options options;
    options.rowsPerChunk = 777; // chunks that do not divide the runs
    TrajectoryExport *job = m_window->exportTrajectories(path, options);
    QVERIFY(job);
    QSignalSpy finished(job, &TrajectoryExport::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(finished.front().at(0).value<TrajectoryExport::Outcome>(), TrajectoryExport::Outcome::Written);
    QVERIFY(finished.front().at(1).toString().isEmpty());

    // Every record of every run, in order, each number read back equal to the record's.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    QCOMPARE(file.readLine().trimmed(), QByteArray("run,step,epoch,theta0,theta1,loss,batch_loss,grad0,grad1,lr"));
    const DescentEngine &engine = m_window->engine();
    for (RunId id : engine.runIds()) {
        const QString name = QString::fromStdString(engine.runSettings(id).name);
        for (const StepRecord &r : engine.trajectory(id).records()) {
            QVERIFY(!file.atEnd());
            const QString line = QString::fromUtf8(file.readLine()).trimmed();
            const QStringList f = csvFields(line);
            QCOMPARE(f.size(), 10);
            QCOMPARE(f[0], name);
            QCOMPARE(f[1].toLong(), r.step);
            const double values[] = {r.epoch, r.theta[0], r.theta[1], r.loss, r.batchLoss, r.grad[0], r.grad[1], r.lr};
            for (int i = 0; i < 8; ++i)
                QVERIFY2(sameNumber(f[2 + i], values[i]), qPrintable(line));
        }
    }
    QVERIFY(file.atEnd());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("trajectories.csv")});
}

void TestWindowHostile::exportCancelledBeforeItsCopyKeepsTheOldFile()
{
    // Cancelled while its memory is still being taken (before the records are copied): nothing is written.
    playLongRun(5000);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("trajectories.csv"));
    QVERIFY(writeFile(path, "an old export\n"));
    TrajectoryExport *job = m_window->exportTrajectories(path);
    QVERIFY(job);
    QVERIFY(job->isRunning());
    QSignalSpy finished(job, &TrajectoryExport::finished);
    job->cancel(); // no event has been handled since the export started: the copy cannot have begun
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(finished.front().at(0).value<TrajectoryExport::Outcome>(), TrajectoryExport::Outcome::Cancelled);
    QVERIFY(!job->isRunning());
    QCOMPARE(fileBytes(path), QByteArray("an old export\n"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("trajectories.csv")});
    QCOMPARE(m_window->noticeText(), QStringLiteral("Export cancelled: %1 is as it was.").arg(path));
    QVERIFY(m_window->exportTrajectories(path) != nullptr); // another export may start at once
}

void TestWindowHostile::saveAsKeySavesToTheChosenFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("saved as.json"));
    // Answers the file dialog that Ctrl+Shift+S opens, from inside its own event loop.
    bool dialogSeen = false;
    QTimer answer;
    answer.setInterval(20);
    connect(&answer, &QTimer::timeout, this, [&] {
        auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        answer.stop();
        dialogSeen = true;
        QCOMPARE(dialog->acceptMode(), QFileDialog::AcceptSave);
        dialog->selectFile(path);
        static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept(), as its Save button does
    });
    answer.start();
    m_window->activateWindow();
    QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY_WITH_TIMEOUT(dialogSeen, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentFile(), path, 10000);
    std::string error;
    const auto saved = readScenario(path.toStdString(), &error);
    QVERIFY2(saved, error.c_str());
    QCOMPARE(saved->runs.size(), m_window->currentScenario().runs.size());
    for (std::size_t i = 0; i < saved->runs.size(); ++i)
        QCOMPARE(saved->runs[i].name, m_window->currentScenario().runs[i].name);
}

void TestWindowHostile::playShowsAsFastAsPossible_data()
{
    QTest::addColumn<QString>("scenario"); // empty: the built-in lesson
    QTest::addColumn<QString>("raceBy");
    QTest::newRow("lesson, racing by samples") << QString() << QStringLiteral("samples");
    QTest::newRow("rosenbrock, racing by updates") << QStringLiteral(R"({"objective": {"kind": "rosenbrock"},
        "runs": [{"name": "GD", "lr": 0.0005, "start": [-1.5, 2]}], "stop": {"max_steps": 1000000}})")
                                                   << QStringLiteral("updates");
}

void TestWindowHostile::playShowsAsFastAsPossible()
{
    QFETCH(QString, scenario);
    QFETCH(QString, raceBy);
    // As main() does for --play: a new window, asked to play, then given its scenario.
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1200, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->playWhenLoaded();
    QSignalSpy playing(&m_window->engine(), &DescentEngine::playingChanged);
    QTemporaryDir dir;
    if (scenario.isEmpty()) {
        QVERIFY(m_window->openDefaultLesson());
    } else {
        const QString path = dir.filePath(QStringLiteral("play.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(scenario.toUtf8());
        file.close();
        QVERIFY(m_window->openScenarioFile(path));
    }
    QTRY_VERIFY_WITH_TIMEOUT(!playing.isEmpty(), 10000); // the lesson may be over by the next look: it is short
    QCOMPARE(playing.front().front().toBool(), true);
    QCOMPARE(m_window->engine().speed(), asFastAsPossible);
    QCOMPARE(m_window->engine().raceClock() == RaceClock::Samples ? QStringLiteral("samples") : QStringLiteral("updates"), raceBy);
    auto *label = m_window->findChild<QLabel *>(QStringLiteral("speedLabel"));
    QVERIFY(label);
    QCOMPARE(label->text(), QStringLiteral("as fast as possible"));
    auto *slider = m_window->findChild<QSlider *>(QStringLiteral("speedSlider"));
    QVERIFY(slider);
    QCOMPARE(slider->value(), slider->maximum());
    m_window->engine().pause();
    // Moving the control back gives a speed in the clock's unit again, and the label follows.
    slider->setValue(slider->minimum());
    QCOMPARE(m_window->engine().speed(), 1.0);
    QCOMPARE(label->text(), QStringLiteral("1.0 %1/s").arg(raceBy));
}

QTEST_MAIN(TestWindowHostile)
#include "tst_windowhostile.moc"
