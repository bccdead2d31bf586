#pragma once
// The animation's keys (Space, N, E, R, G, L, the arrows) act whatever has focus, except while text is
// being typed into a field: a number field never takes Space (no number has one), a slider keeps its
// arrow keys while it has focus (fine steps), and Enter or Escape in a field ends the edit and gives the
// focus back to the plots, so the next Space plays.

#include <QObject>
#include <QPointer>

class QWidget;

namespace gdviz {

class AnimationKeys : public QObject {
    Q_OBJECT
public:
    /// Watches every key event of window's widgets (an application-wide event filter, installed here);
    /// home takes the focus when an edit ends.
    AnimationKeys(QWidget *window, QWidget *home);
    ~AnimationKeys() override;

    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QPointer<QWidget> m_window, m_home;
};

} // namespace gdviz
