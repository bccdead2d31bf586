#include "KeysOverlay.h"

#include <QKeyEvent>

namespace gdviz {

namespace {

struct KeyHelp {
    const char *keys;
    const char *what;
};

constexpr KeyHelp keyHelp[] = {
    {"Space", "play / pause every run"},
    {"N or \u2192", "one update of every run"},
    {"E", "every run to the end of its next epoch"},
    {"R", "every run back to its start (same seeds: the same replay)"},
    {"G", "gradient and update arrows at the selected run's point"},
    {"L", "logarithmic / linear loss axis"},
    {"Home, or double-click the surface", "the surface's whole default view"},
    {"Click the surface", "move the selected run's start there (Shift: every run's)"},
    {"Ctrl+Z, Ctrl+Shift+Z", "undo, redo an edit"},
    {"Ctrl++, Ctrl+\u2212", "larger, smaller text"},
    {"F5", "presentation mode (Escape leaves it)"},
    {"F11", "full screen"},
    {"Ctrl+O, Ctrl+S, Ctrl+Shift+S", "open, save, save as"},
    {"Ctrl+E, Ctrl+Shift+E", "export the surface plot, the trajectories"},
    {"Enter or Escape in a field", "end the edit: the keys above act again"},
    {"F1 or ?", "this list"},
};

} // namespace

KeysOverlay::KeysOverlay(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("keysOverlay"));
    setAlignment(Qt::AlignCenter);
    setAutoFillBackground(true);
    setStyleSheet(QStringLiteral("QLabel#keysOverlay { background: rgba(20, 28, 36, 225); color: white; }"));
    setFocusPolicy(Qt::StrongFocus);
    QString rows;
    for (const KeyHelp &k : keyHelp)
        rows += QStringLiteral("<tr><td align=right style='padding: 3px 14px'><b>%1</b></td><td style='padding: 3px 14px'>%2</td></tr>")
                    .arg(tr(k.keys).toHtmlEscaped(), tr(k.what).toHtmlEscaped());
    setText(QStringLiteral("<h2>%1</h2><table>%2</table><p style='color: #bbb'>%3</p>")
                .arg(tr("Keys"), rows, tr("Any key or click closes this list.")));
    hide();
}

void KeysOverlay::popUp()
{
    setGeometry(parentWidget()->rect());
    raise();
    show();
    setFocus(Qt::PopupFocusReason);
}

bool KeysOverlay::event(QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride) { // every key closes the list; none plays or steps
        event->accept();
        return true;
    }
    return QLabel::event(event);
}

void KeysOverlay::keyPressEvent(QKeyEvent *event)
{
    event->accept();
    hide();
}

void KeysOverlay::mousePressEvent(QMouseEvent *event)
{
    event->accept();
    hide();
}

void KeysOverlay::focusOutEvent(QFocusEvent *)
{
    hide();
}

} // namespace gdviz
