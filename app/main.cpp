// gdviz: gradient descent, visualized. The window, or --headless.

#include "CommandLine.h"
#include "FirstFrameReport.h"
#include "HeadlessRun.h"
#include "MainWindow.h"
#include "MessageText.h"

#include <QApplication>
#include <QElapsedTimer>

#include <iostream>

namespace {

/// Headless, stderr is gdviz's own: exactly one "gdviz: ..." line per failure, which scripts may parse. Qt's
/// messages and those of the libraries it wraps (QStandardPaths on a missing XDG_RUNTIME_DIR, libpng's warnings
/// and errors through Qt's image writer, font configuration) are dropped here; every failure they accompany is
/// reported by gdviz itself. Only a fatal one, which ends the process, is said, as one gdviz line.
void headlessMessageHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type != QtFatalMsg)
        return;
    std::cerr << "gdviz: internal error: " << gdviz::excerpt(message.toStdString(), 200) << std::endl;
}

} // namespace

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
        std::cerr << "gdviz: " << gdviz::oneLine(message.toStdString()) << " (gdviz --help lists the options)" << std::endl; // one line
        return exitCode;
    }

    if (request->headless) {
        qInstallMessageHandler(headlessMessageHandler);
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
            std::cerr << "gdviz: " << gdviz::oneLine(window.bannerText().toStdString()) << std::endl;
    });
    new gdviz::FirstFrameReport(&window, clock);
    window.fitToScreen();
    window.show();
    return QApplication::exec();
}
