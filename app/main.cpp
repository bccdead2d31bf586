// gdviz: gradient descent, visualized. The window, or --headless.

#include "CommandLine.h"
#include "FirstFrameReport.h"
#include "HeadlessRun.h"
#include "MainWindow.h"

#include <QApplication>
#include <QElapsedTimer>

#include <iostream>

int main(int argc, char *argv[])
{
    QElapsedTimer clock; // for GDVIZ_REPORT_FIRST_FRAME
    clock.start();
    QCoreApplication::setApplicationName(QStringLiteral("gdviz"));
    QCoreApplication::setOrganizationName(QStringLiteral("gdviz"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GDVIZ_VERSION));

    // The arguments are checked before any application object exists, so --help, --version and bad
    // arguments never need a display.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    QString message;
    int exitCode = 0;
    const auto request = gdviz::parseCommandLine(arguments, &message, &exitCode);
    if (!request) {
        std::cerr << "gdviz: " << message.toStdString() << " (gdviz --help lists the options)" << std::endl; // one line
        return exitCode;
    }

    if (request->headless) {
        // No display: only --png draws, offscreen.
        if (request->pngPath.isEmpty()) {
            QCoreApplication app(argc, argv);
            return gdviz::runHeadless(*request);
        }
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication app(argc, argv);
        return gdviz::runHeadless(*request);
    }

    QApplication app(argc, argv);
    gdviz::MainWindow window;
    if (request->scenarioPath.isEmpty())
        window.openDefaultLesson();
    else
        window.openScenarioFile(request->scenarioPath);
    if (!request->screenshotPath.isEmpty()) {
        window.screenshotWhenDone(request->screenshotPath, request->play);
    } else if (request->play) {
        window.playWhenLoaded();
    }
    QObject::connect(&window, &gdviz::MainWindow::scenarioFileOpened, &window, [&window](bool ok) {
        if (!ok)
            std::cerr << "gdviz: " << window.bannerText().toStdString() << std::endl;
    });
    new gdviz::FirstFrameReport(&window, clock);
    window.fitToScreen();
    window.show();
    return QApplication::exec();
}
