#include "CommandLine.h"

#include "AtomicFile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <iterator>
#include <utility>

namespace gdviz {

std::optional<CommandLineRequest> parseCommandLine(const QStringList &arguments, QString *message, int *exitCode)
{
    auto fail = [&](const QString &what) -> std::optional<CommandLineRequest> {
        *message = what;
        *exitCode = 2;
        return std::nullopt;
    };
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "gdviz teaches gradient descent: descent paths over cost surfaces, loss curves, and batch vs stochastic\n"
        "vs mini-batch gradient descent side by side.\n\n"
        "Window:   gdviz [--scenario FILE] [--play] [--screenshot OUT.png]\n"
        "Headless: gdviz --headless --scenario FILE --csv OUT.csv [--optimizer-state] [--summary OUT.json] [--png OUT.png --size 1200x900]"));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption headless(QStringLiteral("headless"),
                                      QStringLiteral("Run every run of the scenario to its stop without a window."));
    const QCommandLineOption scenario(QStringLiteral("scenario"), QStringLiteral("The scenario JSON file to open."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption csv(QStringLiteral("csv"),
                                 QStringLiteral("Headless: write the trajectories (one row per update) to this CSV file."),
                                 QStringLiteral("OUT.csv"));
    const QCommandLineOption summary(QStringLiteral("summary"),
                                     QStringLiteral("Headless: write each run's final state and status to this JSON file."),
                                     QStringLiteral("OUT.json"));
    const QCommandLineOption optimizerState(
        QStringLiteral("optimizer-state"),
        QStringLiteral("Headless, with --csv: add the optimizer's state after each update (torch's names: momentum_buffer0, exp_avg0, ...)."));
    const QCommandLineOption png(QStringLiteral("png"), QStringLiteral("Headless: draw the contour plot with the paths to this PNG file."),
                                 QStringLiteral("OUT.png"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Size of the --png picture in pixels (default 1200x900)."),
                                  QStringLiteral("WxH"));
    const QCommandLineOption play(QStringLiteral("play"), QStringLiteral("Window: play every run to its stop as fast as possible."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Window: when done, save a picture of the whole window to this PNG file and exit."),
                                        QStringLiteral("OUT.png"));
    parser.addOptions({headless, scenario, csv, optimizerState, summary, png, size, play, screenshot});

    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(help)) {
        *exitCode = 0;
        parser.showHelp(0); // exits
    }
    if (parser.isSet(version)) {
        *exitCode = 0;
        parser.showVersion(); // exits
    }
    for (const QString &name : parser.optionNames())
        if (parser.optionNames().count(name) > 1)
            return fail(QStringLiteral("--%1: given more than once").arg(name));
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument '%1' (options start with --)").arg(parser.positionalArguments().first()));

    CommandLineRequest request;
    request.headless = parser.isSet(headless);
    request.scenarioPath = parser.value(scenario);
    request.csvPath = parser.value(csv);
    request.summaryPath = parser.value(summary);
    request.pngPath = parser.value(png);
    request.optimizerState = parser.isSet(optimizerState);
    if (request.optimizerState && request.csvPath.isEmpty())
        return fail(QStringLiteral("--optimizer-state: only applies with --csv"));
    if (parser.isSet(size)) {
        static const QRegularExpression pattern(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
        const auto match = pattern.match(parser.value(size));
        if (!match.hasMatch())
            return fail(QStringLiteral("--size: must be WIDTHxHEIGHT in pixels, e.g. 1200x900, got '%1'").arg(parser.value(size)));
        request.pngWidth = match.captured(1).toInt();
        request.pngHeight = match.captured(2).toInt();
        if (request.pngWidth < 100 || request.pngHeight < 100 || request.pngWidth > 10000 || request.pngHeight > 10000)
            return fail(QStringLiteral("--size: each side must be between 100 and 10000 pixels"));
        if (request.pngPath.isEmpty())
            return fail(QStringLiteral("--size: only applies with --png"));
    }
    request.play = parser.isSet(play);
    request.screenshotPath = parser.value(screenshot);
    if (request.headless) {
        for (const QCommandLineOption *option : {&play, &screenshot})
            if (parser.isSet(*option))
                return fail(QStringLiteral("--%1: only for the window, not with --headless").arg(option->names().first()));
    }
    if (!request.headless) {
        for (const QCommandLineOption *option : {&csv, &summary, &png})
            if (parser.isSet(*option))
                return fail(QStringLiteral("--%1: needs --headless").arg(option->names().first()));
    } else {
        if (request.scenarioPath.isEmpty())
            return fail(QStringLiteral("--headless: needs --scenario FILE"));
        if (request.csvPath.isEmpty() && request.summaryPath.isEmpty() && request.pngPath.isEmpty())
            return fail(QStringLiteral("--headless: needs at least one output: --csv, --summary or --png"));
    }
    // An output must be a regular file or absent (a rename over /dev/full would replace the device node), never
    // the scenario file (compared by device and inode, so links are caught) and never another output. The
    // scenario's data CSV is known once the scenario is read: runHeadless() checks it.
    const std::vector<RunInput> inputs = scenarioInputs(request.scenarioPath, {});
    const std::pair<const char *, QString> outputs[] = {
        {"csv", request.csvPath}, {"summary", request.summaryPath}, {"png", request.pngPath}, {"screenshot", request.screenshotPath}};
    for (std::size_t i = 0; i < std::size(outputs); ++i) {
        const auto &[name, path] = outputs[i];
        if (path.isEmpty())
            continue;
        if (const QString problem = outputPathProblem(path, inputs); !problem.isEmpty())
            return fail(QStringLiteral("--%1: '%2' %3").arg(QLatin1String(name), path, problem));
        for (std::size_t j = 0; j < i; ++j)
            if (!outputs[j].second.isEmpty() && sameOutputFile(path, outputs[j].second))
                return fail(QStringLiteral("--%1: '%2' is also the --%3 file").arg(QLatin1String(name), path, QLatin1String(outputs[j].first)));
    }
    return request;
}

} // namespace gdviz
