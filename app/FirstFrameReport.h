#pragma once
// GDVIZ_REPORT_FIRST_FRAME=1: a hook for the start-up benchmark (tests/bench/measure_app_start.py). At the end
// of the main window's first paint it prints "first frame: <ms> ms" on stdout (milliseconds since main()
// began) and quits with status 0. Without the variable it does nothing.

#include <QElapsedTimer>
#include <QObject>

class QWidget;

namespace gdviz {

class FirstFrameReport : public QObject {
public:
    /// Watches window when the environment asks for it; clock started when main() began.
    FirstFrameReport(QWidget *window, const QElapsedTimer &clock);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QElapsedTimer m_clock;
    bool m_reported = false;
};

} // namespace gdviz
