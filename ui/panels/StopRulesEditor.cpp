#include "StopRulesEditor.h"

#include "NumberSpinBox.h"

#include <QFormLayout>
#include <QSpinBox>

#include <algorithm>

// Object names: "stopGroup", "maxSteps", "maxEpochs", "gradTol", "lossTol".

namespace gdviz {

namespace {
constexpr int mostSteps = 10'000'000;
} // namespace

StopRulesEditor::StopRulesEditor(QWidget *parent)
    : QGroupBox(tr("Stop rules"), parent)
{
    setObjectName(QStringLiteral("stopGroup"));
    m_form = new QFormLayout(this);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_maxSteps = new QSpinBox(this);
    m_maxSteps->setObjectName(QStringLiteral("maxSteps"));
    m_maxSteps->setRange(0, mostSteps);
    m_maxSteps->setSingleStep(100);
    m_maxSteps->setGroupSeparatorShown(true);
    m_maxSteps->setSpecialValueText(tr("no limit"));
    m_maxSteps->setKeyboardTracking(false);
    m_maxSteps->setToolTip(tr("Stop a run after this many updates (0: no limit)."));
    m_form->addRow(tr("Max steps"), m_maxSteps);
    connect(m_maxSteps, &QSpinBox::valueChanged, this, [this](int v) {
        if (m_updating)
            return;
        m_stop.maxSteps = v;
        emit edited(m_stop);
    });

    auto real = [this](const char *name, const QString &special, const QString &tip, double max, double StopRules::*field) {
        auto *spin = new NumberSpinBox(this);
        spin->setObjectName(QLatin1String(name));
        spin->setRange(0, max);
        spin->setSpecialValueText(special);
        spin->setToolTip(tip);
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this, field](double v) {
            if (m_updating)
                return;
            m_stop.*field = v;
            emit edited(m_stop);
        });
        return spin;
    };
    m_maxEpochs = real("maxEpochs", tr("no limit"), tr("Stop a run once it has seen every sample this many times (0: no limit)."),
                       1e6, &StopRules::maxEpochs);
    m_maxEpochs->setSingleStep(1);
    m_gradTol = real("gradTol", tr("off"), tr("Stop a run when the length of its full gradient falls below this value (0: never)."),
                     1e6, &StopRules::gradTol);
    m_gradTol->setLogarithmicSteps(true, 1e-12);
    m_lossTol = real("lossTol", tr("off"),
                     tr("Stop a run when the loss changes by less than this fraction of itself in one update (0: never)."), 1,
                     &StopRules::lossTol);
    m_lossTol->setLogarithmicSteps(true, 1e-12);
    m_form->addRow(tr("Max epochs"), m_maxEpochs);
    m_form->addRow(tr("Gradient tolerance"), m_gradTol);
    m_form->addRow(tr("Loss tolerance"), m_lossTol);
}

void StopRulesEditor::setStopRules(const StopRules &stop)
{
    m_updating = true;
    m_stop = stop;
    m_maxSteps->setValue(int(std::clamp<long>(stop.maxSteps, 0, mostSteps)));
    m_maxEpochs->setValue(stop.maxEpochs);
    m_gradTol->setValue(stop.gradTol);
    m_lossTol->setValue(stop.lossTol);
    m_updating = false;
}

void StopRulesEditor::setDataObjective(bool data)
{
    m_form->setRowVisible(m_maxEpochs, data);
}

} // namespace gdviz
