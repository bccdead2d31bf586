#pragma once
// The window a teacher puts on the projector: the cost surface with the racing paths, the loss curves,
// the data and each run's model, the run list with a live status line per run, and the controls. It
// only sends commands to the DescentEngine and draws what the engine's signals report.

#include "DescentEngine.h"
#include "TrajectoryExport.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QUndoStack>

#include <functional>
#include <optional>

class QAction;
class QComboBox;
class QPushButton;
class QDockWidget;
class QCustomPlot;
class QLabel;
class QMenu;
class QSlider;
class QTimer;
class QToolButton;

namespace gdviz {

class DataView;
class LossView;
class ObjectivePanel;
class RunEditor;
class RunTable;
class StepInspector;
class SurfaceView;

/// What a background read of a scenario file or a build of an objective gives back to the GUI thread.
struct ScenarioLoadResult {
    std::optional<Scenario> scenario;
    std::string error;
};

/// How the window reads a scenario file, off the GUI thread: readScenario() unless a test gives another reader
/// (one that never ends, to check that the window does not wait for it).
using ScenarioFileReader = std::function<ScenarioLoadResult(const QString &path)>;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// The lesson shipped in the program (linear regression; batch, stochastic and mini-batch GD).
    /// With unsaved changes it first asks (Save / Discard / Cancel); false when the user cancelled.
    bool openDefaultLesson();
    /// Reads the file off the GUI thread, on workerPools::files(); on bad input shows the message and keeps the
    /// current scenario. With unsaved changes it first asks (Save / Discard / Cancel); false when the user
    /// cancelled. The window never waits for a read: one that never ends (a FIFO, a stalled network drive) holds
    /// only its own thread, a newer open or the lesson replaces it, and closing the window leaves it behind.
    bool openScenarioFile(const QString &path);
    /// The reader openScenarioFile() uses from now on; an empty one restores readScenario().
    void setScenarioFileReader(ScenarioFileReader reader);
    /// Writes atomically (QSaveFile): on failure the old file is left as it was and error says why.
    bool saveScenarioTo(const QString &path, QString *error);
    /// PNG, SVG or PDF by the file's suffix.
    static bool exportPlot(QCustomPlot *plot, const QString &path, QString *error);
    /// Starts writing every run's recorded trajectory to path, in the headless command line's CSV columns, off the
    /// GUI thread (TrajectoryExport.h), with a progress window that can cancel it (shown when it lasts over half a
    /// second). Returns the export, which the window keeps until the next one starts, or null (and says why in the
    /// banner) while another export is still being written.
    TrajectoryExport *exportTrajectories(const QString &path, TrajectoryExport::Options options = {});
    /// Plays every run to its stop as fast as possible (when play is true), waits for the fine surface,
    /// saves a picture of the whole window to path and quits the application with 0 (2 on failure).
    void screenshotWhenDone(const QString &path, bool play);
    /// Sets the speed control (and so the engine) to unitsPerSecond in the race clock's unit, or to "as fast as
    /// possible" for asFastAsPossible: the control always shows the speed that runs.
    void setSpeed(double unitsPerSecond);
    /// --play: once the scenario is loaded, every run plays as fast as possible, and the speed control says so.
    void playWhenLoaded();
    /// Sizes the window to its screen's available geometry: the remembered geometry clamped to it, or the
    /// default size where it fits (a 1024x768 projector gets the whole screen).
    void fitToScreen();
    /// F5: the controls hidden, plots and text large for the back row, full screen; Escape leaves.
    void setPresentationMode(bool on);
    bool isPresenting() const { return m_presenting; }

