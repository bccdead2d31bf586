// gdviz: gradient descent, visualized. The window, or --headless.

#include "CommandLine.h"
#include "HeadlessRun.h"
#include "MainWindow.h"

#include <QApplication>

#include <cstring>
#include <iostream>
#include <memory>

namespace {

bool argumentGiven(int argc, char *argv[], const char *name)
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], name) == 0)
            return true;
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    // Headless runs need no display; only --png draws, offscreen.
    const bool headless = argumentGiven(argc, argv, "--headless");
    if (headless && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> app;
    if (headless && !argumentGiven(argc, argv, "--png"))
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gdviz"));
    QCoreApplication::setOrganizationName(QStringLiteral("gdviz"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GDVIZ_VERSION));

    QString message;
    int exitCode = 0;
    const auto request = gdviz::parseCommandLine(QCoreApplication::arguments(), &message, &exitCode);
    if (!request) {
        std::cerr << "gdviz: " << message.toStdString() << "\nTry 'gdviz --help'." << std::endl;
        return exitCode;
    }
    if (request->headless)
        return gdviz::runHeadless(*request);

    gdviz::MainWindow window;
    if (request->scenarioPath.isEmpty())
        window.openDefaultLesson();
    else
        window.openScenarioFile(request->scenarioPath);
    if (!request->screenshotPath.isEmpty() || request->play) {
        if (!request->screenshotPath.isEmpty())
            window.screenshotWhenDone(request->screenshotPath, request->play);
        else
            QObject::connect(&window.engine(), &gdviz::DescentEngine::scenarioLoaded, &window, [&window] {
                window.engine().setSpeed(gdviz::asFastAsPossible);
                window.engine().play();
            });
    }
    if (!request->scenarioPath.isEmpty())
        QObject::connect(&window, &gdviz::MainWindow::scenarioFileOpened, &window, [&](bool ok) {
            if (!ok)
                std::cerr << "gdviz: " << window.bannerText().toStdString() << std::endl;
        });
    window.resize(1600, 1000);
    window.show();
    return QApplication::exec();
}
