#pragma once
// The editor of one optimizer hyperparameter, made from its row of the optimizers() table: a spin box
// limited to the valid range (Real), a check box (Flag), or two spin boxes in [0, 1) (Pair, betas).
// Its tooltip is the table's one-sentence description.

#include "Optimizers.h"

#include <QWidget>

class QCheckBox;

namespace gdviz {

class NumberSpinBox;

class HyperParameterEditor : public QWidget {
    Q_OBJECT
public:
    /// info must outlive the editor (the rows of optimizers() do). defaults (the optimizer's torch
    /// defaults) choose the stepping: values below 0.01, like eps = 1e-8, step along 1, 2, 5, 10, ...
    HyperParameterEditor(const HyperParameterInfo &info, const OptimizerSettings &defaults, QWidget *parent = nullptr);

    const HyperParameterInfo &info() const { return m_info; }
    /// Shows the value settings hold for this hyperparameter, without emitting edited().
    void setValue(const OptimizerSettings &settings);
    /// Writes the shown value into settings.
    void apply(OptimizerSettings &settings) const;

signals:
    void edited();

private:
    NumberSpinBox *makeSpinBox(const QString &objectName, double defaultValue);

    const HyperParameterInfo &m_info;
    NumberSpinBox *m_spin[2] = {nullptr, nullptr};
    QCheckBox *m_check = nullptr;
};

} // namespace gdviz
