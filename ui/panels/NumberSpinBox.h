#pragma once
// A spin box for the numbers of gradient descent, which span many decades (eps = 1e-8, lr = 10):
// it shows the shortest text with up to six significant digits ("0.0123", "1e-8", "0.999"), accepts
// scientific input ("2.5e-3"), and can step along 1, 2, 5, 10, 20, ... instead of by a fixed amount.

#include <QDoubleSpinBox>

namespace gdviz {

/// value as people read it: up to significantDigits significant digits, trailing zeros dropped, and
/// exponents without padding ("1e-8", "1e6"), in the locale's decimal point without group separators.
QString formatNumber(double value, int significantDigits = 6, const QLocale &locale = QLocale());

class NumberSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit NumberSpinBox(QWidget *parent = nullptr);

    /// Arrow keys and the mouse wheel step along 1, 2, 5, 10, 20, 50, ... (both ways). Below
    /// smallestStep a step down goes to the minimum (e.g. 0, "off"), and from the minimum a step up
    /// goes to smallestStep. Otherwise steps are linear by singleStep().
    void setLogarithmicSteps(bool logarithmic, double smallestStep = 1e-12);
    bool hasLogarithmicSteps() const { return m_logarithmic; }

    /// The next value of the 1-2-5 sequence above (steps > 0) or below (steps < 0) value.
    static double nextOneTwoFive(double value, int steps);

    /// The box is at least wide enough for sample (e.g. "0.000123"), not only for its minimum and maximum.
    void setSampleText(const QString &sample);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    QString textFromValue(double value) const override;
    double valueFromText(const QString &text) const override;
    QValidator::State validate(QString &text, int &pos) const override;
    void stepBy(int steps) override;

private:
    /// The text without prefix, suffix and surrounding spaces.
    QString withoutAffixes(const QString &text) const;
    bool parse(const QString &text, double *value) const;
    int extraWidth() const;

    bool m_logarithmic = false;
    double m_smallestStep = 1e-12;
    QString m_sample;
};

} // namespace gdviz
