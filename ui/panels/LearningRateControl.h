#pragma once
// The learning rate as a class drags it: a slider on a logarithmic scale from 1e-5 to 10 (each decade
// the same width, a tick mark at every power of ten) coupled to a spin box that shows the exact value.
// Dragging the slider snaps to three significant digits, so the number shown is the number used. The slider
// has a row of its own, as wide as the panel (about a decade per 50 pixels), and where a largest stable rate
// is known for the selected run it marks it: rates to its right make plain gradient descent overshoot more at
// every step.

#include <QSlider>
#include <QWidget>

#include <optional>

class QLabel;

namespace gdviz {

class NumberSpinBox;

class LearningRateControl : public QWidget {
    Q_OBJECT
public:
    static constexpr double minimumRate = 1e-5;
    static constexpr double maximumRate = 10;
    static constexpr int ticks = 1200; // 200 per decade: neighbouring ticks differ by 1.2 %

    explicit LearningRateControl(QWidget *parent = nullptr);

    /// The rate tick t of the slider stands for: 10^(-5 + 6 t / ticks), to three significant digits.
    static double rateAt(int tick);
    /// The tick nearest to rate on the logarithmic scale (clamped to the slider).
    static int tickFor(double rate);

    double value() const;
    /// Shows rate (clamped to [1e-5, 10]) without emitting valueEdited.
    void setValue(double rate);

    /// The largest stable learning rate near the run's point (2 / lambda_max), marked on the slider and said
    /// under it; nullopt: none is claimed (adaptive optimizers, no curvature there). fullBatch false says
    /// "full-batch limit" (stochastic runs).
    void setStableLimit(std::optional<double> limit, bool fullBatch = true);
    std::optional<double> stableLimit() const { return m_limit; }

    QSlider *slider() const { return m_slider; }
    NumberSpinBox *spinBox() const { return m_spin; }

signals:
    /// The user moved the slider (every position while dragging) or entered a value in the box.
    void valueEdited(double rate);

private:
    QSlider *m_slider = nullptr;
    QLabel *m_limitLabel = nullptr;
    std::optional<double> m_limit;
    NumberSpinBox *m_spin = nullptr;
};

} // namespace gdviz
