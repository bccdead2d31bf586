#include "UndoCommands.h"

namespace gdviz {

namespace {
constexpr int learningRateMergeId = 1;
}

RunSettingsCommand::RunSettingsCommand(const QString &text, RunId id, const RunSettings &before, const RunSettings &after,
                                       Apply apply, bool learningRateOnly, QUndoCommand *parent)
    : QUndoCommand(text, parent)
    , m_run(id)
    , m_before(before)
    , m_after(after)
    , m_apply(std::move(apply))
    , m_learningRateOnly(learningRateOnly)
{
}

void RunSettingsCommand::undo()
{
    m_apply(m_run, m_before);
}

void RunSettingsCommand::redo()
{
    m_apply(m_run, m_after);
}

int RunSettingsCommand::id() const
{
    return m_learningRateOnly ? learningRateMergeId : -1;
}

bool RunSettingsCommand::mergeWith(const QUndoCommand *other)
{
    // A drag of the learning-rate slider is one edit: undo goes back to the rate before the drag.
    const auto *next = static_cast<const RunSettingsCommand *>(other);
    if (next->m_run != m_run || !next->m_learningRateOnly)
        return false;
    m_after = next->m_after;
    return true;
}

ScenarioCommand::ScenarioCommand(const QString &text, const Scenario &before, const Scenario &after, Apply apply)
    : QUndoCommand(text)
    , m_before(before)
    , m_after(after)
    , m_apply(std::move(apply))
{
}

} // namespace gdviz
