#include "HyperParameterEditor.h"

#include "NumberSpinBox.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QSignalBlocker>

#include <cmath>

namespace gdviz {

namespace {
constexpr double largestShown = 1e6; // the largest value offered when the valid range has no upper end
constexpr double linearStep = 0.01;
constexpr double smallValue = 0.01; // defaults below this (eps, momentum_decay) step along 1, 2, 5, ...
} // namespace

HyperParameterEditor::HyperParameterEditor(const HyperParameterInfo &info, const OptimizerSettings &defaults,
                                           QWidget *parent)
    : QWidget(parent)
    , m_info(info)
{
    const QString name = QString::fromStdString(info.name);
    setObjectName(QStringLiteral("paramEditor_") + name);
    setToolTip(QString::fromStdString(info.description));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    switch (info.type) {
    case HyperParameterInfo::Type::Flag:
        m_check = new QCheckBox(this);
        m_check->setObjectName(QStringLiteral("param_") + name);
        m_check->setToolTip(toolTip());
        m_check->setAccessibleName(name);
        layout->addWidget(m_check);
        connect(m_check, &QCheckBox::toggled, this, &HyperParameterEditor::edited);
        setFocusProxy(m_check);
        break;
    case HyperParameterInfo::Type::Real:
        m_spin[0] = makeSpinBox(QStringLiteral("param_") + name, defaults.*info.real);
        layout->addWidget(m_spin[0], 1);
        setFocusProxy(m_spin[0]);
        break;
    case HyperParameterInfo::Type::Pair:
        setObjectName(QStringLiteral("param_") + name);
        m_spin[0] = makeSpinBox(QStringLiteral("param_%1_0").arg(name), defaults.*info.real);
        m_spin[1] = makeSpinBox(QStringLiteral("param_%1_1").arg(name), defaults.*info.second);
        m_spin[0]->setAccessibleName(name + QStringLiteral("[0]"));
        m_spin[1]->setAccessibleName(name + QStringLiteral("[1]"));
        layout->addWidget(m_spin[0], 1);
        layout->addWidget(m_spin[1], 1);
        setFocusProxy(m_spin[0]);
        break;
    }
}

NumberSpinBox *HyperParameterEditor::makeSpinBox(const QString &objectName, double defaultValue)
{
    auto *spin = new NumberSpinBox(this);
    spin->setObjectName(objectName);
    double max = std::isinf(m_info.max) ? largestShown : m_info.max;
    if (m_info.maxExclusive) // [0, 1) for betas: 0.999999 is the largest value offered
        max -= 1e-6 * (max - m_info.min);
    spin->setRange(m_info.min, max);
    spin->setSingleStep(linearStep);
    spin->setLogarithmicSteps(defaultValue > 0 && defaultValue < smallValue, 1e-12);
    spin->setToolTip(toolTip());
    if (spin->accessibleName().isEmpty())
        spin->setAccessibleName(QString::fromStdString(m_info.name));
    connect(spin, &QDoubleSpinBox::valueChanged, this, &HyperParameterEditor::edited);
    return spin;
}

void HyperParameterEditor::setValue(const OptimizerSettings &settings)
{
    if (m_check) {
        const QSignalBlocker blocker(m_check);
        m_check->setChecked(settings.*m_info.flag);
        return;
    }
    const QSignalBlocker first(m_spin[0]);
    m_spin[0]->setValue(settings.*m_info.real);
    if (m_spin[1]) {
        const QSignalBlocker second(m_spin[1]);
        m_spin[1]->setValue(settings.*m_info.second);
    }
}

void HyperParameterEditor::apply(OptimizerSettings &settings) const
{
    if (m_check) {
        settings.*m_info.flag = m_check->isChecked();
        return;
    }
    settings.*m_info.real = m_spin[0]->value();
    if (m_spin[1])
        settings.*m_info.second = m_spin[1]->value();
}

} // namespace gdviz
