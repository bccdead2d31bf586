// gdviz: gradient descent, visualized. The window, or --headless.

#include "CommandLine.h"
#include "HeadlessRun.h"

#include <QCoreApplication>

#include <iostream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
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
    std::cerr << "gdviz: the window is not built yet; use --headless (see gdviz --help)." << std::endl;
    return 2;
}
