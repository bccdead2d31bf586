#pragma once
// The cost surface: a filled colour map of the objective over the view window (log colour scale where
// the range is wide, with a colour scale bar), contour lines, the known minima, and one growing path per
// run with its current point. Wheel zooms, drag pans, a click moves the selected run's start point.
// The surface is computed off the GUI thread: a coarse grid at once, then a fine one.

#include "EngineTypes.h"

#include <QColor>
#include <qcustomplot.h>
#include <QHash>
#include <QWidget>

#include <functional>
#include <memory>

class QCustomPlot;

namespace gdviz {

class SurfaceView : public QWidget {
    Q_OBJECT
public:
    explicit SurfaceView(QWidget *parent = nullptr);
    ~SurfaceView() override;

    QCustomPlot *plot() const;

    /// A new objective: recomputes the surface over window; axes are labelled xName / yName.
    void setObjective(std::shared_ptr<const Objective> objective, const ViewWindow &window, const QString &xName,
                      const QString &yName);
    ViewWindow viewWindow() const;
    void setViewWindow(const ViewWindow &window);
    /// A legend of the visible runs (each its marker shape and colour, and its name) in the plot's corner: for
    /// exported pictures, which have no table beside them. The window itself shows none (the table names runs).
    void setLegendVisible(bool visible);
    /// Back to the window setObjective() was given (Home, or a double-click on the surface).
    void resetView();

    void addRun(RunId id, const QString &name, const QColor &color);
    void removeRun(RunId id);
    void clearRuns();
    void setRunColor(RunId id, const QColor &color);
    /// The shape of the run's markers (start, current point, and a mark at updates 1, 2, 4, 8, ...), so that
    /// runs on the same path stay apart without colour.
    void setRunMarker(RunId id, QCPScatterStyle::ScatterShape shape);
    void setRunVisible(RunId id, bool visible);
    /// The run (re)started: its path is only this start point now.
    void restartPath(RunId id, const StepRecord &start);
    void appendSteps(RunId id, const QList<StepRecord> &steps);
    /// The run whose start point a click moves, and whose arrows are drawn.
    void setSelectedRun(RunId id);
    /// Arrows at the selected run's current point: what its next update is made of (DescentArrows.h), to scale.
    void setArrowsVisible(bool visible);
    /// The next update of run id (DescentEngine::updateExplained). Its arrows are drawn while id is the selected
    /// run and stands at the explanation's thetaBefore (its step one before the update's); not once it has moved on.
    void setNextUpdate(RunId id, const UpdateExplanation &explanation);
    /// Whether the next update's arrows are on the surface now.
    bool arrowsShown() const;

    /// What hover over a run's marker shows (its record: run, step, theta, loss, lr); elsewhere hover shows
    /// the point and the loss there.
    using RecordDescriber = std::function<QString(RunId id, long step)>;
    void setRecordDescriber(RecordDescriber describe);

    /// True once the fine surface for the current window has been drawn (tests wait on this).
    bool isSurfaceComplete() const;

signals:
    /// A click on the surface (not a drag, and not the first click of a double-click, which resets the view:
    /// so it comes a double-click interval after the click): move the selected run's start point there, or
    /// every run's with Shift.
    void startPointPicked(const gdviz::Vec2 &point, bool everyRun);
    void viewWindowChanged(const gdviz::ViewWindow &window);
    /// Emitted each time a surface (coarse or fine) has been drawn.
    void surfaceReady(bool fine);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gdviz
