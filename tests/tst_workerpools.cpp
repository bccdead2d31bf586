// gdviz's own work never runs on Qt's global thread pool, which the GUI thread needs for drawing images (issue 14:
// reads blocked on FIFOs filled it and the window froze for good). While a surface is sampled, a surface is
// computed for the view, and a scenario file is read, a watcher thread polls
// QThreadPool::globalInstance()->activeThreadCount() and must never see it above 0; each piece of work is held at
// a gate meanwhile, so the polls are known to fall while it runs. A first test shows that the watcher does see
// work that is put on the global pool.

#include "MainWindow.h"
#include "SurfaceComputation.h"
#include "SurfaceGrid.h"
#include "WorkerPools.h"

#include <QApplication>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

using namespace gdviz;

namespace {

/// Polls the global pool's active thread count from a thread of its own until destroyed: the largest count seen,
/// and how many polls were made.
class GlobalPoolWatcher {
public:
    GlobalPoolWatcher()
        : m_thread([this] {
            while (!m_stop.load()) {
                m_largest.store(std::max(m_largest.load(), QThreadPool::globalInstance()->activeThreadCount()));
                m_polls.fetch_add(1);
                std::this_thread::sleep_for(std::chrono::microseconds(200)); // a poll interval, not a wait for a result
            }
        })
    {
    }
    ~GlobalPoolWatcher()
    {
        m_stop.store(true);
        m_thread.join();
    }
    int largest() const { return m_largest.load(); }
    long polls() const { return m_polls.load(); }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_largest{0};
    std::atomic<long> m_polls{0};
    std::thread m_thread;
};

/// f = x^2 + 3y, evaluated node by node; every evaluation notes its thread, and the first one waits at a gate
/// until the test opens it, so the sampling is known to be under way while the test looks.
class GatedObjective final : public Objective {
public:
    double evaluate(const Vec2 &theta, Vec2 *grad) const override
    {
        if (grad)
            grad->setZero();
        {
            const std::lock_guard lock(m_mutex);
            m_threads.insert(QThread::currentThread());
        }
        if (!m_entered.exchange(true))
            m_gate.acquire();
        return theta[0] * theta[0] + 3 * theta[1];
    }
    bool entered() const { return m_entered.load(); }
    void open() const { m_gate.release(); }
    std::set<QThread *> threads() const
    {
        const std::lock_guard lock(m_mutex);
        return m_threads;
    }

private:
    mutable std::mutex m_mutex;
    mutable std::set<QThread *> m_threads;
    mutable std::atomic<bool> m_entered{false};
    mutable QSemaphore m_gate;
};

constexpr long kPollsWhileHeld = 200;

} // namespace

class TestWorkerPools : public QObject {
    Q_OBJECT
private slots:
    void watcherSeesWorkOnTheGlobalPool();
    void surfaceSamplingStaysOffTheGlobalPool_data();
    void surfaceSamplingStaysOffTheGlobalPool();
    void surfaceComputationStaysOffTheGlobalPool();
    void scenarioReadStaysOffTheGlobalPool();
    void filesPoolMakesRoomForEveryTask();
};

void TestWorkerPools::watcherSeesWorkOnTheGlobalPool()
{
    // The control: a task held on the global pool is seen, so a 0 below means something.
    QSemaphore gate;
    GlobalPoolWatcher watcher;
    QFuture<void> task = QtConcurrent::run(QThreadPool::globalInstance(), [&gate] { gate.acquire(); });
    QTRY_VERIFY_WITH_TIMEOUT(watcher.largest() >= 1, 10000);
    gate.release();
    task.waitForFinished();
}

void TestWorkerPools::surfaceSamplingStaysOffTheGlobalPool_data()
{
    QTest::addColumn<int>("threads");
    QTest::newRow("one thread") << 1;
    QTest::newRow("two threads") << 2;
    QTest::newRow("four threads") << 4;
}

void TestWorkerPools::surfaceSamplingStaysOffTheGlobalPool()
{
    QFETCH(int, threads);
    QThreadPool &surfaces = workerPools::surfaces();
    const int saved = surfaces.maxThreadCount();
    surfaces.setMaxThreadCount(threads);
    const GatedObjective f;
    GlobalPoolWatcher watcher;
    SurfaceGrid grid;
    QThread *caller = nullptr;
    std::thread sampling([&] {
        caller = QThread::currentThread();
        grid = sampleSurface(f, {-1, 1, -1, 1}, 64, 48);
    });
    auto finish = qScopeGuard([&] { // also when a check below fails: the sampling ends before the test does
        f.open();
        sampling.join();
        surfaces.setMaxThreadCount(saved);
    });
    QTRY_VERIFY_WITH_TIMEOUT(f.entered(), 10000);
    const long pollsBefore = watcher.polls();
    QTRY_VERIFY_WITH_TIMEOUT(watcher.polls() > pollsBefore + kPollsWhileHeld, 10000);
    QCOMPARE(watcher.largest(), 0);
    finish.dismiss();
    f.open();
    sampling.join();
    surfaces.setMaxThreadCount(saved);
    QCOMPARE(watcher.largest(), 0);
    QVERIFY(grid.complete);
    // Rows ran on the surface pool's threads (or on the caller, which QFuture lets run queued tasks itself).
    for (QThread *thread : f.threads()) {
        QVERIFY(!QThreadPool::globalInstance()->contains(thread));
        QVERIFY(thread == caller || surfaces.contains(thread));
    }
    QVERIFY(f.threads().size() <= std::size_t(threads) + 1);
    // Every node: x^2 + 3y at the documented node positions.
    for (int j = 0; j < grid.ny; ++j)
        for (int i = 0; i < grid.nx; ++i)
            QCOMPARE(grid.at(i, j), grid.x(i) * grid.x(i) + 3 * grid.y(j));
}

