#include "FirstFrameReport.h"

#include <QCoreApplication>
#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <iostream>

namespace gdviz {

FirstFrameReport::FirstFrameReport(QWidget *window, const QElapsedTimer &clock)
    : QObject(window)
    , m_clock(clock)
{
    if (qEnvironmentVariableIntValue("GDVIZ_REPORT_FIRST_FRAME") == 1)
        window->installEventFilter(this);
}

bool FirstFrameReport::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Paint && !m_reported) {
        m_reported = true;
        // Queued: the children are painted in the same pass, after the window's own paint event.
        QTimer::singleShot(0, this, [this] {
            std::cout << "first frame: " << double(m_clock.nsecsElapsed()) / 1e6 << " ms" << std::endl;
            QCoreApplication::quit();
        });
    }
    return QObject::eventFilter(watched, event);
}

} // namespace gdviz
