#pragma once
// Shared by the window suites: the real MainWindow, shown offscreen on the built-in lesson.

#include "MainWindow.h"
#include "RunTable.h"

#include <QTableWidget>
#include <QTest>

#include <memory>

namespace gdviz {

/// A new window of 1400 x 900, shown, on the lesson, once its three runs are in the engine and the table.
/// Fails the calling test (check QTest::currentTestFailed()) when any of that does not happen.
inline void openLessonWindow(std::unique_ptr<MainWindow> &window)
{
    window = std::make_unique<MainWindow>();
    window->resize(1400, 900);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QVERIFY(window->openDefaultLesson());
    QTRY_COMPARE_WITH_TIMEOUT(window->engine().runIds().size(), std::size_t(3), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(window->runTable()->table()->rowCount(), 3, 10000);
}

} // namespace gdviz
