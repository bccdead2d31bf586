// The window as a student uses it, offscreen: it opens on the built-in lesson, its controls change the
// engine's settings, a click moves a start point, Play makes every path and loss curve grow, the loss
// axis switch re-plots the same data, a bad file is refused without losing anything, and files round-trip.

#include "DataView.h"
#include "LossView.h"
#include "MainWindow.h"
#include "RunEditor.h"
#include "RunTable.h"
#include "SurfaceView.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QImage>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

using namespace gdviz;

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void opensOnTheLesson();
    void learningRateControlChangesTheEngine();
    void clickOnSurfaceMovesTheStartPoint();
    void playGrowsEveryPathAndLossCurve();
    void lossAxisSwitchReplotsTheSameData();
    void badFileShowsErrorAndKeepsScenario();
    void saveAndReopenGivesTheSameRuns();
    void exportsPicturesAndTrajectories();
    void screenshotIsNotBlank();
    void renamingReachesTheLegendAndDuplicatesAreRefused();
    void noStepLimitSurvivesSaveAndReopen();

private:
    void waitForLesson();
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings of the tests stay apart from the user's
}

void TestMainWindow::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->openDefaultLesson();
    waitForLesson();
}

void TestMainWindow::cleanup()
{
    m_window.reset();
}

void TestMainWindow::waitForLesson()
{
    QTRY_COMPARE_WITH_TIMEOUT(m_window->engine().runIds().size(), std::size_t(3), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->runTable()->table()->rowCount(), 3, 10000);
}

static QSet<QRgb> colours(const QImage &image)
{
    QSet<QRgb> set;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            set.insert(image.pixel(x, y));
    return set;
}

void TestMainWindow::opensOnTheLesson()
{
    DescentEngine &engine = m_window->engine();
    QStringList names;
    for (RunId id : engine.runIds()) {
        names << QString::fromStdString(engine.runSettings(id).name);
        QCOMPARE(engine.trajectory(id).records().size(), std::size_t(1)); // paused at step 0
        QCOMPARE(engine.trajectory(id).last().theta, engine.runSettings(engine.runIds().front()).start); // one start
        QCOMPARE(engine.runSettings(id).optimizer.lr, engine.runSettings(engine.runIds().front()).optimizer.lr);
    }
    QCOMPARE(names, (QStringList{"Batch GD", "Stochastic GD", "Mini-batch GD"}));
    const std::vector<RunId> ids = engine.runIds();
    QCOMPARE(engine.runSettings(ids[0]).batchSize, fullBatch);
    QCOMPARE(engine.runSettings(ids[1]).batchSize, 1L);
    QCOMPARE(engine.runSettings(ids[2]).batchSize, 32L);
    QCOMPARE(engine.scenario().data->size(), std::size_t(200));
    QVERIFY(!engine.isPlaying());
    QVERIFY(m_window->dataView()->isVisible());
    QVERIFY(m_window->bannerText().isEmpty());
}

void TestMainWindow::learningRateControlChangesTheEngine()
{
    const RunId id = m_window->runTable()->selectedRun();
    QVERIFY(id >= 0);
    auto *spin = m_window->runEditor()->findChild<QDoubleSpinBox *>(QStringLiteral("lrSpin"));
    QVERIFY(spin);
    spin->setValue(0.2);
    QTRY_COMPARE(m_window->engine().runSettings(id).optimizer.lr, 0.2);
    // The next update uses it: step once and read the rate the engine recorded.
    m_window->engine().step();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->engine().trajectory(id).records().size(), std::size_t(2), 10000);
    QCOMPARE(m_window->engine().trajectory(id).last().lr, 0.2);
}

void TestMainWindow::clickOnSurfaceMovesTheStartPoint()
{
    QCustomPlot *plot = m_window->surfaceView()->plot();
    const RunId id = m_window->runTable()->selectedRun();
    const Vec2 target(1.0, -2.0);
    const QPoint pixel(int(plot->xAxis->coordToPixel(target[0])), int(plot->yAxis->coordToPixel(target[1])));
    QSignalSpy started(&m_window->engine(), &DescentEngine::runStarted);
    QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, pixel);
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 10000);
    const Vec2 start = m_window->engine().trajectory(id).last().theta;
    const double pixelX = std::abs(plot->xAxis->pixelToCoord(1) - plot->xAxis->pixelToCoord(0));
    const double pixelY = std::abs(plot->yAxis->pixelToCoord(1) - plot->yAxis->pixelToCoord(0));
    QVERIFY2(std::abs(start[0] - target[0]) <= 1.5 * pixelX && std::abs(start[1] - target[1]) <= 1.5 * pixelY,
             qPrintable(QStringLiteral("(%1, %2)").arg(start[0]).arg(start[1])));
    QCOMPARE(m_window->engine().runSettings(id).start, start);
    // The other runs did not move.
    for (RunId other : m_window->engine().runIds())
        if (other != id)
            QVERIFY(m_window->engine().trajectory(other).last().theta != start);
}

