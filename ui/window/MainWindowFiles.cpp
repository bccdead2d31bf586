// MainWindow: opening, saving and exporting files, recent files, and the --screenshot run.

#include "MainWindow.h"

#include "AtomicFile.h"

#include "DataView.h"
#include "LossView.h"
#include "ScenarioReader.h"
#include "ScenarioWriter.h"
#include "SurfaceView.h"
#include "WorkerPools.h"

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QSettings>
#include <QStatusBar>
#include <QSvgGenerator>
#include <QTemporaryFile>
#include <QTimer>
#include <QtConcurrent>
#include <qcustomplot.h>

namespace gdviz {

namespace {
const QString recentKey = QStringLiteral("files/recent");
constexpr int maxRecent = 8;

/// The files the window's scenario was read from, which no save or export may write over: its data CSV and,
/// for exports, the scenario file itself (saving over it is what Save does). Compared by device and inode
/// (outputPathProblem()), so a link of any kind to them is caught.
std::vector<RunInput> windowInputs(const Scenario &scenario, const QString &scenarioDir, const QString &scenarioFile)
{
    std::vector<RunInput> inputs;
    if (!scenarioFile.isEmpty())
        if (const auto identity = fileIdentity(QFile::encodeName(scenarioFile).toStdString()))
            inputs.push_back({*identity, QObject::tr("the scenario file")});
    const ObjectiveSpec &spec = scenario.objectiveSpec;
    if (spec.isData() && !spec.generate && !spec.csvPath.empty()) {
        const QString data = QDir(scenarioDir).absoluteFilePath(QString::fromStdString(spec.csvPath));
        if (const auto identity = fileIdentity(QFile::encodeName(data).toStdString()))
            inputs.push_back({*identity, QObject::tr("the scenario's data CSV")});
    }
    return inputs;
}

/// An output's problem for a message ("PATH: could not save: is a FIFO (named pipe), not a regular file"); empty
/// when path may be written.
QString outputRefusal(const QString &path, const std::vector<RunInput> &inputs)
{
    const QString problem = outputPathProblem(path, inputs);
    return problem.isEmpty() ? QString() : QObject::tr("%1: could not save: %2").arg(path, problem);
}
} // namespace

bool MainWindow::openDefaultLesson()
{
    if (!maybeSaveChanges())
        return false;
    QFile file(QStringLiteral(":/lessons/batch_vs_stochastic.json"));
    std::string error;
    std::optional<Scenario> scenario;
    if (file.open(QIODevice::ReadOnly))
        scenario = parseScenario(file.readAll().toStdString(), "built-in lesson", "", &error);
    if (!scenario) {
        showBanner(QString::fromStdString(error));
        return true;
    }
    ++m_loadGeneration;
    m_currentFile.clear();
    m_scenarioDir = QDir::currentPath();
    m_undo.clear(); // the edits before belong to another scenario
    m_engine.loadScenario(*scenario);
    setWindowModified(false);
    updateTitle();
    return true;
}

bool MainWindow::openScenarioFile(const QString &path)
{
    if (!maybeSaveChanges())
        return false;
    readScenarioFile(path);
    return true;
}

void MainWindow::setScenarioFileReader(ScenarioFileReader reader)
{
    if (!reader)
        reader = [](const QString &path) {
            ScenarioLoadResult result;
            result.scenario = readScenario(path.toStdString(), &result.error);
            return result;
        };
    m_scenarioFileReader = std::move(reader);
}

void MainWindow::readScenarioFile(const QString &path)
{
    m_pendingFile = path;
    m_fileGeneration = ++m_loadGeneration;
    // On the files pool, with a thread of its own: a read that never ends holds up neither the next read nor the
    // surfaces nor Qt's painting (which needs the global pool), and the window never waits for it.
    m_fileReader.setFuture(QtConcurrent::run(&workerPools::filesWithRoom(), [reader = m_scenarioFileReader, path] {
        return reader(path);
    }));
}

bool MainWindow::saveScenarioTo(const QString &path, QString *error)
{
    Scenario scenario = currentScenario();
    if (const QString refusal = outputRefusal(path, windowInputs(scenario, m_scenarioDir, {})); !refusal.isEmpty()) {
        *error = refusal;
        return false;
    }
    if (scenario.objectiveSpec.isData() && !scenario.objectiveSpec.csvPath.empty()) {
        // Data paths are written relative to the new file's folder, so the pair can be moved together.
        const QString data = QDir(m_scenarioDir).absoluteFilePath(QString::fromStdString(scenario.objectiveSpec.csvPath));
        scenario.objectiveSpec.csvPath = QFileInfo(path).absoluteDir().relativeFilePath(data).toStdString();
    }
    QString reason;
    if (!writeFileAtomically(path, scenarioToJson(scenario), &reason)) {
        *error = tr("%1: could not save: %2").arg(path, reason);
        return false;
    }
    m_currentFile = path;
    m_scenarioDir = QFileInfo(path).absolutePath();
    addRecentFile(path);
    setWindowModified(false);
    updateTitle();
    return true;
}

bool MainWindow::maybeSaveChanges()
{
    if (!isWindowModified())
        return true;
    const QString name = m_currentFile.isEmpty() ? tr("the scenario") : QFileInfo(m_currentFile).fileName();
    QMessageBox box(QMessageBox::Warning, tr("Unsaved changes"), tr("The scenario has unsaved changes."),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("unsavedChangesBox"));
    box.setInformativeText(tr("Save the changes to %1?").arg(name));
    box.setDefaultButton(QMessageBox::Save);
    box.setEscapeButton(QMessageBox::Cancel);
    switch (box.exec()) {
    case QMessageBox::Save:
        return save();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

bool MainWindow::save()
{
    if (m_currentFile.isEmpty())
        return saveFileDialog();
    QString error;
    if (!saveScenarioTo(m_currentFile, &error)) {
        showBanner(error);
        return false;
    }
    return true;
}

void MainWindow::markModified()
{
    setWindowModified(true);
}

bool MainWindow::exportPlot(QCustomPlot *plot, const QString &path, QString *error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("pdf") && suffix != QLatin1String("svg")) {
        *error = tr("%1: unknown picture type '%2' (use .png, .svg or .pdf)").arg(path, suffix);
        return false;
    }
    if (const QString refusal = outputRefusal(path, {}); !refusal.isEmpty()) {
        *error = refusal;
        return false;
    }
    // QCustomPlot writes straight to a path: a private temporary, copied into path atomically (writeFileAtomically)
    // so that a failed export leaves an old picture as it was.
    QTemporaryFile temporary(QDir(QDir::tempPath()).filePath(QStringLiteral("gdviz-XXXXXX.") + suffix));
    if (!temporary.open()) {
        *error = tr("%1: could not write the picture: %2").arg(path, temporary.errorString());
        return false;
    }
    temporary.close();
    const QString drawn = temporary.fileName();
    const int w = plot->width() > 50 ? plot->width() : 1200, h = plot->height() > 50 ? plot->height() : 900;
    plot->replot();
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        ok = plot->savePng(drawn, w, h, 2.0);
    } else if (suffix == QLatin1String("pdf")) {
        ok = plot->savePdf(drawn, w, h);
    } else {
        QSvgGenerator generator;
        generator.setFileName(drawn);
        generator.setSize(QSize(w, h));
        generator.setViewBox(QRect(0, 0, w, h));
        generator.setTitle(QStringLiteral("gdviz"));
        QCPPainter painter;
        ok = painter.begin(&generator);
        if (ok) {
            plot->toPainter(&painter, w, h);
            ok = painter.end();
        }
    }
    if (!ok || !temporary.open()) {
        *error = tr("%1: could not write the picture").arg(path);
        return false;
    }
    QString reason;
    if (!writeFileAtomically(path, temporary.readAll(), &reason)) {
        *error = tr("%1: could not write the picture: %2").arg(path, reason);
        return false;
    }
    return true;
}

TrajectoryExport *MainWindow::exportTrajectories(const QString &path, TrajectoryExport::Options options)
{
    if (const QString refusal = outputRefusal(path, windowInputs(currentScenario(), m_scenarioDir, m_currentFile)); !refusal.isEmpty()) {
        showBanner(refusal);
        return nullptr;
    }
    if (m_trajectoryExport && m_trajectoryExport->isRunning()) {
        showBanner(tr("%1: the trajectories are still being written to %2; cancel that export first")
                       .arg(path, m_trajectoryExport->path()));
        return nullptr;
    }
    delete m_trajectoryExport; // finished
    // The job is this window's child: it reads the engine only on this thread, while the window lives.
    auto source = [this] {
        std::vector<TrajectoryExport::RunView> runs;
        for (RunId id : m_engine.runIds())
            runs.push_back({m_engine.runSettings(id).name, m_engine.trajectory(id).records()});
        return runs;
    };
    auto *job = new TrajectoryExport(path, std::move(source), std::move(options), this);
    m_trajectoryExport = job;

    // Shown only when the export lasts (QProgressDialog's minimum duration); not modal: the class goes on.
    auto *progress = new QProgressDialog(tr("Writing the trajectories to %1…").arg(QFileInfo(path).fileName()), tr("Cancel"),
                                         0, 1000, this);
    progress->setObjectName(QStringLiteral("trajectoryExportProgress"));
    progress->setWindowTitle(tr("Export trajectories"));
    progress->setWindowModality(Qt::NonModal);
    progress->setAttribute(Qt::WA_ShowWithoutActivating); // the keys stay with the window (Space still plays)
    progress->setMinimumDuration(500);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    progress->setValue(0);
    connect(job, &TrajectoryExport::progressed, progress, [progress](qint64 rows, qint64 total) {
        progress->setValue(total > 0 ? int(1000 * rows / total) : 0);
    });
    connect(progress, &QProgressDialog::canceled, job, &TrajectoryExport::cancel);
    connect(job, &TrajectoryExport::finished, this, [this, progress, path](TrajectoryExport::Outcome outcome, const QString &error) {
        progress->deleteLater();
        switch (outcome) {
        case TrajectoryExport::Outcome::Written:
            statusBar()->showMessage(tr("Trajectories written to %1").arg(path), 5000);
            break;
        case TrajectoryExport::Outcome::Cancelled:
            showNotice(tr("Export cancelled: %1 is as it was.").arg(path));
            break;
        case TrajectoryExport::Outcome::Failed:
            showBanner(tr("%1: could not save: %2").arg(path, error));
            break;
        }
    });
    return job;
}

void MainWindow::screenshotWhenDone(const QString &path, bool play)
{
    auto finish = [this, path] {
        // Wait until the fine surface for what is on screen has been drawn, then take the picture.
        auto shoot = [this, path] {
            for (QCustomPlot *plot : {m_surface->plot(), m_loss->plot(), m_data->plot()})
                if (plot->isVisible())
                    plot->replot();
            // Encoded in memory and written atomically: never over a device, never half a picture.
            QBuffer png;
            png.open(QIODevice::WriteOnly);
            QString reason;
            const bool ok = grab().save(&png, "PNG") && writeFileAtomically(path, png.data(), &reason);
            if (!ok)
                qWarning("gdviz: %s: could not write the picture%s", qPrintable(path),
                         qPrintable(reason.isEmpty() ? QString() : QStringLiteral(": ") + reason));
            QCoreApplication::exit(ok ? 0 : 2);
        };
        if (m_surface->isSurfaceComplete())
            QTimer::singleShot(0, this, shoot);
        else
            connect(m_surface, &SurfaceView::surfaceReady, this, [this, shoot](bool fine) {
                if (fine && m_surface->isSurfaceComplete())
                    QTimer::singleShot(0, this, shoot);
            });
    };
    auto start = [this, play, finish] {
        if (!play || allRunsEnded()) {
            finish();
            return;
        }
        const StopRules &stop = m_engine.scenario().stop;
        if (stop.maxSteps == 0 && stop.maxEpochs == 0) { // "no limit": playing would never end
            const QString file = m_currentFile.isEmpty() ? tr("the scenario") : m_currentFile;
            qWarning("gdviz: %s: stop.max_steps: 0 means no limit, which --play --screenshot cannot play to the end; "
                     "give max_steps or max_epochs", qPrintable(file));
            QCoreApplication::exit(2);
            return;
        }
        connect(this, &MainWindow::allRunsFinished, this, finish, Qt::SingleShotConnection);
        setSpeed(asFastAsPossible);
        m_engine.play();
    };
    // Start once the scenario's runs have all been announced.
    if (m_engine.hasScenario() && !m_engine.runIds().empty() && m_engine.runIds().size() == currentScenario().runs.size())
        start();
    else
        connect(&m_engine, &DescentEngine::runStarted, this, [this, start, started = std::make_shared<bool>(false)] {
            if (!*started && m_engine.runIds().size() == m_engine.scenario().runs.size()) {
                *started = true;
                QTimer::singleShot(0, this, start);
            }
        });
    connect(this, &MainWindow::scenarioFileOpened, this, [](bool ok) {
        if (!ok)
            QCoreApplication::exit(2);
    });
}

void MainWindow::openFileDialog()
{
    if (!maybeSaveChanges()) // asked before choosing a file, as the user is about to leave this scenario
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open scenario"), m_scenarioDir, tr("Scenarios (*.json);;All files (*)"));
    if (!path.isEmpty())
        readScenarioFile(path);
}

bool MainWindow::saveFileDialog()
{
    const QString suggested = m_currentFile.isEmpty() ? QDir(m_scenarioDir).filePath(QStringLiteral("scenario.json")) : m_currentFile;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save scenario"), suggested, tr("Scenarios (*.json)"));
    if (path.isEmpty())
        return false;
    QString error;
    if (!saveScenarioTo(path, &error)) {
        showBanner(error);
        return false;
    }
    return true;
}

void MainWindow::exportDialog(QCustomPlot *plot, const QString &what)
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the %1 plot").arg(what),
                                                      QDir(m_scenarioDir).filePath(what + QStringLiteral(".png")),
                                                      tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    QString error;
    if (!path.isEmpty()) // not over the scenario or its data (exportPlot() refuses devices and the like itself)
        if (const QString refusal = outputRefusal(path, windowInputs(currentScenario(), m_scenarioDir, m_currentFile)); !refusal.isEmpty()) {
            showBanner(refusal);
            return;
        }
    if (plot == m_surface->plot())
        m_surface->setLegendVisible(true); // the picture names its runs; the window's table does that on screen
    const bool failed = !path.isEmpty() && !exportPlot(plot, path, &error);
    if (plot == m_surface->plot())
        m_surface->setLegendVisible(false);
    if (failed)
        showBanner(error);
}

void MainWindow::exportTrajectoriesDialog()
{
    if (m_trajectoryExport && m_trajectoryExport->isRunning()) {
        showNotice(tr("The trajectories are still being written to %1 (its progress window can cancel it).")
                       .arg(m_trajectoryExport->path()));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export trajectories"), QDir(m_scenarioDir).filePath(QStringLiteral("trajectories.csv")),
                                                      tr("CSV (*.csv)"));
    if (!path.isEmpty())
        exportTrajectories(path);
}

void MainWindow::addRecentFile(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(recentKey).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > maxRecent)
        recent.removeLast();
    settings.setValue(recentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(recentKey).toStringList();
    for (const QString &path : recent)
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openScenarioFile(path); })->setToolTip(path);
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::updateTitle()
{
    // "[*]" shows as "*" while the window is modified (QWidget::setWindowModified).
    setWindowTitle(m_currentFile.isEmpty() ? tr("gdviz[*] — gradient descent, visualized")
                                           : tr("%1[*] — gdviz").arg(QFileInfo(m_currentFile).fileName()));
}

} // namespace gdviz
