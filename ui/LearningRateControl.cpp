#include "LearningRateControl.h"

#include "NumberSpinBox.h"

#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QSlider>

#include <algorithm>
#include <cmath>

namespace gdviz {

namespace {
const double minimumExponent = std::log10(LearningRateControl::minimumRate); // -5
const double maximumExponent = std::log10(LearningRateControl::maximumRate); // 1
} // namespace

double LearningRateControl::rateAt(int tick)
{
    tick = std::clamp(tick, 0, ticks);
    const double exponent = minimumExponent + (maximumExponent - minimumExponent) * tick / ticks;
    return QString::number(std::pow(10.0, exponent), 'g', 3).toDouble();
}

int LearningRateControl::tickFor(double rate)
{
    if (!(rate > 0))
        return 0;
    const double t = (std::log10(rate) - minimumExponent) / (maximumExponent - minimumExponent) * ticks;
    return std::clamp(int(std::lround(t)), 0, ticks);
}

LearningRateControl::LearningRateControl(QWidget *parent)
    : QWidget(parent)
{
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("lrSlider"));
    m_slider->setRange(0, ticks);
    m_slider->setSingleStep(ticks / 120); // arrow keys: 1/20 of a decade
    m_slider->setPageStep(ticks / 6); // page keys: one decade
    m_slider->setTickPosition(QSlider::TicksBelow);
    m_slider->setTickInterval(ticks / 6); // a mark at every power of ten
    m_slider->setMinimumWidth(80);
    m_slider->setToolTip(tr("Drag to change the step size live: too small and the descent creeps, too large and it "
                            "overshoots or diverges (logarithmic, a mark at every power of ten from 0.00001 to 10)."));

    m_spin = new NumberSpinBox(this);
    m_spin->setObjectName(QStringLiteral("lrSpin"));
    m_spin->setRange(minimumRate, maximumRate);
    m_spin->setLogarithmicSteps(true, minimumRate);
    m_spin->setSampleText(QStringLiteral("0.000123"));
    m_spin->setToolTip(tr("The learning rate lr: each update moves theta by lr times the (scaled) gradient; type a "
                          "value such as 0.05 or 1e-3, or step through 1, 2, 5, 10, ..."));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_spin);
    setFocusProxy(m_spin);

    connect(m_slider, &QSlider::valueChanged, this, [this](int tick) {
        const double rate = rateAt(tick);
        {
            const QSignalBlocker blocker(m_spin);
            m_spin->setValue(rate);
        }
        emit valueEdited(rate);
    });
    connect(m_spin, &QDoubleSpinBox::valueChanged, this, [this](double rate) {
        {
            const QSignalBlocker blocker(m_slider);
            m_slider->setValue(tickFor(rate));
        }
        emit valueEdited(rate);
    });
}

double LearningRateControl::value() const
{
    return m_spin->value();
}

void LearningRateControl::setValue(double rate)
{
    const QSignalBlocker spinBlocker(m_spin);
    const QSignalBlocker sliderBlocker(m_slider);
    m_spin->setValue(std::clamp(rate, minimumRate, maximumRate));
    m_slider->setValue(tickFor(rate));
}

} // namespace gdviz