void TestMainWindow::playGrowsEveryPathAndLossCurve()
{
    QTest::keyClick(m_window.get(), Qt::Key_Space);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->engine().isPlaying(), 10000);
    for (RunId id : m_window->engine().runIds()) {
        QTRY_VERIFY_WITH_TIMEOUT(m_window->engine().trajectory(id).records().size() > 5, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->lossView()->curvePoints(id).size() > 5, 20000);
    }
    QTest::keyClick(m_window.get(), Qt::Key_Space);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->engine().isPlaying(), 10000);
    // The status line of each run shows its step.
    for (RunId id : m_window->engine().runIds())
        QVERIFY(!m_window->runTable()->statusText(id).isEmpty());
}

void TestMainWindow::lossAxisSwitchReplotsTheSameData()
{
    DescentEngine &engine = m_window->engine();
    QSignalSpy finished(&engine, &DescentEngine::runFinished);
    for (int i = 0; i < 3; ++i)
        engine.stepEpoch();
    QTRY_COMPARE_WITH_TIMEOUT(int(engine.trajectory(engine.runIds()[1]).last().step), 3 * 200, 20000);
    auto *axis = m_window->findChild<QComboBox *>(QStringLiteral("lossAxisCombo"));
    QVERIFY(axis);
    for (int mode : {1, 2, 0}) {
        axis->setCurrentIndex(mode);
        for (RunId id : engine.runIds()) {
            const auto &records = engine.trajectory(id).records();
            const QList<QPointF> points = m_window->lossView()->curvePoints(id);
            QVERIFY(!points.isEmpty());
            // Every drawn point is a record's (x, loss) in the chosen unit: updates, epochs, samples seen.
            for (const QPointF &p : points) {
                const bool found = std::any_of(records.begin(), records.end(), [&](const StepRecord &r) {
                    const double x = mode == 0 ? double(r.step) : mode == 1 ? r.epoch : r.epoch * 200;
                    return std::abs(x - p.x()) <= 1e-9 * std::max(1.0, std::abs(x)) && r.loss == p.y();
                });
                QVERIFY2(found, qPrintable(QStringLiteral("(%1, %2)").arg(p.x()).arg(p.y())));
            }
            const double lastX = mode == 0 ? double(records.back().step) : mode == 1 ? records.back().epoch : records.back().epoch * 200;
            QCOMPARE(points.back().x(), lastX);
        }
    }
}

void TestMainWindow::badFileShowsErrorAndKeepsScenario()
{
    const std::vector<RunId> before = m_window->engine().runIds();
    QSignalSpy opened(m_window.get(), &MainWindow::scenarioFileOpened);
    m_window->openScenarioFile(QStringLiteral(GDVIZ_TEST_DATA_DIR "/negative_lr.json"));
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 10000);
    QCOMPARE(opened.front().front().toBool(), false);
    QVERIFY2(m_window->bannerText().endsWith(QLatin1String("negative_lr.json: runs[1].lr: must be > 0, got -0.1")),
             qPrintable(m_window->bannerText()));
    QCOMPARE(m_window->engine().runIds(), before);
    QCOMPARE(m_window->runTable()->table()->rowCount(), 3);
}

void TestMainWindow::saveAndReopenGivesTheSameRuns()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("saved.json"));
    QString error;
    QVERIFY2(m_window->saveScenarioTo(path, &error), qPrintable(error));
    const Scenario before = m_window->currentScenario();
    MainWindow reopened;
    QSignalSpy opened(&reopened, &MainWindow::scenarioFileOpened);
    // Said once the engine holds the file's scenario: what the engine holds at that very moment.
    std::size_t runsWhenOpened = 0;
    connect(&reopened, &MainWindow::scenarioFileOpened, this, [&] { runsWhenOpened = reopened.engine().scenario().runs.size(); });
    reopened.openScenarioFile(path);
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 10000);
    QVERIFY(opened.front().front().toBool());
    QCOMPARE(runsWhenOpened, before.runs.size());
    QTRY_COMPARE_WITH_TIMEOUT(reopened.engine().runIds().size(), before.runs.size(), 10000);
    const Scenario after = reopened.currentScenario();
    for (std::size_t i = 0; i < before.runs.size(); ++i)
        QVERIFY(after.runs[i] == before.runs[i]);
    QCOMPARE(after.data->x, before.data->x);
}

