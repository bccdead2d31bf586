#include "MainWindow.h"

#include "AnimationKeys.h"
#include "DataView.h"
#include "EventWatcher.h"
#include "KeysOverlay.h"
#include "LossView.h"
#include "ObjectivePanel.h"
#include "RunEditor.h"
#include "RunPalette.h"
#include "RunTable.h"
#include "StepInspector.h"
#include "SurfaceView.h"
#include "UndoCommands.h"

#include "LossTrend.h"
#include "RecommendedDefaults.h"
#include "ScenarioReader.h"
#include "StableLearningRate.h"
#include "WorkerPools.h"

#include <QAction>
#include <QApplication>
#include <QColorDialog>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace gdviz {

namespace {

// How long closing the window waits for reads and exports still in flight (see ~MainWindow).
constexpr int kFilesGraceAtCloseMs = 300;

constexpr int speedSliderTicks = 1000; // 10^0 .. 10^5 updates per second, log scale
constexpr int speedSliderMax = speedSliderTicks + 50; // the last stretch: as fast as possible

double speedForSlider(int value)
{
    return value > speedSliderTicks ? asFastAsPossible : std::pow(10.0, 5.0 * value / speedSliderTicks);
}

int sliderForSpeed(double speed)
{
    return speed <= 0 ? speedSliderMax : int(std::lround(std::log10(speed) / 5.0 * speedSliderTicks));
}

/// The key given on every platform, then the platform's own keys for the same command (none for Save As or Quit
/// under Qt's generic X11 and Windows bindings) that differ from it: an action with the same key twice would find
/// it ambiguous and do nothing.
QList<QKeySequence> withPlatformKeys(const QKeySequence &everywhere, QKeySequence::StandardKey standard)
{
    QList<QKeySequence> keys{everywhere};
    for (const QKeySequence &key : QKeySequence::keyBindings(standard))
        if (!keys.contains(key))
            keys << key;
    return keys;
}

/// A start point inside window, for a run whose current start lies outside it (a new objective).
Vec2 startInside(const ViewWindow &w, const Vec2 &start)
{
    if (start[0] >= w.xMin && start[0] <= w.xMax && start[1] >= w.yMin && start[1] <= w.yMax)
        return start;
    return Vec2(w.xMin + 0.15 * (w.xMax - w.xMin), w.yMin + 0.85 * (w.yMax - w.yMin));
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowIcon(QIcon(QStringLiteral(":/icons/gdviz.svg")));
    buildViews();
    buildControls();
    buildActions();
    connectEngine();
    setScenarioFileReader({}); // readScenario()
    new AnimationKeys(this, m_surface); // Space, N, E, ... whatever has focus; Enter in a field returns here
    statusBar()->showMessage(tr("Space: play/pause  ·  N: one step  ·  E: one epoch  ·  R: reset  ·  "
                                "click the surface to move the selected run's start (Shift: every run)"));

    connect(&m_fileReader, &QFutureWatcher<ScenarioLoadResult>::finished, this, [this] {
        const ScenarioLoadResult result = m_fileReader.result();
        if (m_fileGeneration != m_loadGeneration)
            return; // something newer was asked for meanwhile
        if (!result.scenario) {
            // A file that fails as the window opens (gdviz --scenario FIFO) leaves nothing to show: the class gets
            // the built-in lesson under the message rather than an empty window.
            QString message = QString::fromStdString(result.error);
            if (!m_engine.hasScenario()) {
                message += tr("; the built-in lesson is open instead");
                m_errorWhenLoaded = message; // shown again once the engine reports the lesson loaded
                openDefaultLesson();
            }
            showBanner(message);
            emit scenarioFileOpened(false);
            return;
        }
        m_currentFile = m_pendingFile;
        m_scenarioDir = QFileInfo(m_pendingFile).absolutePath();
        addRecentFile(m_pendingFile);
        showBanner({});
        m_undo.clear(); // the edits before belong to another scenario
        const quint64 ticket = m_engine.loadScenario(*result.scenario);
        setWindowModified(false);
        updateTitle();
        // Said once the engine holds it (its scenario and runs), not when it was merely handed over.
        auto loaded = std::make_shared<QMetaObject::Connection>();
        *loaded = connect(&m_engine, &DescentEngine::scenarioLoaded, this, [this, ticket, loaded] {
            if (m_engine.loadedTicket() < ticket)
                return; // a load asked for before this one
            disconnect(*loaded);
            emit scenarioFileOpened(true);
        });
    });
    connect(&m_objectiveBuilder, &QFutureWatcher<ScenarioLoadResult>::finished, this, [this] {
        const ScenarioLoadResult result = m_objectiveBuilder.result();
        if (m_objectiveGeneration != m_loadGeneration)
            return;
        const bool formula = m_requestedObjectiveKind == "expression";
        if (!result.scenario) {
            const QString message = QString::fromStdString(result.error);
            if (formula) {
                m_objectivePanel->showFormulaError(message); // the formula stays as typed, to be corrected
            } else {
                // A failed import or generation changes nothing: the panel shows the data the runs still use.
                const Scenario &now = m_engine.scenario();
                m_objectivePanel->setObjective(now.objectiveSpec, now.stop);
                m_objectivePanel->setSampleCount(now.data ? now.data->size() : 0);
                m_objectivePanel->showDataError(message);
            }
            return;
        }
        m_objectivePanel->showDataError({});
        m_objectivePanel->showFormulaError({});
        const Scenario before = currentScenario();
        const bool switched = before.objectiveSpec.kind != result.scenario->objectiveSpec.kind
                              || before.objectiveSpec.standardizeX != result.scenario->objectiveSpec.standardizeX;
        m_undo.push(new ScenarioCommand(tr("Change the objective"), before, *result.scenario, [this](const Scenario &s) {
            m_engine.loadScenario(s);
            markModified();
        }));
        if (switched)
            m_noticeWhenLoaded = defaultsNotice(*result.scenario); // after the load, which clears the banner
    });

    QSettings settings;
    m_restoredGeometry = restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (const int size = settings.value(QStringLiteral("window/fontSize"), 0).toInt(); size > 0) {
        QFont f = font();
        f.setPointSize(size);
        setFont(f);
    }
    updateTitle();
}

MainWindow::~MainWindow()
{
    // The members (the engine, the undo stack) go before the widgets: a field that had the focus reports its
    // edit as it loses it while the widgets are torn down, and nothing may reach the members then.
    for (QWidget *child : findChildren<QWidget *>())
        child->blockSignals(true);
    // A cancelled export ends within a chunk and removes its temporary file: it is waited for, so no temporary
    // is left in the user's folder and no thread writes while the program ends.
    if (m_trajectoryExport) {
        m_trajectoryExport->cancel();
        m_trajectoryExport->waitForFinished();
    }
    // Reads are not waited for without a limit: a read blocked for good (a FIFO nobody writes, a stalled network
    // drive) would keep the window from closing. Reads in flight get a moment to end; whatever is still blocked
    // then ends with the process.
    if (workerPools::files().activeThreadCount() > 0)
        workerPools::files().waitForDone(kFilesGraceAtCloseMs);
    if (!m_objectiveBuildReadsFile)
        m_objectiveBuilder.waitForFinished(); // a computation, bounded
}

void MainWindow::buildViews()
{
    m_surface = new SurfaceView;
    m_loss = new LossView;
    m_data = new DataView;
    for (QWidget *plot : std::initializer_list<QWidget *>{m_surface, m_loss, m_data})
        plot->setFocusPolicy(Qt::ClickFocus); // a click on a plot ends an edit: the keys act again
    m_loss->setRecordDescriber([this](RunId id, long step, bool marker) { return describeRecord(id, step, marker); });
    m_surface->setRecordDescriber([this](RunId id, long step) { return describeRecord(id, step, false); });
    m_runs = new RunTable;

    m_banner = new QLabel;
    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *dismiss = new QToolButton;
    dismiss->setText(QStringLiteral("✕"));
    dismiss->setToolTip(tr("Hide this message."));
    dismiss->setAutoRaise(true);
    m_bannerBox = new QWidget;
    m_bannerBox->setStyleSheet(QStringLiteral("QWidget { background: #FDECEA; color: #8A1C1C; } QLabel { padding: 6px; }"));
    auto *bannerLayout = new QHBoxLayout(m_bannerBox);
    bannerLayout->setContentsMargins(4, 0, 4, 0);
    bannerLayout->addWidget(m_banner, 1);
    m_bannerAction = new QPushButton;
    m_bannerAction->setObjectName(QStringLiteral("bannerAction"));
    m_bannerAction->hide();
    connect(m_bannerAction, &QPushButton::clicked, this, [this] {
        if (const auto action = std::exchange(m_bannerCallback, {}))
            action();
    });
    bannerLayout->addWidget(m_bannerAction);
    bannerLayout->addWidget(dismiss);
    m_bannerBox->hide();
    connect(dismiss, &QToolButton::clicked, this, [this] { showBanner({}); });

    m_dataBox = m_data;
    m_data->setMinimumSize(200, 150); // never zero-sized, even while hidden: QCustomPlot cannot paint into an empty buffer
    auto *rightColumn = new QSplitter(Qt::Vertical);
    rightColumn->addWidget(m_loss);
    rightColumn->addWidget(m_data);
    auto *plots = new QSplitter(Qt::Horizontal);
    plots->addWidget(m_surface);
    plots->addWidget(rightColumn);
    plots->setStretchFactor(0, 3);
    plots->setStretchFactor(1, 2);
    auto *main = new QSplitter(Qt::Vertical);
    main->addWidget(plots);
    main->addWidget(m_runs);
    main->setStretchFactor(0, 5);
    main->setStretchFactor(1, 1);
    main->setSizes({760, 150});
    // A drag never folds a plot or the run list away to nothing: a class would lose it without knowing where it
    // went, and a zero-sized plot cannot paint (a monkey run logged 53,000 "inactive painter" warnings).
    for (QSplitter *splitter : {rightColumn, plots, main})
        splitter->setChildrenCollapsible(false);

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_bannerBox);
    layout->addWidget(main, 1);
    setCentralWidget(central);
}

