#pragma once
// The values that cross between the engine's worker thread and the GUI thread, registered with Qt's
// meta-type system so queued connections can carry them. Only values: never pointers into worker state
// (the objective is shared as a pointer to const, and is never changed once built).

#include "Race.h"
#include "Scenario.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace gdviz {

/// The steps one run took since the engine last reported it.
struct RunSteps {
    RunId id = -1;
    QList<StepRecord> steps;
};

/// A run as the GUI sees it when it (re)starts: its settings and its start record.
struct RunStart {
    RunId id = -1;
    RunSettings settings;
    StepRecord start;
    RunStatus status = RunStatus::Running; // a start can already end it (e.g. converged at the start)
    QString reason;
};

/// Speed of play per run, in the race clock's unit (updates or samples per second); this value means "as fast
/// as possible".
constexpr double asFastAsPossible = 0.0;

/// How a live change brought back a run that had ended: resumed from where it stopped (it had ended by a stop
/// rule, or was stopped), or restarted from its start point (it had diverged).
enum class RunRevival { Resumed, Restarted };

} // namespace gdviz

Q_DECLARE_METATYPE(gdviz::RunSteps)
Q_DECLARE_METATYPE(gdviz::RunStart)
Q_DECLARE_METATYPE(gdviz::RunSettings)
Q_DECLARE_METATYPE(gdviz::Scenario)
Q_DECLARE_METATYPE(gdviz::StopRules)
Q_DECLARE_METATYPE(gdviz::RunStatus)
Q_DECLARE_METATYPE(gdviz::RunRevival)
Q_DECLARE_METATYPE(gdviz::RaceClock)
Q_DECLARE_METATYPE(gdviz::Vec2)
Q_DECLARE_METATYPE(gdviz::UpdateExplanation)