void TestMainWindow::exportsPicturesAndTrajectories()
{
    QTemporaryDir dir;
    QString error;
    for (const char *suffix : {"png", "svg", "pdf"}) {
        const QString path = dir.filePath(QStringLiteral("surface.") + QLatin1String(suffix));
        QVERIFY2(MainWindow::exportPlot(m_window->surfaceView()->plot(), path, &error), qPrintable(error));
        QVERIFY(QFileInfo(path).size() > 1000);
    }
    QVERIFY(!QImage(dir.filePath(QStringLiteral("surface.png"))).isNull());
    QVERIFY(!MainWindow::exportPlot(m_window->surfaceView()->plot(), dir.filePath(QStringLiteral("x.bmpx")), &error));
    QVERIFY(error.contains(QLatin1String("unknown picture type")));

    m_window->engine().step();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->engine().trajectory(m_window->engine().runIds().front()).records().size(), std::size_t(2), 10000);
    const QString csv = dir.filePath(QStringLiteral("t.csv"));
    TrajectoryExport *job = m_window->exportTrajectories(csv);
    QVERIFY(job);
    QSignalSpy written(job, &TrajectoryExport::finished);
    QTRY_COMPARE_WITH_TIMEOUT(written.size(), 1, 10000);
    QCOMPARE(written.front().front().value<TrajectoryExport::Outcome>(), TrajectoryExport::Outcome::Written);
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readLine().startsWith("run,step,epoch,theta0,theta1,loss"));
    int rows = 0;
    while (!file.atEnd() && !file.readLine().trimmed().isEmpty())
        ++rows;
    QCOMPARE(rows, 3 * 2);
}

void TestMainWindow::screenshotIsNotBlank()
{
    QTRY_VERIFY_WITH_TIMEOUT(m_window->surfaceView()->isSurfaceComplete(), 20000);
    m_window->surfaceView()->plot()->replot();
    m_window->lossView()->plot()->replot();
    const QImage image = m_window->grab().toImage();
    QVERIFY(image.width() > 1000);
    QVERIFY2(colours(image).size() > 200, qPrintable(QString::number(colours(image).size())));
}

void TestMainWindow::renamingReachesTheLegendAndDuplicatesAreRefused()
{
    const RunId id = m_window->runTable()->selectedRun();
    RunSettings settings = m_window->engine().runSettings(id);
    settings.name = "Whole data set";
    emit m_window->runEditor()->settingsEdited(id, settings);
    QCOMPARE(m_window->engine().runSettings(id).name, std::string("Whole data set"));
    QCustomPlot *loss = m_window->lossView()->plot();
    bool named = false;
    for (int i = 0; i < loss->graphCount(); ++i)
        named = named || loss->graph(i)->name() == QLatin1String("Whole data set");
    QVERIFY(named);

    settings.name = "Stochastic GD"; // another run's name
    emit m_window->runEditor()->settingsEdited(id, settings);
    QCOMPARE(m_window->engine().runSettings(id).name, std::string("Whole data set"));
    QVERIFY2(m_window->bannerText().contains(QLatin1String("'Stochastic GD' is already the name of another run")),
             qPrintable(m_window->bannerText()));
}

void TestMainWindow::noStepLimitSurvivesSaveAndReopen()
{
    // The lesson stops at 20 epochs (max_steps 0); turning epochs off too leaves no limit at all, which
    // must come back as no limit, not as the default 1000 steps.
    auto *maxSteps = m_window->findChild<QSpinBox *>(QStringLiteral("maxSteps"));
    auto *maxEpochs = m_window->findChild<QDoubleSpinBox *>(QStringLiteral("maxEpochs"));
    QVERIFY(maxSteps && maxEpochs);
    QCOMPARE(maxSteps->value(), 0);
    maxEpochs->setValue(0);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->engine().scenario().stop.maxEpochs, 0.0, 10000);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("no_limit.json"));
    QString error;
    QVERIFY2(m_window->saveScenarioTo(path, &error), qPrintable(error));
    MainWindow reopened;
    QSignalSpy opened(&reopened, &MainWindow::scenarioFileOpened);
    reopened.openScenarioFile(path);
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 10000);
    QVERIFY(opened.front().front().toBool());
    QTRY_COMPARE_WITH_TIMEOUT(reopened.engine().runIds().size(), std::size_t(3), 10000);
    QCOMPARE(reopened.currentScenario().stop.maxSteps, 0L);
    QCOMPARE(reopened.currentScenario().stop.maxEpochs, 0.0);
    auto *reopenedSteps = reopened.findChild<QSpinBox *>(QStringLiteral("maxSteps"));
    QVERIFY(reopenedSteps);
    QCOMPARE(reopenedSteps->text(), QStringLiteral("no limit"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