void MainWindow::buildControls()
{
    m_objectivePanel = new ObjectivePanel;
    m_editor = new RunEditor;
    auto *runBox = new QGroupBox(tr("Selected run"));
    (new QVBoxLayout(runBox))->addWidget(m_editor);

    auto *panel = new QWidget;
    auto *layout = new QVBoxLayout(panel);
    layout->addWidget(m_objectivePanel); // it has its own groups: objective, data, stop rules
    layout->addWidget(runBox);
    layout->addStretch();
    auto *scroll = new QScrollArea;
    scroll->setWidget(panel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // Whenever the panel's least width changes (larger text, another optimizer's rows), the dock keeps room for it:
    // the controls never scroll sideways. (Labels take a new font a turn after the panel, so a one-off measure at
    // the font change came out short.)
    new EventWatcher(panel, QEvent::LayoutRequest, [this] { keepControlsWhole(); }, EventWatcher::When::NextTurn);
    auto *dock = m_controlsDock = new QDockWidget(tr("Controls"), this);
    dock->setObjectName(QStringLiteral("controlsDock"));
    dock->setWidget(scroll);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    resizeDocks({dock}, {380}, Qt::Horizontal);

    // The step inspector shares the controls' place (a tab beside them), so that 1024x768 still fits both.
    m_inspector = new StepInspector;
    m_inspectorDock = new QDockWidget(tr("Step inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(m_inspector);
    m_inspectorDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    tabifyDockWidget(dock, m_inspectorDock);
    dock->raise();
    connect(m_inspectorDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            explainSelectedRun(); // it asks only while on screen
    });

    connect(m_objectivePanel, &ObjectivePanel::objectiveRequested, this, &MainWindow::onObjectiveRequested);
    connect(m_objectivePanel, &ObjectivePanel::stopRulesEdited, this, [this](const StopRules &stop) {
        m_engine.setStopRules(stop);
        markModified();
        explainSelectedRun(); // a run may have ended or gone on
    });
    connect(m_editor, &RunEditor::settingsEdited, this, [this](RunId id, const RunSettings &settings) {
        if (!m_engine.hasRun(id))
            return;
        const QScopedValueRollback fromEditor(m_editingInEditor, true); // the editor shows it already
        m_undo.push(new RunSettingsCommand(tr("Edit %1").arg(QString::fromStdString(settings.name)), id, m_engine.runSettings(id),
                                           settings, [this](RunId run, const RunSettings &s) { applyRunSettings(run, s); }));
    });
    connect(m_editor, &RunEditor::learningRateEdited, this, [this](RunId id, double lr) {
        if (!m_engine.hasRun(id))
            return;
        RunSettings after = m_engine.runSettings(id);
        after.optimizer.lr = lr;
        const QScopedValueRollback fromEditor(m_editingInEditor, true);
        m_undo.push(new RunSettingsCommand(tr("Learning rate of %1").arg(QString::fromStdString(after.name)), id, m_engine.runSettings(id),
                                           after, [this](RunId run, const RunSettings &s) { applyRunSettings(run, s); }, true));
    });
    connect(m_runs, &RunTable::selectedRunChanged, this, &MainWindow::onSelectedRunChanged);
    connect(m_runs, &RunTable::runVisibilityChanged, this, &MainWindow::setRunVisible);
    connect(m_runs, &RunTable::addRequested, this, [this] { addRun(std::nullopt); });
    connect(m_runs, &RunTable::duplicateRequested, this, [this](RunId id) { addRun(id); });
    connect(m_runs, &RunTable::removeRequested, this, [this](RunId id) {
        m_engine.removeRun(id);
        markModified();
    });
    connect(m_runs, &RunTable::recolorRequested, this, &MainWindow::recolorRun);
    connect(m_surface, &SurfaceView::startPointPicked, this, [this](const Vec2 &point, bool everyRun) {
        std::vector<RunId> moved;
        if (everyRun)
            moved = m_engine.runIds();
        else if (const RunId id = m_runs->selectedRun(); id >= 0 && m_engine.hasRun(id))
            moved = {id};
        if (moved.empty())
            return;
        m_undo.beginMacro(everyRun ? tr("Move every start point") : tr("Move a start point"));
        for (RunId id : moved) {
            RunSettings after = m_engine.runSettings(id);
            after.start = point;
            m_undo.push(new RunSettingsCommand(tr("Move the start point"), id, m_engine.runSettings(id), after,
                                               [this](RunId run, const RunSettings &s) { applyRunSettings(run, s); }));
        }
        m_undo.endMacro();
    });
}

void MainWindow::buildActions()
{
    QStyle *s = style();
    auto action = [this](const QString &text, const QString &tip, const QList<QKeySequence> &keys, auto slot) {
        auto *a = new QAction(text, this);
        a->setToolTip(tip);
        a->setStatusTip(tip);
        a->setShortcuts(keys);
        connect(a, &QAction::triggered, this, slot);
        addAction(a); // shortcuts work wherever focus is in the window
        return a;
    };

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(action(tr("&Open scenario…"), tr("Open a scenario file (JSON)."), {QKeySequence::Open}, [this] { openFileDialog(); }));
    m_recentMenu = file->addMenu(tr("Open &recent"));
    rebuildRecentMenu();
    file->addAction(action(tr("Open the &built-in lesson"), tr("Batch, stochastic and mini-batch gradient descent on linear regression."), {},
                           [this] { openDefaultLesson(); }));
    file->addAction(action(tr("&Save scenario"), tr("Save the objective, the runs and their settings to the scenario's file."),
                           {QKeySequence::Save}, [this] { save(); }));
    file->addAction(action(tr("Save scenario &as…"), tr("Save the objective, the runs and their settings as a new scenario file."),
                           withPlatformKeys(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), QKeySequence::SaveAs),
                           [this] { saveFileDialog(); }));
    file->addSeparator();
    file->addAction(action(tr("&Export surface plot…"), tr("Save the contour plot with the paths as PNG, SVG or PDF."),
                           {QKeySequence(Qt::CTRL | Qt::Key_E)}, [this] { exportDialog(m_surface->plot(), tr("surface")); }));
    file->addAction(action(tr("Export &loss plot…"), tr("Save the loss curves as PNG, SVG or PDF."), {},
                           [this] { exportDialog(m_loss->plot(), tr("loss")); }));
    file->addAction(action(tr("Export &data plot…"), tr("Save the data and the models as PNG, SVG or PDF."), {},
                           [this] { exportDialog(m_data->plot(), tr("data")); }));
    file->addAction(action(tr("Export &trajectories (CSV)…"), tr("Save every update of every run, in the headless command line's columns."),
                           {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E)}, [this] { exportTrajectoriesDialog(); }));
    file->addSeparator();
    file->addAction(action(tr("&Quit"), tr("Close gdviz."), withPlatformKeys(QKeySequence(Qt::CTRL | Qt::Key_Q), QKeySequence::Quit),
                           [this] { close(); }));

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_undo.createUndoAction(this, tr("&Undo"));
    undo->setShortcuts({QKeySequence::Undo});
    QAction *redo = m_undo.createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    for (QAction *a : {undo, redo}) {
        addAction(a);
        edit->addAction(a);
    }

    QToolBar *transport = addToolBar(tr("Transport"));
    transport->setObjectName(QStringLiteral("transportToolBar"));
    transport->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_playAction = action(tr("Play"), tr("Play or pause every run (Space)."), {QKeySequence(Qt::Key_Space)}, [this] { m_engine.togglePlay(); });
    m_playAction->setIcon(s->standardIcon(QStyle::SP_MediaPlay));
    transport->addAction(m_playAction);
    QAction *stepAction = action(tr("Step"), tr("One update of every run (N or Right)."), {QKeySequence(Qt::Key_N), QKeySequence(Qt::Key_Right)},
                                 [this] {
                                     m_engine.step();
                                     explainSelectedRun(); // answered after the step's records
                                 });
    stepAction->setIcon(s->standardIcon(QStyle::SP_MediaSkipForward));
    transport->addAction(stepAction);
    QAction *epochAction = action(tr("Epoch"), tr("Every run to the end of its next pass over the data (E)."), {QKeySequence(Qt::Key_E)},
                                  [this] {
                                      m_engine.stepEpoch();
                                      explainSelectedRun();
                                  });
    epochAction->setIcon(s->standardIcon(QStyle::SP_MediaSeekForward));
    transport->addAction(epochAction);
    QAction *resetAction = action(tr("Reset"), tr("Every run back to its start point, same seeds: the replay is identical (R)."),
                                  {QKeySequence(Qt::Key_R)}, [this] { m_engine.reset(); });
    resetAction->setIcon(s->standardIcon(QStyle::SP_BrowserReload));
    transport->addAction(resetAction);
    transport->addSeparator();

    m_speedSlider = new QSlider(Qt::Horizontal);
    m_speedSlider->setObjectName(QStringLiteral("speedSlider"));
    m_speedSlider->setRange(0, speedSliderMax);
    m_speedSlider->setMinimumWidth(90);
    m_speedSlider->setMaximumWidth(180);
    m_speedSlider->setToolTip(tr("Speed of each run in the race's unit (updates or samples per second), from 1 to 100,000; "
                                 "far right: as fast as the machine goes."));
    m_speedLabel = new QLabel;
    m_speedLabel->setObjectName(QStringLiteral("speedLabel"));
    m_speedLabel->setMinimumWidth(m_speedLabel->fontMetrics().horizontalAdvance(tr("%L1 updates/s").arg(100000)));
    transport->addWidget(new QLabel(tr(" Speed ")));
    transport->addWidget(m_speedSlider);
    transport->addWidget(m_speedLabel);
    connect(m_speedSlider, &QSlider::valueChanged, this, &MainWindow::setSpeedFromSlider);
    m_speedSlider->setValue(sliderForSpeed(m_speedByClock[0]));
    setSpeedFromSlider(m_speedSlider->value());
    transport->addSeparator();

    // The race's clock: per update every run takes one update a tick (batch GD "wins"); per sample every run
    // processes as many samples a tick, so a full-batch update costs n stochastic ones (what each buys per
    // unit of computation).
    m_raceClock = new QComboBox;
    m_raceClock->setObjectName(QStringLiteral("raceClockCombo"));
    m_raceClock->addItems({tr("updates"), tr("samples")});
    m_raceClock->setToolTip(tr("Race by updates (each run one update a tick: per update batch GD wins) or by samples (each run "
                               "processes as many samples a tick: per unit of computation stochastic and mini-batch GD win)."));
    transport->addWidget(new QLabel(tr(" Race by ")));
    transport->addWidget(m_raceClock);
    connect(m_raceClock, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_engine.setRaceClock(index == 1 ? RaceClock::Samples : RaceClock::Updates);
    });
    connect(&m_engine, &DescentEngine::raceClockChanged, this, &MainWindow::onRaceClockChanged);
    transport->addSeparator();

    m_lossAxis = new QComboBox;
    m_lossAxis->setObjectName(QStringLiteral("lossAxisCombo"));
    m_lossAxis->addItems({tr("updates"), tr("epochs"), tr("samples seen")});
    m_lossAxis->setToolTip(tr("What the loss curves are plotted against: per update batch GD wins, per epoch stochastic GD wins."));
    transport->addWidget(new QLabel(tr(" Loss against ")));
    transport->addWidget(m_lossAxis);
    connect(m_lossAxis, &QComboBox::currentIndexChanged, this, [this](int index) { m_loss->setXAxis(LossView::XAxis(index)); });
    connect(m_loss, &LossView::xAxisChanged, this, [this](LossView::XAxis axis) {
        const QSignalBlocker blocker(m_lossAxis);
        m_lossAxis->setCurrentIndex(int(axis));
    });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *logAxis = action(tr("&Logarithmic loss axis"), tr("Plot the loss on a logarithmic scale."), {QKeySequence(Qt::Key_L)},
                              [this](bool on) { m_loss->setLogarithmic(on); });
    logAxis->setCheckable(true);
    logAxis->setChecked(m_loss->isLogarithmic());
    connect(m_loss, &LossView::logarithmicChanged, logAxis, &QAction::setChecked);
    QAction *batchLoss = action(tr("Show &batch loss"), tr("Show faintly the noisy loss of each batch under the full loss."), {},
                                [this](bool on) { m_loss->setBatchLossVisible(on); });
    batchLoss->setCheckable(true);
    batchLoss->setChecked(true);
    connect(m_loss, &LossView::batchLossVisibilityChanged, batchLoss, &QAction::setChecked); // switched from the legend
    m_aboveMinimum = action(tr("Loss above the &minimum (f \u2212 f*)"),
                            tr("Plot f - f*, where the least value f* is known: on the log axis, linear convergence is a straight line."), {},
                            [this](bool on) { m_loss->setAboveMinimum(on); });
    m_aboveMinimum->setCheckable(true);
    QAction *arrows = action(tr("Show step &arrows"),
                             tr("At the selected run's point, when paused: its next update, the plain step −lr·g and what the rule adds, to scale (G)."),
                             {QKeySequence(Qt::Key_G)}, [this](bool on) { m_surface->setArrowsVisible(on); });
    arrows->setCheckable(true);
    arrows->setChecked(true);
    m_surface->setArrowsVisible(true);
    QAction *bigger = action(tr("&Larger text"), tr("Larger text, for a projector (Ctrl++)."), {QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)},
                             [this] { changeFontSize(+1); });
    QAction *smaller = action(tr("&Smaller text"), tr("Smaller text (Ctrl+-)."), {QKeySequence::ZoomOut}, [this] { changeFontSize(-1); });
    QAction *home = action(tr("&Reset view"), tr("Show the surface's whole default window again (Home, or double-click the surface)."),
                           {QKeySequence(Qt::Key_Home)}, [this] { m_surface->resetView(); });
    QAction *presentation = action(tr("&Presentation mode"), tr("Plots and text large for the back row, the controls hidden (F5; Escape leaves)."),
                                   {QKeySequence(Qt::Key_F5)}, [this] { setPresentationMode(!m_presenting); });
    m_leavePresentation = action(tr("Leave presentation mode"), tr("Back to the window with its controls (Escape)."),
                                 {QKeySequence(Qt::Key_Escape)}, [this] { setPresentationMode(false); });
    m_leavePresentation->setEnabled(false); // Escape is the fields' own key otherwise
    QAction *keys = action(tr("&Keys…"), tr("Every key of the window (F1 or ?)."), {QKeySequence(Qt::Key_F1), QKeySequence(Qt::Key_Question)},
                           [this] { showKeys(); });
    QAction *fullScreen = action(tr("&Full screen"), tr("Fill the screen (F11)."), {QKeySequence(Qt::Key_F11)},
                                 [this] { isFullScreen() ? showNormal() : showFullScreen(); });
    for (QAction *a : {logAxis, m_aboveMinimum, batchLoss, arrows, home})
        view->addAction(a);
    view->addSeparator();
    QAction *inspector = m_inspectorDock->toggleViewAction();
    inspector->setText(tr("Step &inspector"));
    inspector->setStatusTip(tr("Show why the selected run's next update goes where it goes: the rule, its numbers, the state."));
    connect(inspector, &QAction::triggered, this, [this](bool on) {
        if (on)
            m_inspectorDock->raise(); // its tab to the front
    });
    view->addAction(inspector);
    view->addSeparator();
    for (QAction *a : {bigger, smaller, presentation, fullScreen})
        view->addAction(a);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(keys);
    transport->addSeparator();
    transport->addAction(arrows);
}

