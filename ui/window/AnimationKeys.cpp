#include "AnimationKeys.h"

#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QTimer>

namespace gdviz {

namespace {

/// The spin box a widget belongs to (the box itself, or the line edit inside it), or null.
QAbstractSpinBox *numberField(QObject *widget)
{
    if (auto *box = qobject_cast<QAbstractSpinBox *>(widget))
        return box;
    if (qobject_cast<QLineEdit *>(widget))
        return qobject_cast<QAbstractSpinBox *>(widget->parent());
    return nullptr;
}

bool isArrowKey(int key)
{
    return key == Qt::Key_Left || key == Qt::Key_Right || key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_PageUp
           || key == Qt::Key_PageDown || key == Qt::Key_Home || key == Qt::Key_End;
}

} // namespace

AnimationKeys::AnimationKeys(QWidget *window, QWidget *home)
    : QObject(window)
    , m_window(window)
    , m_home(home)
{
    qApp->installEventFilter(this);
}

AnimationKeys::~AnimationKeys()
{
    qApp->removeEventFilter(this);
}

bool AnimationKeys::eventFilter(QObject *watched, QEvent *event)
{
    const QEvent::Type type = event->type();
    if (type != QEvent::ShortcutOverride && type != QEvent::KeyPress)
        return false;
    auto *widget = qobject_cast<QWidget *>(watched);
    if (!widget || !m_window || widget->window() != m_window)
        return false;
    auto *key = static_cast<QKeyEvent *>(event);
    const bool plain = (key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier;

    if (type == QEvent::ShortcutOverride) {
        // Qt asks the focus widget first whether it wants the key as input; an override it accepts
        // beats the window's shortcut. Decide here instead of the widget.
        if (plain && key->key() == Qt::Key_Space && numberField(widget)) {
            event->ignore(); // not for the field: the shortcut (Play) takes it
            return true;
        }
        if (plain && isArrowKey(key->key()) && qobject_cast<QAbstractSlider *>(widget)) {
            event->accept(); // the slider's own fine steps
            return true;
        }
        return false;
    }

    // KeyPress: Enter or Escape in a field ends the edit (the field commits its value as it loses
    // focus) and hands the focus back to the plots.
    const int k = key->key();
    if ((k == Qt::Key_Return || k == Qt::Key_Enter || k == Qt::Key_Escape) && (numberField(widget) || qobject_cast<QLineEdit *>(widget))) {
        QPointer<QWidget> home = m_home;
        QTimer::singleShot(0, this, [home] {
            if (home)
                home->setFocus(Qt::OtherFocusReason);
        });
    }
    return false;
}

} // namespace gdviz
