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

/// Speed of play in updates per second per run; this value means "as fast as possible".
constexpr double asFastAsPossible = 0.0;

} // namespace gdviz

Q_DECLARE_METATYPE(gdviz::RunSteps)
Q_DECLARE_METATYPE(gdviz::RunStart)
Q_DECLARE_METATYPE(gdviz::RunSettings)
Q_DECLARE_METATYPE(gdviz::Scenario)
Q_DECLARE_METATYPE(gdviz::StopRules)
Q_DECLARE_METATYPE(gdviz::RunStatus)
Q_DECLARE_METATYPE(gdviz::Vec2)