void MainWindow::connectEngine()
{
    connect(&m_engine, &DescentEngine::scenarioLoaded, this, &MainWindow::onScenarioLoaded);
    // The step arrows are for a run that stands still: while playing, an answer is out of date on arrival.
    connect(&m_engine, &DescentEngine::updateExplained, this, [this](RunId id, const UpdateExplanation &explanation) {
        if (m_engine.isPlaying())
            return;
        m_surface->setNextUpdate(id, explanation);
        // The samples the selected run's next update will use, ringed in its colour (a stochastic or mini-batch run).
        const bool partial = explanation.valid && explanation.batch.size() < explanation.sampleCount;
        if (id == m_runs->selectedRun())
            m_data->setBatch(partial ? explanation.batch : std::vector<SampleIndex>{}, m_colors.value(id));
    });
    connect(&m_engine, &DescentEngine::runStarted, this, &MainWindow::onRunStarted);
    connect(&m_engine, &DescentEngine::stepsTaken, this, &MainWindow::onStepsTaken);
    connect(&m_engine, &DescentEngine::updateExplained, m_inspector, &StepInspector::showExplanation);
    // While playing the inspector follows at a rate one can read, not at every batch of records.
    m_inspectorTimer = new QTimer(this);
    m_inspectorTimer->setInterval(250);
    connect(m_inspectorTimer, &QTimer::timeout, this, &MainWindow::explainSelectedRun);
    connect(&m_engine, &DescentEngine::runFinished, this, [this](RunId id, RunStatus, const QString &) {
        if (m_engine.hasRun(id))
            refreshRunStatus(id);
        if (id == m_runs->selectedRun()) {
            updateStableLimit(); // where the run ended
            explainSelectedRun();
        }
        if (allRunsEnded())
            emit allRunsFinished();
    });
    connect(&m_engine, &DescentEngine::runRemoved, this, [this](RunId id) {
        m_surface->removeRun(id);
        m_loss->removeRun(id);
        m_data->removeRun(id);
        m_runs->removeRun(id);
        m_colors.remove(id);
    });
    connect(&m_engine, &DescentEngine::playingChanged, this, [this](bool playing) {
        if (playing)
            m_data->setBatch({}, {}); // the batch of a paused moment
        m_playAction->setText(playing ? tr("Pause") : tr("Play"));
        m_playAction->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
        if (playing) {
            m_inspectorTimer->start();
        } else {
            m_inspectorTimer->stop();
            explainSelectedRun(); // where it paused
        }
    });
    connect(&m_engine, &DescentEngine::errorOccurred, this, &MainWindow::showBanner);
    connect(&m_engine, &DescentEngine::runRevived, this, [this](RunId id, RunRevival, const QString &message) {
        if (!m_engine.hasRun(id))
            return;
        showNotice(QStringLiteral("%1: %2").arg(QString::fromStdString(m_engine.runSettings(id).name), message));
        refreshRunStatus(id);
        if (id == m_runs->selectedRun())
            explainSelectedRun();
    });
}