    DescentEngine &engine() { return m_engine; }
    SurfaceView *surfaceView() const { return m_surface; }
    LossView *lossView() const { return m_loss; }
    DataView *dataView() const { return m_data; }
    RunTable *runTable() const { return m_runs; }
    RunEditor *runEditor() const { return m_editor; }
    ObjectivePanel *objectivePanel() const { return m_objectivePanel; }
    StepInspector *stepInspector() const { return m_inspector; }
    QDockWidget *stepInspectorDock() const { return m_inspectorDock; }
    QString currentFile() const { return m_currentFile; }
    /// The error shown in the banner above the plots (in red); empty when none.
    QString bannerText() const;
    /// The information shown in the banner (what an edit did, in blue); empty when none.
    QString noticeText() const;
    /// The scenario as it stands: the engine's objective and stop rules, every run's current settings,
    /// the view window on screen.
    Scenario currentScenario() const;
    bool allRunsEnded() const;
    /// Asks whether to save unsaved changes (runs, objective, data, stop rules edited since the last load
    /// or save): true when the caller may go on (saved, discarded, or nothing to save), false on Cancel
    /// or when the save failed (its message shown in the banner).
    bool maybeSaveChanges();

signals:
    /// A scenario file was read and loaded (the engine holds its scenario; its runs are announced after), or
    /// rejected (ok false, message shown).
    void scenarioFileOpened(bool ok);
    void allRunsFinished();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildViews();
    void buildControls();
    void buildActions();
    void connectEngine();
    void showBanner(const QString &message); // an error, in red; empty hides the banner
    /// Information (what an edit did, an offer), in blue; with actionText, a button that calls action.
    void showNotice(const QString &message, const QString &actionText = {}, std::function<void()> action = {});
    /// Feature scaling: the data's x standardized (mean 0, sd 1), the runs given the rates that then suit.
    void standardizeData();
    QString defaultsNotice(const Scenario &scenario) const;
    void onScenarioLoaded();
    void onRunStarted(RunId id);
    void onStepsTaken(const QList<RunSteps> &steps);
    void onSelectedRunChanged(RunId id);
    /// Asks the engine to explain the selected run's next update: for the step inspector (while on screen) and the
    /// step arrows (while the run stands still).
    void explainSelectedRun();
    /// The run's row in the table: its latest record, the rate its next update will use, its status.
    void refreshRunStatus(RunId id);
    /// The selected run's largest stable learning rate at its point, marked on the lr slider.
    void updateStableLimit();
    /// Gives the run these settings (an edit, or its undo or redo): the engine, the table and the editor.
    void applyRunSettings(RunId id, const RunSettings &settings);
    /// Said in the run's status while it goes on, e.g. "loss rising"; empty when nothing is wrong.
    QString runWarning(RunId id) const;
    /// What hover shows for a run's record (the loss view's and the surface's).
    QString describeRecord(RunId id, long step, bool settingsMarker) const;
    void onObjectiveRequested(const ObjectiveSpec &spec);
    void addRun(std::optional<RunId> copyOf);
    void recolorRun(RunId id);
    void setRunVisible(RunId id, bool visible);
    void setSpeedFromSlider(int value);
    void onRaceClockChanged(RaceClock clock);
    void changeFontSize(int delta);
    /// The controls dock as wide as its contents at the current text size (up to half the window).
    void widenControls();
    void keepControlsWhole();
    /// Every key, in an overlay over the plots (F1 or ?).
    void showKeys();
    void openFileDialog();
    void readScenarioFile(const QString &path);
    /// Saves to the current file, or asks for one when there is none; false when not saved.
    bool save();
    bool saveFileDialog();
    /// The user edited the scenario: the title shows "*" until it is saved or another is loaded.
    void markModified();
    void exportDialog(QCustomPlot *plot, const QString &what);
    void exportTrajectoriesDialog();
    void addRecentFile(const QString &path);
    void rebuildRecentMenu();
    void updateTitle();

    DescentEngine m_engine;
    SurfaceView *m_surface = nullptr;
    LossView *m_loss = nullptr;
    DataView *m_data = nullptr;
    RunTable *m_runs = nullptr;
    RunEditor *m_editor = nullptr;
    ObjectivePanel *m_objectivePanel = nullptr;
    QLabel *m_banner = nullptr;
    QWidget *m_bannerBox = nullptr;
    QWidget *m_dataBox = nullptr;
    QAction *m_playAction = nullptr;
    QSlider *m_speedSlider = nullptr;
    QLabel *m_speedLabel = nullptr;
    QComboBox *m_lossAxis = nullptr;
    QComboBox *m_raceClock = nullptr;
    double m_speedByClock[2] = {100, 200}; // per second: updates, samples
    QMenu *m_recentMenu = nullptr;
    QDockWidget *m_controlsDock = nullptr;
    StepInspector *m_inspector = nullptr;
    QDockWidget *m_inspectorDock = nullptr;
    QTimer *m_inspectorTimer = nullptr; // while playing: the inspector follows about four times a second
    bool m_inspectorWasOpen = false, m_inspectorWasInFront = false; // before presentation mode hid it
    QAction *m_leavePresentation = nullptr;
    QAction *m_aboveMinimum = nullptr;
    class KeysOverlay *m_keysOverlay = nullptr;
    bool m_presenting = false, m_wasFullScreen = false, m_restoredGeometry = false;
    int m_normalFontSize = 0;

    QUndoStack m_undo;
    bool m_editingInEditor = false; // an edit from the run editor is applied: it shows the settings already
    QHash<RunId, QColor> m_colors;
    int m_colorsUsed = 0;
    QString m_noticeWhenLoaded;
    QString m_errorWhenLoaded; // a failed first file's message, shown over the lesson opened instead
    bool m_explainQueued = false;
    bool m_bannerIsError = true;
    QPushButton *m_bannerAction = nullptr;
    std::function<void()> m_bannerCallback;
    bool m_changingScaling = false;
    QElapsedTimer m_stableLimitClock; // the limit is recomputed at most five times a second while a run plays // said once the scenario being loaded is
    RunId m_selectWhenStarted = -1; // a run "Add run" made: selected when the engine reports it
    QString m_currentFile; // empty for the built-in lesson or an unsaved scenario
    QString m_scenarioDir; // where relative data paths of the current scenario point from
    QFutureWatcher<ScenarioLoadResult> m_fileReader;
    ScenarioFileReader m_scenarioFileReader;
    QString m_pendingFile;
    QFutureWatcher<ScenarioLoadResult> m_objectiveBuilder;
    bool m_objectiveBuildReadsFile = false; // then it runs on the files pool, and closing does not wait for it
    QPointer<TrajectoryExport> m_trajectoryExport; // the latest, kept until the next one starts
    int m_loadGeneration = 0; // every load request takes the next; an older background result is dropped
    int m_fileGeneration = 0, m_objectiveGeneration = 0;
    std::string m_requestedObjectiveKind; // of the objective being built, to show its error in the right place
};

} // namespace gdviz
