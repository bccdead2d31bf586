#pragma once
// The stop rules as a group of fields: max steps, max epochs (data objectives only), and the gradient and
// loss tolerances, each reading "no limit" or "off" at 0. The divergence bound is kept as it was set.

#include "EngineTypes.h" // StopRules as a Qt meta type (the signal carries it)
#include "StopRules.h"

#include <QGroupBox>

class QFormLayout;
class QSpinBox;

namespace gdviz {

class NumberSpinBox;

class StopRulesEditor : public QGroupBox {
    Q_OBJECT
public:
    explicit StopRulesEditor(QWidget *parent = nullptr);

    /// Shows stop without emitting edited().
    void setStopRules(const StopRules &stop);
    const StopRules &stopRules() const { return m_stop; }
    /// Max epochs means something only for data objectives: hidden otherwise.
    void setDataObjective(bool data);
    QFormLayout *form() const { return m_form; }

signals:
    void edited(const gdviz::StopRules &stop);

private:
    StopRules m_stop;
    bool m_updating = false;
    QFormLayout *m_form = nullptr;
    QSpinBox *m_maxSteps = nullptr;
    NumberSpinBox *m_maxEpochs = nullptr, *m_gradTol = nullptr, *m_lossTol = nullptr;
};

} // namespace gdviz