void MainWindow::showBanner(const QString &message)
{
    m_bannerBox->setStyleSheet(QStringLiteral("QWidget { background: #FDECEA; color: #8A1C1C; } QLabel { padding: 6px; }"));
    m_bannerIsError = true;
    m_bannerAction->hide();
    m_bannerCallback = {};
    m_banner->setText(message);
    m_bannerBox->setVisible(!message.isEmpty());
}

void MainWindow::standardizeData()
{
    if (!m_engine.hasScenario() || !m_engine.scenario().objectiveSpec.isData())
        return;
    ObjectiveSpec spec = m_engine.scenario().objectiveSpec;
    spec.standardizeX = true;
    const QScopedValueRollback changing(m_changingScaling, true);
    onObjectiveRequested(spec);
}

void MainWindow::showNotice(const QString &message, const QString &actionText, std::function<void()> action)
{
    m_bannerAction->setText(actionText);
    m_bannerAction->setVisible(!actionText.isEmpty());
    m_bannerCallback = std::move(action);
    m_bannerBox->setStyleSheet(QStringLiteral("QWidget { background: #E8F1FB; color: #0B3D6B; } QLabel { padding: 6px; }"));
    m_bannerIsError = false;
    m_banner->setText(message);
    m_bannerBox->setVisible(!message.isEmpty());
}

