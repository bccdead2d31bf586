#pragma once
// The step inspector: why the selected run's next update goes where it goes. It shows the update rule as a
// formula in torch.optim's notation (only the terms the run's settings use), the same formula with this update's
// numbers in it, and a table of every number that goes in and comes out: theta, the gradient used and which
// samples made it, the full gradient, the learning rate after the schedule, each quantity of the rule's state
// (rows taken from the optimizer table, optimizerInfo().state, under torch's names) before and after, and the
// loss. Numbers read rounded (5 significant digits); each one's tooltip holds it to 17 digits, which reads back
// to the same double.
//
// It only draws what the engine's updateExplained reports (DescentEngine::requestUpdateExplanation): the window
// decides when to ask.

#include "Race.h"
#include "UpdateExplanation.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QScrollArea;
class QVBoxLayout;

namespace gdviz {

class StepInspector : public QWidget {
    Q_OBJECT
public:
    explicit StepInspector(QWidget *parent = nullptr);

    /// The run whose updates are shown from now on (-1: none), its name and its parameters' names (theta0,
    /// theta1: "w", "b" or "x", "y"). Another run than before clears what was shown until its answer comes.
    void setRun(RunId id, const QString &name, const QString &firstParameter, const QString &secondParameter);
    RunId run() const { return m_run; }
    /// Shows the explanation when it is about the run given to setRun(); an answer about any other run is ignored.
    void showExplanation(RunId id, const UpdateExplanation &explanation);

    // What is shown, read back from the labels (for tests and for a reader of the code).
    /// The heading, e.g. "Update 4 of Batch GD (next)".
    QString title() const;
    /// The rule and the numbers put into it, as plain text.
    QString formulaText() const;
    /// The number shown under key, as read (rounded; empty when none is shown). Keys: "theta.before.0",
    /// "theta.before.1", "gradient.0", "gradient.1", "fullGradient.0/1" (only when the batch is not every sample),
    /// "lr", "state.<torch name>.before.0/1" and "state.<torch name>.after.0/1" (a scalar: "state.<name>.before"),
    /// "theta.after.0/1", "loss.before", "loss.after", "batchLoss" (batches only).
    QString valueText(const QString &key) const;
    /// The same number to 17 significant digits (its tooltip); empty when none is shown.
    QString fullPrecision(const QString &key) const;
    /// The torch names of the state rows shown, in the table's order.
    QStringList stateNames() const { return m_stateNames; }
    /// What the gradient row says about the samples it used ("batch of 32: samples 17, 3, …").
    QString samplesText() const;

private:
    void showMessage(const QString &title, const QString &message, bool error);

    RunId m_run = -1;
    QString m_runName, m_parameterNames[2];
    QLabel *m_title = nullptr;
    QLabel *m_note = nullptr; // a diverged run's reason (red), or that the run has ended
    QLabel *m_formula = nullptr;
    QLabel *m_numbers = nullptr; // the formula with this update's numbers
    QVBoxLayout *m_contentLayout = nullptr;
    QWidget *m_table = nullptr; // rebuilt for every explanation (its rows follow the rule and the settings)
    QHash<QString, QLabel *> m_values;
    QStringList m_stateNames;
    QLabel *m_samples = nullptr;
};

} // namespace gdviz
