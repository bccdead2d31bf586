#include "FormulaErrorView.h"

#include "Expression.h"

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace gdviz {

namespace {
const QString errorColor = QStringLiteral("#c62828");
} // namespace

FormulaErrorView::FormulaErrorView(QWidget *parent)
    : QWidget(parent)
{
    m_formula = new QLabel(this);
    m_formula->setObjectName(QStringLiteral("formulaCaret"));
    m_formula->setTextFormat(Qt::RichText);
    m_formula->setToolTip(tr("The formula as typed, with a caret under the character where it stopped making sense."));
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("formulaError"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: %1;").arg(errorColor));
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setToolTip(tr("Why the formula cannot be used yet; the surface keeps the last valid objective until it is fixed."));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_formula);
    layout->addWidget(m_message);
}

std::size_t FormulaErrorView::characterIndex(const QByteArray &utf8, std::size_t byteOffset)
{
    std::size_t characters = 0;
    const std::size_t end = std::min<std::size_t>(byteOffset, std::size_t(utf8.size()));
    for (std::size_t i = 0; i < end; ++i)
        if ((static_cast<unsigned char>(utf8[qsizetype(i)]) & 0xc0) != 0x80) // not a continuation byte
            ++characters;
    // An offset inside a character points at that character, whose first byte was counted above.
    if (end < std::size_t(utf8.size()) && end > 0 && (static_cast<unsigned char>(utf8[qsizetype(end)]) & 0xc0) == 0x80)
        --characters;
    return characters + (byteOffset > end ? byteOffset - end : 0);
}

void FormulaErrorView::showError(const QString &formula, const ExpressionError &error)
{
    const QByteArray utf8 = formula.toUtf8();
    const std::size_t index = characterIndex(utf8, error.position);
    m_message->setText(tr("position %1: %2").arg(index + 1).arg(QString::fromStdString(error.message)));

    // One column per character: tabs and line breaks would move the caret, so they show as spaces.
    QList<uint> characters = formula.toUcs4();
    for (uint &c : characters)
        if (c == '\t' || c == '\n' || c == '\r')
            c = ' ';
    qsizetype first = 0;
    qsizetype caret = qsizetype(index);
    qsizetype count = characters.size();
    QString before, after;
    if (count > maxShownCharacters) { // a window around the caret
        first = std::clamp<qsizetype>(caret - maxShownCharacters / 2, 0, count - maxShownCharacters);
        if (first > 0)
            before = QStringLiteral("…");
        if (first + maxShownCharacters < count)
            after = QStringLiteral("…");
        count = maxShownCharacters;
    }
    const QString shown = before + QString::fromUcs4(reinterpret_cast<const char32_t *>(characters.constData()) + first, count) + after;
    const qsizetype column = before.size() + (caret - first);
    m_formula->setText(QStringLiteral("<pre style=\"margin:0\">%1\n%2<span style=\"color:%3; font-weight:bold\">^</span></pre>")
                           .arg(shown.toHtmlEscaped(), QString(column, QLatin1Char(' ')), errorColor));
}

void FormulaErrorView::showMessage(const QString &message)
{
    m_formula->clear();
    m_message->setText(message);
}

void FormulaErrorView::clear()
{
    m_formula->clear();
    m_message->clear();
}

QString FormulaErrorView::message() const
{
    return m_message->text();
}

void FormulaErrorView::setMonospaceFont(const QFont &font)
{
    m_formula->setFont(font);
}

} // namespace gdviz