QString MainWindow::defaultsNotice(const Scenario &scenario) const
{
    // Which rates were applied, once per optimizer: "SGD 0.0005, Adam 0.1".
    QStringList rates;
    QSet<int> seen;
    for (const RunSettings &run : scenario.runs)
        if (!seen.contains(int(run.optimizer.kind))) {
            seen.insert(int(run.optimizer.kind));
            rates << QStringLiteral("%1 %2").arg(QString::fromStdString(optimizerInfo(run.optimizer.kind).title),
                                                 QString::number(run.optimizer.lr, 'g', 4));
        }
    const Vec2 start = scenario.runs.empty() ? Vec2::Zero() : scenario.runs.front().start;
    return tr("New objective: every run starts at its default start (%1, %2) with the learning rate recommended for its "
              "optimizer (%3). Ctrl+Z undoes.")
        .arg(QString::number(start[0], 'g', 4), QString::number(start[1], 'g', 4), rates.join(QStringLiteral(", ")));
}

QString MainWindow::bannerText() const
{
    return m_bannerBox->isHidden() || !m_bannerIsError ? QString() : m_banner->text();
}

QString MainWindow::noticeText() const
{
    return m_bannerBox->isHidden() || m_bannerIsError ? QString() : m_banner->text();
}

void MainWindow::onScenarioLoaded()
{
    showBanner(std::exchange(m_errorWhenLoaded, QString())); // whatever it said was about the scenario before
    if (!m_noticeWhenLoaded.isEmpty())
        showNotice(std::exchange(m_noticeWhenLoaded, QString()));
    if (const auto &data = m_engine.scenario().data; data && wouldBenefitFromStandardizing(*data)) {
        // Feature scaling, offered where it matters: x far from mean 0, sd 1 makes the surface a narrow valley.
        const auto [low, high] = std::minmax_element(data->x.begin(), data->x.end());
        showNotice(tr("x runs from %1 to %2: the loss surface is a long narrow valley, and gradient descent needs a tiny "
                      "learning rate. Standardizing x (mean 0, sd 1) makes it round; the lines stay drawn in the file's units.")
                       .arg(QString::number(*low, 'g', 4), QString::number(*high, 'g', 4)),
                   tr("Standardize x"), [this] { standardizeData(); });
    }
    const Scenario &scenario = m_engine.scenario();
    const auto [xName, yName] = scenario.objective->parameterNames();
    m_surface->clearRuns();
    m_loss->clearRuns();
    m_data->clearRuns();
    m_runs->clear();
    m_colors.clear();
    m_colorsUsed = 0;
    m_surface->setObjective(scenario.objective, scenario.viewWindow(), QString::fromStdString(xName), QString::fromStdString(yName));
    m_loss->setSampleCount(scenario.objective->sampleCount());
    std::optional<double> fStar; // the least known minimum, the global one
    for (const KnownMinimum &minimum : scenario.objective->knownMinima())
        fStar = fStar ? std::min(*fStar, minimum.value) : minimum.value;
    m_loss->setMinimumValue(fStar);
    m_aboveMinimum->setEnabled(fStar.has_value());
    // Data lessons compare batch sizes: the loss against the race's clock (samples seen, or updates); analytic
    // objectives only have updates.
    m_loss->setXAxis(scenario.objective->sampleCount() > 0 && scenario.raceBy == RaceClock::Samples ? LossView::XAxis::Samples
                     : scenario.objective->sampleCount() > 0                                       ? LossView::XAxis::Epochs
                                                                                                    : LossView::XAxis::Updates);
    onRaceClockChanged(scenario.raceBy);
    m_data->setData(scenario.data, scenario.objectiveSpec.isLogistic());
    m_dataBox->setVisible(scenario.data != nullptr);
    if (scenario.data)
        m_data->plot()->replot(QCustomPlot::rpQueuedReplot);
    m_objectivePanel->setObjective(scenario.objectiveSpec, scenario.stop);
    m_objectivePanel->setSampleCount(scenario.data ? scenario.data->size() : 0);
    m_editor->setDataObjective(scenario.objectiveSpec.isData(), scenario.objective->sampleCount());
    m_editor->clearRun();
}

