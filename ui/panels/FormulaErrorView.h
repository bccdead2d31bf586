#pragma once
// Where a typed formula went wrong, shown under its box as a compiler would: the formula in a
// monospace font, a red caret under the offending character, and the parser's message in red
// ("position 7: unknown name 'sn' (known names: ...)"). Long formulas show a window around the caret.

#include <QWidget>

#include <cstddef>

class QLabel;

namespace gdviz {

struct ExpressionError;

class FormulaErrorView : public QWidget {
    Q_OBJECT
public:
    /// At most this many characters of the formula are shown, "…" marking what is cut.
    static constexpr int maxShownCharacters = 32;

    explicit FormulaErrorView(QWidget *parent = nullptr);

    /// The character (Unicode code point) index of UTF-8 byte offset byteOffset in utf8: the parser
    /// counts bytes, people count characters (in "x² + sn(y)" the s is byte 6, character 5). An offset
    /// inside a character counts as that character; one past the end gives the number of characters.
    static std::size_t characterIndex(const QByteArray &utf8, std::size_t byteOffset);

    /// Shows error for formula (the text that was parsed).
    void showError(const QString &formula, const ExpressionError &error);
    /// An error that has no position in the formula (e.g. "not a finite number anywhere in the view"):
    /// the message alone, no caret.
    void showMessage(const QString &message);
    /// No error: both lines empty.
    void clear();
    /// The message shown, e.g. "position 7: unknown name 'sn' ..."; empty when there is none.
    QString message() const;

    /// The monospace font follows the size of the widget's font (projector zoom).
    void setMonospaceFont(const QFont &font);

private:
    QLabel *m_formula = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace gdviz
