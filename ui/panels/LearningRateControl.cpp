#include "LearningRateControl.h"

#include "NumberSpinBox.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyleOptionSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace gdviz {

namespace {
const double minimumExponent = std::log10(LearningRateControl::minimumRate); // -5
const double maximumExponent = std::log10(LearningRateControl::maximumRate); // 1

/// The slider with the stable limit drawn on its groove: a red mark, and the rates beyond it shaded.
class LimitSlider : public QSlider {
public:
    LimitSlider(QWidget *parent) : QSlider(Qt::Horizontal, parent) {}
    std::optional<int> limitTick;

protected:
    void paintEvent(QPaintEvent *event) override
    {
        if (limitTick) {
            QStyleOptionSlider option;
            initStyleOption(&option);
            const QRect groove = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderGroove, this);
            const int handle = style()->pixelMetric(QStyle::PM_SliderLength, &option, this);
            const int x = QStyle::sliderPositionFromValue(minimum(), maximum(), *limitTick, groove.width() - handle) + groove.left() + handle / 2;
            QPainter painter(this);
            painter.fillRect(QRect(QPoint(x, 0), QPoint(groove.right(), height() - 1)), QColor(0xC6, 0x28, 0x28, 40));
            painter.setPen(QPen(QColor(0xC6, 0x28, 0x28), 3));
            painter.drawLine(x, 0, x, height() - 1);
        }
        QSlider::paintEvent(event);
    }
};
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
    m_slider = new LimitSlider(this);
    m_slider->setObjectName(QStringLiteral("lrSlider"));
    m_slider->setRange(0, ticks);
    m_slider->setSingleStep(ticks / 120); // arrow keys: 1/20 of a decade
    m_slider->setPageStep(ticks / 6); // page keys: one decade
    m_slider->setTickPosition(QSlider::TicksBelow);
    m_slider->setTickInterval(ticks / 6); // a mark at every power of ten
    m_slider->setMinimumWidth(180); // a row of its own, as wide as the panel: 40 to 55 px per decade
    m_slider->setToolTip(tr("Drag to change the step size live: too small and the descent creeps, too large and it "
                            "overshoots or diverges (logarithmic, a mark at every power of ten from 0.00001 to 10)."));

    m_spin = new NumberSpinBox(this);
    m_spin->setObjectName(QStringLiteral("lrSpin"));
    m_spin->setRange(minimumRate, maximumRate);
    m_spin->setLogarithmicSteps(true, minimumRate);
    m_spin->setSampleText(QStringLiteral("0.000123"));
    m_spin->setToolTip(tr("The learning rate lr: each update moves theta by lr times the (scaled) gradient; type a "
                          "value such as 0.05 or 1e-3, or step through 1, 2, 5, 10, ..."));

    m_limitLabel = new QLabel(this);
    m_limitLabel->setObjectName(QStringLiteral("lrLimit"));
    m_limitLabel->setWordWrap(true);
    m_limitLabel->setStyleSheet(QStringLiteral("color: #B71C1C;"));
    m_limitLabel->hide();
    auto *numbers = new QHBoxLayout;
    numbers->addWidget(m_spin);
    numbers->addWidget(m_limitLabel, 1);
    auto *layout = new QVBoxLayout(this); // the slider on a row of its own, as wide as the panel
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(numbers);
    layout->addWidget(m_slider);
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

void LearningRateControl::setStableLimit(std::optional<double> limit, bool fullBatch)
{
    if (limit && !(std::isfinite(*limit) && *limit > 0))
        limit.reset();
    m_limit = limit;
    auto *slider = static_cast<LimitSlider *>(m_slider);
    slider->limitTick = limit && *limit <= maximumRate ? std::optional<int>(tickFor(*limit)) : std::nullopt;
    slider->update();
    m_limitLabel->setVisible(limit.has_value());
    if (limit) {
        const QString number = QString::number(*limit, 'g', 2);
        m_limitLabel->setText(fullBatch ? tr("stable up to %1 here").arg(number) : tr("full-batch stable limit %1 here").arg(number));
        m_limitLabel->setToolTip(tr("2 / \u03bb_max of the Hessian at the run's point (with momentum \u03b2: 2 (1 + \u03b2) / \u03bb_max): "
                                    "a larger rate overshoots further at every step there."));
    }
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