void MainWindow::onRunStarted(RunId id)
{
    const RunSettings &settings = m_engine.runSettings(id);
    const QString name = QString::fromStdString(settings.name);
    const bool data = m_engine.scenario().objectiveSpec.isData();
    if (!m_colors.contains(id)) {
        const QColor color = runColor(m_colorsUsed++);
        m_colors.insert(id, color);
        m_surface->addRun(id, name, color);
        m_surface->setRunMarker(id, runMarker(m_colorsUsed - 1));
        m_loss->addRun(id, name, color);
        m_data->addRun(id, name, color);
        m_runs->addRun(id, settings, color, data);
    } else {
        m_runs->setSettings(id, settings, data);
        m_loss->setRunName(id, name);
    }
    const StepRecord &start = m_engine.trajectory(id).last();
    m_surface->restartPath(id, start);
    m_loss->restartCurve(id, start);
    m_data->setModel(id, start.theta);
    refreshRunStatus(id);
    if (id == m_runs->selectedRun())
        explainSelectedRun(); // a new start: the first update
    if (m_runs->selectedRun() < 0 || m_selectWhenStarted == id) {
        m_selectWhenStarted = -1;
        m_runs->selectRun(id);
    }
    else if (m_runs->selectedRun() == id) {
        m_editor->setRun(id, settings);
        explainSelectedRun(); // restarted: its first update again
    }
}

void MainWindow::onStepsTaken(const QList<RunSteps> &steps)
{
    for (const RunSteps &batch : steps) {
        if (!m_engine.hasRun(batch.id) || batch.steps.isEmpty())
            continue;
        m_surface->appendSteps(batch.id, batch.steps);
        m_loss->appendSteps(batch.id, batch.steps);
        m_data->setModel(batch.id, batch.steps.back().theta);
        refreshRunStatus(batch.id);
        if (batch.id == m_runs->selectedRun() && !m_engine.isPlaying())
            explainSelectedRun(); // a single step (N, E)
    }
}

void MainWindow::applyRunSettings(RunId id, const RunSettings &settings)
{
    if (!m_engine.hasRun(id))
        return; // removed since
    m_engine.changeRun(id, settings); // a new start point (batch, shuffle, seed) restarts the run there
    if (m_engine.runSettings(id) != settings)
        return; // refused (a duplicate name): the engine said why
    m_runs->setSettings(id, settings, m_engine.scenario().objectiveSpec.isData());
    m_loss->setRunName(id, QString::fromStdString(settings.name));
    if (!m_editingInEditor && m_runs->selectedRun() == id)
        m_editor->setRun(id, settings);
    refreshRunStatus(id);
    if (m_runs->selectedRun() == id) {
        updateStableLimit(); // momentum or weight decay move it
        explainSelectedRun(); // the next update with the new settings
    }
    markModified();
}

void MainWindow::refreshRunStatus(RunId id)
{
    if (id == m_runs->selectedRun() && (!m_stableLimitClock.isValid() || m_stableLimitClock.elapsed() > 200)) {
        m_stableLimitClock.start();
        updateStableLimit();
    }
    if (!m_engine.hasRun(id))
        return;
    const StepRecord &last = m_engine.trajectory(id).last();
    const double nextLr = m_engine.nextLearningRate(id);
    m_runs->setStatus(id, last, m_engine.runStatus(id), m_engine.statusReason(id), nextLr, runWarning(id));
}

QString MainWindow::runWarning(RunId id) const
{
    // A run whose loss keeps climbing is flagged before any stop rule ends it (core/LossTrend.h's rule).
    const auto records = m_engine.trajectory(id).records();
    const std::size_t n = std::min(records.size(), lossTrendMaxWindow + 1);
    const LossTrend trend = lossTrend(records.last(n));
    return trend.rising ? QString::fromStdString(trend.warning) : QString();
}

void MainWindow::updateStableLimit()
{
    // The selected run's largest stable rate at its current point, on the lr slider: when the selection, the
    // settings or the point change, at most a few times a second (one pass over the data for logistic
    // regression), never per frame.
    const RunId id = m_runs->selectedRun();
    if (id < 0 || !m_engine.hasRun(id) || !m_engine.hasScenario()) {
        m_editor->setStableLimit(std::nullopt, true);
        return;
    }
    const RunSettings &settings = m_engine.runSettings(id);
    const StepRecord &last = m_engine.trajectory(id).last();
    const Vec2 at = last.theta.allFinite() ? last.theta : settings.start;
    const bool data = m_engine.scenario().objective->sampleCount() > 0;
    m_editor->setStableLimit(stableLearningRate(*m_engine.scenario().objective, at, settings.optimizer),
                             !data || settings.batchSize == fullBatch);
}

QString MainWindow::describeRecord(RunId id, long step, bool settingsMarker) const
{
    if (!m_engine.hasRun(id))
        return {};
    const auto records = m_engine.trajectory(id).records();
    // The record of that step (or the nearest kept one: the engine thins very long runs).
    const auto it = std::lower_bound(records.begin(), records.end(), step, [](const StepRecord &r, long s) { return r.step < s; });
    if (it == records.end())
        return {};
    const StepRecord &r = *it;
    const bool data = m_engine.scenario().objectiveSpec.isData();
    const auto [xName, yName] = m_engine.scenario().objective->parameterNames();
    QString text = QStringLiteral("<b>%1</b><br>").arg(QString::fromStdString(m_engine.runSettings(id).name).toHtmlEscaped());
    text += tr("update %1").arg(r.step);
    if (data)
        text += tr(", epoch %1").arg(r.epoch, 0, 'f', 2);
    text += QStringLiteral("<br>(%1, %2) = (%3, %4)<br>")
                .arg(QString::fromStdString(xName), QString::fromStdString(yName), QString::number(r.theta[0], 'g', 6),
                     QString::number(r.theta[1], 'g', 6));
    text += tr("loss %1<br>lr %2").arg(QString::number(r.loss, 'g', 6), QString::number(r.lr, 'g', 4));
    if (settingsMarker && it != records.begin()) {
        const StepRecord &before = *(it - 1);
        text += QStringLiteral("<br><b>%1</b>").arg(before.lr != r.lr ? tr("changed: lr %1 \u2192 %2").arg(QString::number(before.lr, 'g', 4), QString::number(r.lr, 'g', 4))
                                                                       : tr("changed: the run's settings (lr %1 kept)").arg(QString::number(r.lr, 'g', 4)));
    }
    return text;
}

void MainWindow::onSelectedRunChanged(RunId id)
{
    m_surface->setSelectedRun(id);
    if (id >= 0 && m_engine.hasRun(id))
        m_editor->setRun(id, m_engine.runSettings(id));
    else
        m_editor->clearRun();
    updateStableLimit();
    explainSelectedRun();
}

