#pragma once
// Calls back when a widget receives an event of one type: its font changed (Ctrl++ for a projector), its layout
// asks to be redone. The watcher belongs to the watched object and goes with it.

#include <QEvent>
#include <QMetaObject>
#include <QObject>

#include <functional>
#include <utility>

namespace gdviz {

class EventWatcher : public QObject {
public:
    enum class When { Now, NextTurn };
    /// Calls onEvent as each `type` event reaches watched (before watched handles it), or on the next turn of the
    /// event loop with NextTurn: after watched and its children have taken the change.
    EventWatcher(QObject *watched, QEvent::Type type, std::function<void()> onEvent, When when = When::Now)
        : QObject(watched)
        , m_type(type)
        , m_when(when)
        , m_onEvent(std::move(onEvent))
    {
        watched->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == m_type) {
            if (m_when == When::Now)
                m_onEvent();
            else
                QMetaObject::invokeMethod(this, m_onEvent, Qt::QueuedConnection);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QEvent::Type m_type;
    When m_when;
    std::function<void()> m_onEvent;
};

} // namespace gdviz