void TestWorkerPools::surfaceComputationStaysOffTheGlobalPool()
{
    // The view's computation: coarse and fine grids, colour cells and contours (no picture: that one is Qt's
    // drawing, which uses the global pool by design, as the GUI thread's does).
    auto f = std::make_shared<GatedObjective>();
    SurfaceComputation computation;
    QSignalSpy computed(&computation, &SurfaceComputation::surfaceComputed);
    GlobalPoolWatcher watcher;
    computation.request(f, {-2, 2, -2, 2}, QSize(200, 150), 10);
    const auto openAtEnd = qScopeGuard([f] { f->open(); }); // the computation's end waits for it
    QTRY_VERIFY_WITH_TIMEOUT(f->entered(), 10000);
    const long pollsBefore = watcher.polls();
    QTRY_VERIFY_WITH_TIMEOUT(watcher.polls() > pollsBefore + kPollsWhileHeld, 10000);
    QCOMPARE(watcher.largest(), 0);
    f->open();
    QTRY_COMPARE_WITH_TIMEOUT(computed.size(), 2, 20000);
    QCOMPARE(watcher.largest(), 0);
    for (QThread *thread : f->threads())
        QVERIFY(!QThreadPool::globalInstance()->contains(thread));
}

void TestWorkerPools::scenarioReadStaysOffTheGlobalPool()
{
    MainWindow window; // not shown: while the read is held nothing is painted, so Qt's own drawing does not use the global pool
    QSemaphore gate;
    std::atomic<bool> entered{false};
    std::atomic<QThread *> readerThread{nullptr};
    window.setScenarioFileReader([&](const QString &path) {
        readerThread.store(QThread::currentThread());
        entered.store(true);
        gate.acquire();
        ScenarioLoadResult result;
        result.error = (path + QStringLiteral(": the test's reader ends here")).toStdString();
        return result;
    });
    QSignalSpy opened(&window, &MainWindow::scenarioFileOpened);
    GlobalPoolWatcher watcher;
    QVERIFY(window.openScenarioFile(QStringLiteral("held.json")));
    auto releaseAtEnd = qScopeGuard([&] { // a failed check must not leave the read using this frame
        gate.release();
        workerPools::files().waitForDone();
    });
    QTRY_VERIFY_WITH_TIMEOUT(entered.load(), 10000);
    const long pollsBefore = watcher.polls();
    QTRY_VERIFY_WITH_TIMEOUT(watcher.polls() > pollsBefore + kPollsWhileHeld, 10000);
    QCOMPARE(watcher.largest(), 0);
    QVERIFY(workerPools::files().contains(readerThread.load()));
    releaseAtEnd.dismiss();
    gate.release();
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 10000);
    QCOMPARE(opened.front().front().toBool(), false);
    QVERIFY(window.bannerText().contains(QLatin1String("held.json: the test's reader ends here")));
    // Not checked from here on: a first file that fails opens the built-in lesson, whose surface image Qt may
    // convert on its global pool (as it paints), which is Qt's own brief use of it, not a read.
}

void TestWorkerPools::filesPoolMakesRoomForEveryTask()
{
    // Tasks that never end each keep their thread; the next one still starts at once.
    const int held = workerPools::files().maxThreadCount() + 2;
    QSemaphore gate;
    std::atomic<int> running{0};
    QList<QFuture<void>> tasks;
    for (int i = 0; i < held; ++i)
        tasks << QtConcurrent::run(&workerPools::filesWithRoom(), [&] {
            running.fetch_add(1);
            gate.acquire();
        });
    QTRY_COMPARE_WITH_TIMEOUT(running.load(), held, 10000);
    QVERIFY(workerPools::files().maxThreadCount() >= held);
    gate.release(held);
    for (QFuture<void> &task : tasks)
        task.waitForFinished();
}

QTEST_MAIN(TestWorkerPools)
#include "tst_workerpools.moc"
