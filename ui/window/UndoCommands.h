#pragma once
// Undo and redo (Ctrl+Z, Ctrl+Shift+Z) of what a teacher edits mid-lesson: a run's settings (learning rate,
// optimizer, batch, ...), its start point, the objective and its data. Each command keeps the state before
// and after the edit, as values, and applies one or the other through the window, which sends it to the
// engine: the undo stack never reaches into the engine's state.

#include "EngineTypes.h"

#include <QUndoCommand>

#include <functional>

namespace gdviz {

/// One run's settings, before and after. Consecutive learning-rate edits of the same run (a slider drag)
/// merge into one command.
class RunSettingsCommand : public QUndoCommand {
public:
    using Apply = std::function<void(RunId, const RunSettings &)>;
    /// apply is called with `after` on redo (also the first, when push() runs it) and `before` on undo.
    RunSettingsCommand(const QString &text, RunId id, const RunSettings &before, const RunSettings &after, Apply apply,
                       bool learningRateOnly = false, QUndoCommand *parent = nullptr);

    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    RunId m_run;
    RunSettings m_before, m_after;
    Apply m_apply;
    bool m_learningRateOnly;
};

/// The whole scenario before and after a change of the objective or its data (which restarts every run).
class ScenarioCommand : public QUndoCommand {
public:
    using Apply = std::function<void(const Scenario &)>;
    ScenarioCommand(const QString &text, const Scenario &before, const Scenario &after, Apply apply);

    void undo() override { m_apply(m_before); }
    void redo() override { m_apply(m_after); }

private:
    Scenario m_before, m_after;
    Apply m_apply;
};

} // namespace gdviz