void MainWindow::explainSelectedRun()
{
    const RunId id = m_runs->selectedRun();
    if (id < 0 || !m_engine.hasRun(id) || !m_engine.hasScenario()) {
        m_inspector->setRun(-1, {}, {}, {});
        return;
    }
    const auto [xName, yName] = m_engine.scenario().objective->parameterNames();
    m_inspector->setRun(id, QString::fromStdString(m_engine.runSettings(id).name), QString::fromStdString(xName), QString::fromStdString(yName));
    // Asked for by the inspector while on screen, and by the step arrows whenever the run stands still; once per
    // turn of the event loop (a single step, a selection and an edit together ask once).
    if (m_explainQueued || !(m_inspector->isVisible() || !m_engine.isPlaying()))
        return;
    m_explainQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_explainQueued = false;
        const RunId selected = m_runs->selectedRun();
        if (selected >= 0 && m_engine.hasRun(selected) && (m_inspector->isVisible() || !m_engine.isPlaying()))
            m_engine.requestUpdateExplanation(selected); // answered by updateExplained, off the GUI thread
    });
}

void MainWindow::onObjectiveRequested(const ObjectiveSpec &spec)
{
    // Build the objective (generate or read the data) off the GUI thread; the runs keep their settings,
    // with start points moved inside the new view when they fall outside it.
    Scenario next = currentScenario();
    next.objectiveSpec = spec;
    const ObjectiveSpec &now = m_engine.scenario().objectiveSpec;
    if (spec.isData() && spec.kind == now.kind && spec.csvPath.empty() && !m_changingScaling)
        next.objectiveSpec.standardizeX = now.standardizeX; // new samples of the generator keep their scaling
    next.view.reset();
    next.data.reset(); // a data objective loads or generates its own; a named function or formula has none
    m_requestedObjectiveKind = spec.kind;
    const std::string baseDir = m_scenarioDir.toStdString();
    // Another function (or a formula, or data, where there was none) is a new lesson for the runs; new data or
    // a retyped formula of the same kind keeps the rates the class is watching.
    // Standardizing x is a new surface too (its curvature changes by orders of magnitude): the rates follow.
    const bool switched = m_engine.hasScenario()
                          && (spec.kind != now.kind || next.objectiveSpec.standardizeX != now.standardizeX);
    m_objectiveGeneration = ++m_loadGeneration;
    // Data read from a file may never come (a stalled drive): such a build goes to the files pool, which nothing
    // waits for; the others are computations, on a pool of their own.
    m_objectiveBuildReadsFile = spec.isData() && !spec.csvPath.empty();
    QThreadPool &pool = m_objectiveBuildReadsFile ? workerPools::filesWithRoom() : workerPools::objectives();
    m_objectiveBuilder.setFuture(QtConcurrent::run(&pool, [next, baseDir, switched]() mutable {
        ScenarioLoadResult result;
        next.objective = buildObjective(next.objectiveSpec, baseDir, &next.data, &result.error);
        if (!next.objective)
            return result;
        if (!next.objectiveSpec.isData() && next.stop.maxEpochs > 0) {
            // Epochs end no run of an analytic objective: if they were the only limit, the default
            // max_steps takes over. A "no limit" the user chose (max_steps 0, no epochs) stays.
            next.stop.maxEpochs = 0;
            if (next.stop.maxSteps == 0)
                next.stop.maxSteps = StopRules{}.maxSteps;
        }
        if (switched) {
            // A rate that suits one objective can diverge at once on another (the lesson's 0.02 on Rosenbrock): a new
            // function gives every run its default start and the recommended rate for its optimizer (undoable).
            for (RunSettings &run : next.runs) {
                run.start = defaultStart(*next.objective);
                run.optimizer.lr = recommendedLearningRate(*next.objective, run.optimizer.kind);
            }
        }
        for (RunSettings &run : next.runs)
            run.start = startInside(next.objective->defaultView(), run.start);
        // The reader's rule: a formula that is finite nowhere in the view or at any start is refused.
        if (std::string problem = checkFiniteSomewhere(next); !problem.empty()) {
            result.error = std::move(problem);
            return result;
        }
        result.scenario = std::move(next);
        return result;
    }));
}

void MainWindow::addRun(std::optional<RunId> copyOf)
{
    if (!m_engine.hasScenario())
        return;
    // Names are unique within a scenario.
    auto taken = [this](const std::string &name) {
        const std::vector<RunId> ids = m_engine.runIds();
        return std::any_of(ids.begin(), ids.end(), [&](RunId id) { return m_engine.runSettings(id).name == name; });
    };
    // A name with a suffix, the name cut to keep the whole within what a scenario file may hold (80 characters).
    auto withSuffix = [](const std::string &name, const std::string &suffix) {
        QList<uint> characters = QString::fromStdString(name).toUcs4();
        const qsizetype room = qsizetype(maxRunNameCharacters) - QString::fromStdString(suffix).toUcs4().size();
        if (characters.size() > room)
            characters.resize(std::max<qsizetype>(room, 0));
        return QString::fromUcs4(reinterpret_cast<const char32_t *>(characters.constData()), characters.size()).trimmed().toStdString() + suffix;
    };
    RunSettings settings;
    if (copyOf && m_engine.hasRun(*copyOf)) {
        settings = m_engine.runSettings(*copyOf);
        settings.name = withSuffix(settings.name, " (copy)");
    } else {
        // Like the selected run (its start and optimizer) with a name of its own: "Run 4".
        if (const RunId selected = m_runs->selectedRun(); selected >= 0 && m_engine.hasRun(selected)) {
            const RunSettings &like = m_engine.runSettings(selected);
            settings.start = like.start;
            settings.optimizer = like.optimizer;
            settings.batchSize = like.batchSize;
        } else {
            const ViewWindow w = m_surface->viewWindow();
            settings.start = startInside(w, Vec2(w.xMax + 1, w.yMax + 1));
        }
        settings.schedule = {};
        settings.optimizer.lr = recommendedLearningRate(*m_engine.scenario().objective, settings.optimizer.kind);
        std::size_t n = m_engine.runIds().size() + 1; // "Run 4", or the next number that is free
        do
            settings.name = "Run " + std::to_string(n++);
        while (taken(settings.name));
    }
    // A copy's name: add a number until it is free.
    const std::string base = settings.name;
    for (int n = 2; taken(settings.name); ++n)
        settings.name = withSuffix(base, " " + std::to_string(n));
    if (const RunId id = m_engine.addRun(settings); id >= 0) {
        m_selectWhenStarted = id; // selected once the engine reports it
        markModified();
    }
}

void MainWindow::recolorRun(RunId id)
{
    if (!m_colors.contains(id))
        return;
    const QColor color = QColorDialog::getColor(m_colors.value(id), this, tr("Colour of the run"));
    if (!color.isValid())
        return;
    m_colors[id] = color;
    m_surface->setRunColor(id, color);
    m_loss->setRunColor(id, color);
    m_data->setRunColor(id, color);
    m_runs->setColor(id, color);
}

void MainWindow::setRunVisible(RunId id, bool visible)
{
    m_surface->setRunVisible(id, visible);
    m_loss->setRunVisible(id, visible);
    m_data->setRunVisible(id, visible);
}

