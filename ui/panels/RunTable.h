#pragma once
// The list of runs: one row per run with its colour, visibility, name, optimizer and batch, and a live
// status line (step, epoch, loss, gradient norm, learning rate in use, status said plainly), plus the
// buttons to add, duplicate, remove and recolour runs.

#include "EngineTypes.h"

#include <QColor>
#include <QWidget>

#include <limits>

class QTableWidget;
class QPushButton;

namespace gdviz {

class RunTable : public QWidget {
    Q_OBJECT
public:
    explicit RunTable(QWidget *parent = nullptr);

    void clear();
    void addRun(RunId id, const RunSettings &settings, const QColor &color, bool dataObjective);
    void removeRun(RunId id);
    void setSettings(RunId id, const RunSettings &settings, bool dataObjective);
    void setColor(RunId id, const QColor &color);
    /// nextLr: the rate the run's next update will use (shown as "lr in use"; NaN: the latest record's).
    /// warning: said while the run goes on, e.g. "loss rising" (in amber).
    void setStatus(RunId id, const StepRecord &latest, RunStatus status, const QString &reason,
                   double nextLr = std::numeric_limits<double>::quiet_NaN(), const QString &warning = {});

    RunId selectedRun() const; // -1 when none
    void selectRun(RunId id);
    bool isRunVisible(RunId id) const;
    QTableWidget *table() const { return m_table; }
    /// The status cell's text of a run (for tests).
    QString statusText(RunId id) const;

signals:
    void selectedRunChanged(gdviz::RunId id);
    void runVisibilityChanged(gdviz::RunId id, bool visible);
    void addRequested();
    void duplicateRequested(gdviz::RunId id);
    void removeRequested(gdviz::RunId id);
    void recolorRequested(gdviz::RunId id);

private:
    int rowOf(RunId id) const;
    void fitHeightToRows();
    QTableWidget *m_table = nullptr;
    QPushButton *m_duplicate = nullptr, *m_remove = nullptr, *m_recolor = nullptr;
};

/// "Full batch", "1 (stochastic)" or "32 (mini-batch)".
QString batchText(long batchSize);

} // namespace gdviz
