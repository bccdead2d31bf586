#include "NumberSpinBox.h"

#include <QLineEdit>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace gdviz {

QString formatNumber(double value, int significantDigits, const QLocale &locale)
{
    QString text = QString::number(value, 'g', significantDigits); // C locale: "1e-08", "1e+06", "0.0123"
    static const QRegularExpression paddedExponent(QStringLiteral("e([+-])0*(\\d)"));
    text.replace(paddedExponent, QStringLiteral("e\\1\\2"));
    text.replace(QStringLiteral("e+"), QStringLiteral("e"));
    text.replace(QLatin1Char('.'), locale.decimalPoint());
    return text;
}

NumberSpinBox::NumberSpinBox(QWidget *parent)
    : QDoubleSpinBox(parent)
{
    // QDoubleSpinBox rounds every value to decimals() places; 18 keeps eps = 1e-8 and tolerances of
    // 1e-15 exact, while textFromValue() decides what is shown.
    setDecimals(18);
    setKeyboardTracking(false); // a half-typed "5e-3" must not apply 5 on the way
    setAccelerated(true);
}

void NumberSpinBox::setLogarithmicSteps(bool logarithmic, double smallestStep)
{
    m_logarithmic = logarithmic;
    m_smallestStep = smallestStep;
}

double NumberSpinBox::nextOneTwoFive(double value, int steps)
{
    if (!(value > 0) || !std::isfinite(value))
        return value;
    static constexpr double mantissas[] = {1, 2, 5};
    double exponent = std::floor(std::log10(value));
    double mantissa = value / std::pow(10.0, exponent);
    constexpr double slack = 1e-9; // 0.2 / 0.1 may come out as 1.9999999999999998
    for (int i = 0; i < std::abs(steps); ++i) {
        if (steps > 0) {
            const auto *next = std::find_if(std::begin(mantissas), std::end(mantissas),
                                            [&](double m) { return m > mantissa * (1 + slack); });
            if (next == std::end(mantissas)) {
                mantissa = 1;
                exponent += 1;
            } else {
                mantissa = *next;
            }
        } else {
            const auto below = std::find_if(std::rbegin(mantissas), std::rend(mantissas),
                                             [&](double m) { return m < mantissa * (1 - slack); });
            if (below == std::rend(mantissas)) {
                mantissa = 5;
                exponent -= 1;
            } else {
                mantissa = *below;
            }
        }
    }
    // Rounded to 15 significant digits so that 0.1 steps to 0.2, not 0.20000000000000001.
    return QString::number(mantissa * std::pow(10.0, exponent), 'g', 15).toDouble();
}

void NumberSpinBox::stepBy(int steps)
{
    double v = value();
    if (!m_logarithmic) {
        v = QString::number(v + steps * singleStep(), 'g', 12).toDouble(); // 0.9 + 0.01 reads back as 0.91
    } else {
        for (int i = 0; i < std::abs(steps); ++i) {
            if (steps > 0)
                v = v < m_smallestStep * (1 - 1e-9) ? m_smallestStep : nextOneTwoFive(v, 1);
            else
                v = v <= m_smallestStep * (1 + 1e-9) ? minimum() : nextOneTwoFive(v, -1);
        }
    }
    setValue(std::clamp(v, minimum(), maximum()));
    selectAll();
}

void NumberSpinBox::setSampleText(const QString &sample)
{
    m_sample = sample;
    updateGeometry();
}

int NumberSpinBox::extraWidth() const
{
    if (m_sample.isEmpty())
        return 0;
    const QFontMetrics metrics = fontMetrics();
    const int widest = std::max({metrics.horizontalAdvance(textFromValue(minimum())),
                                 metrics.horizontalAdvance(textFromValue(maximum())),
                                 metrics.horizontalAdvance(specialValueText())});
    return std::max(0, metrics.horizontalAdvance(m_sample) - widest);
}

QSize NumberSpinBox::sizeHint() const
{
    return QDoubleSpinBox::sizeHint() + QSize(extraWidth(), 0);
}

QSize NumberSpinBox::minimumSizeHint() const
{
    return QDoubleSpinBox::minimumSizeHint() + QSize(extraWidth(), 0);
}

QString NumberSpinBox::textFromValue(double value) const
{
    return formatNumber(value, 6, locale());
}

QString NumberSpinBox::withoutAffixes(const QString &text) const
{
    QString t = text;
    if (!prefix().isEmpty() && t.startsWith(prefix()))
        t.remove(0, prefix().size());
    if (!suffix().isEmpty() && t.endsWith(suffix()))
        t.chop(suffix().size());
    return t.trimmed();
}

bool NumberSpinBox::parse(const QString &text, double *value) const
{
    QString t = withoutAffixes(text);
    if (!specialValueText().isEmpty() && t == specialValueText()) {
        *value = minimum();
        return true;
    }
    t.replace(locale().decimalPoint(), QStringLiteral("."));
    t.replace(locale().negativeSign(), QStringLiteral("-"));
    bool ok = false;
    *value = QLocale::c().toDouble(t, &ok);
    return ok && std::isfinite(*value);
}

double NumberSpinBox::valueFromText(const QString &text) const
{
    double v = value();
    parse(text, &v);
    return v;
}

QValidator::State NumberSpinBox::validate(QString &text, int &) const
{
    double v = 0;
    if (parse(text, &v))
        return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
    const QString t = withoutAffixes(text);
    if (!specialValueText().isEmpty() && specialValueText().startsWith(t))
        return QValidator::Intermediate;
    // A number on its way: "", "-", ".", "1e", "2.5e-".
    const QString point = QRegularExpression::escape(locale().decimalPoint());
    const QRegularExpression partial(QStringLiteral("^[-+]?\\d*(%1\\d*)?([eE][-+]?\\d*)?$").arg(point));
    return partial.match(t).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
}

} // namespace gdviz
