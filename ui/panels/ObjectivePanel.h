#pragma once
// What is being minimized: every named function, a typed formula (its error shown inline at the
// formula's position while typing; nothing changes until the formula is valid), or a regression data
// set (generated: n, noise, seed, regenerate; or imported from CSV), and the stop rules.

#include "EngineTypes.h" // Scenario and StopRules as Qt meta types (the signals carry them)
#include "Scenario.h"

#include <QWidget>

#include <memory>

namespace gdviz {

class ObjectivePanel : public QWidget {
    Q_OBJECT
public:
    explicit ObjectivePanel(QWidget *parent = nullptr);
    ~ObjectivePanel() override;

    /// Shows the current objective and stop rules without emitting anything.
    void setObjective(const ObjectiveSpec &spec, const StopRules &stop);
    /// A message next to the data controls (e.g. a CSV that could not be read); empty hides it.
    void showDataError(const QString &message);
    /// The number of samples of the loaded data (after a CSV import, the file's rows).
    void setSampleCount(std::size_t n);
    /// A message under the formula box for a formula that parses but cannot be used (e.g. it is not
    /// finite anywhere in the view); empty hides it.
    void showFormulaError(const QString &message);

signals:
    /// A valid new objective: a named function with its parameters, a formula that parses, or data
    /// settings that validate (csvPath absolute when imported).
    void objectiveRequested(const gdviz::ObjectiveSpec &spec);
    void stopRulesEdited(const gdviz::StopRules &stop);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gdviz
