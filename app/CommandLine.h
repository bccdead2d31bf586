#pragma once
// gdviz's command line: what the user asked for, checked before anything runs.

#include <QString>
#include <QStringList>

#include <optional>

namespace gdviz {

struct CommandLineRequest {
    bool headless = false;
    QString scenarioPath;
    QString csvPath; // headless outputs; empty when not asked for
    QString summaryPath;
    QString pngPath;
    bool optimizerState = false; // headless --csv: the optimizer's state after each update, in more columns
    int pngWidth = 1200, pngHeight = 900;
    bool play = false; // window: play every run to its stop at once
    QString screenshotPath; // window: save a picture of the window when done, then exit
};

/// Parses arguments (argv as a list). Prints --help / --version itself and sets *exitCode to 0; on bad
/// arguments returns nullopt with *message set to one line naming the option, and *exitCode to 2.
std::optional<CommandLineRequest> parseCommandLine(const QStringList &arguments, QString *message, int *exitCode);

} // namespace gdviz