void MainWindow::setSpeedFromSlider(int value)
{
    const double speed = speedForSlider(value);
    const bool samples = m_engine.raceClock() == RaceClock::Samples;
    m_speedByClock[samples ? 1 : 0] = speed;
    m_engine.setSpeed(speed);
    const QString number = QStringLiteral("%L1").arg(speed, 0, 'f', speed < 10 ? 1 : 0);
    m_speedLabel->setText(speed <= 0 ? tr("as fast as possible") : samples ? tr("%1 samples/s").arg(number) : tr("%1 updates/s").arg(number));
}

void MainWindow::setSpeed(double unitsPerSecond)
{
    const bool fastest = !(unitsPerSecond > 0) || !std::isfinite(unitsPerSecond);
    const int value = fastest ? speedSliderMax : std::clamp(sliderForSpeed(unitsPerSecond), 0, speedSliderTicks);
    if (m_speedSlider->value() != value)
        m_speedSlider->setValue(value); // setSpeedFromSlider() follows
    else
        setSpeedFromSlider(value);
}

void MainWindow::playWhenLoaded()
{
    connect(&m_engine, &DescentEngine::scenarioLoaded, this, [this] {
        setSpeed(asFastAsPossible); // after onScenarioLoaded(), which set the clock's own speed
        m_engine.play();
    }, Qt::SingleShotConnection);
}

void MainWindow::onRaceClockChanged(RaceClock clock)
{
    const bool samples = clock == RaceClock::Samples;
    {
        const QSignalBlocker blocker(m_raceClock);
        m_raceClock->setCurrentIndex(samples ? 1 : 0);
    }
    // Each clock keeps its own speed (samples come a batch at a time: 200 samples/s shows batch GD's first
    // updates within seconds), and the loss curves follow the clock.
    m_speedSlider->setValue(sliderForSpeed(m_speedByClock[samples ? 1 : 0]));
    setSpeedFromSlider(m_speedSlider->value());
    if (m_engine.hasScenario() && m_engine.scenario().objective->sampleCount() > 0)
        m_loss->setXAxis(samples ? LossView::XAxis::Samples : LossView::XAxis::Updates);
}

void MainWindow::changeFontSize(int delta)
{
    QFont f = font();
    f.setPointSize(std::clamp(f.pointSize() + delta, 7, 32));
    setFont(f);
    QTimer::singleShot(0, this, [this] { widenControls(); }); // once the panel's layout has taken the new font
    if (!m_presenting) // the presentation's own size is not the user's choice
        QSettings().setValue(QStringLiteral("window/fontSize"), f.pointSize());
}

void MainWindow::showKeys()
{
    if (!m_keysOverlay)
        m_keysOverlay = new KeysOverlay(centralWidget());
    m_keysOverlay->popUp();
}

void MainWindow::widenControls()
{
    // The controls' width grows with the text, so "Linear regression" and "Full (batch GD)" stay whole.
    if (!m_controlsDock)
        return;
    auto *scroll = qobject_cast<QScrollArea *>(m_controlsDock->widget());
    QWidget *content = scroll ? scroll->widget() : m_controlsDock->widget();
    // The larger of the two hints: a panel's least width can exceed its preferred one (a row's fixed parts at
    // large text).
    const int around = scroll ? 2 * scroll->frameWidth() + scroll->verticalScrollBar()->sizeHint().width() : 0;
    keepControlsWhole();
    const int width = std::max(content->sizeHint().width(), content->minimumSizeHint().width()) + around + 8;
    resizeDocks({m_controlsDock}, {std::min(width, this->width() / 2)}, Qt::Horizontal);
}

void MainWindow::keepControlsWhole()
{
    // The scroll area (and so the dock) is never narrower than the panel's least width with the vertical bar
    // (counted even when not shown yet).
    auto *scroll = m_controlsDock ? qobject_cast<QScrollArea *>(m_controlsDock->widget()) : nullptr;
    if (!scroll || !scroll->widget())
        return;
    const int needed = scroll->widget()->minimumSizeHint().width() + 2 * scroll->frameWidth()
                       + scroll->verticalScrollBar()->sizeHint().width();
    if (scroll->minimumWidth() != needed)
        scroll->setMinimumWidth(needed);
}

void MainWindow::setPresentationMode(bool on)
{
    if (on == m_presenting)
        return;
    m_presenting = on;
    m_leavePresentation->setEnabled(on);
    if (on) {
        m_normalFontSize = font().pointSize();
        m_wasFullScreen = isFullScreen();
        m_controlsDock->hide();
        m_inspectorWasOpen = !m_inspectorDock->isHidden(); // a tab, in front or not
        m_inspectorWasInFront = m_inspectorDock->isVisible();
        m_inspectorDock->hide();
        statusBar()->hide(); // the key hints are for the one at the keyboard
        QFont f = font();
        f.setPointSize(std::max(f.pointSize() + 4, 14));
        setFont(f);
        showFullScreen();
    } else {
        QFont f = font();
        f.setPointSize(m_normalFontSize);
        setFont(f);
        m_controlsDock->show();
        if (m_inspectorWasOpen)
            m_inspectorDock->show();
        (m_inspectorWasInFront ? m_inspectorDock : m_controlsDock)->raise();
        statusBar()->show();
        if (!m_wasFullScreen)
            showNormal();
        widenControls();
    }
    m_surface->setFocus(Qt::OtherFocusReason);
}

void MainWindow::fitToScreen()
{
    // Sized to the screen the window is on: restored geometry clamped to it, else the default size where it fits.
    const QScreen *screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    if (!screen)
        return;
    const QRect available = screen->availableGeometry();
    QRect g = m_restoredGeometry ? geometry() : QRect(QPoint(), QSize(1600, 1000));
    g.setSize(g.size().boundedTo(available.size()));
    if (!m_restoredGeometry || !available.contains(g))
        g.moveCenter(available.center());
    g.moveLeft(std::clamp(g.left(), available.left(), available.right() - g.width() + 1));
    g.moveTop(std::clamp(g.top(), available.top(), available.bottom() - g.height() + 1));
    setGeometry(g);
    widenControls();
}

Scenario MainWindow::currentScenario() const
{
    Scenario scenario = m_engine.scenario();
    scenario.runs.clear();
    for (RunId id : m_engine.runIds())
        scenario.runs.push_back(m_engine.runSettings(id));
    if (m_engine.hasScenario())
        scenario.view = m_surface->viewWindow();
    return scenario;
}

bool MainWindow::allRunsEnded() const
{
    for (RunId id : m_engine.runIds())
        if (m_engine.runStatus(id) == RunStatus::Running)
            return false;
    return m_engine.hasScenario();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSaveChanges()) {
        event->ignore();
        return;
    }
    QSettings settings;
    setPresentationMode(false); // the layout to remember is the one with the controls
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    m_engine.pause();
    QMainWindow::closeEvent(event);
}

} // namespace gdviz
