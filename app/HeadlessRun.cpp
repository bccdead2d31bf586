#include "HeadlessRun.h"

#include "AtomicFile.h"
#include "BatchSchedule.h"
#include "MessageText.h"
#include "NumberText.h"
#include "Race.h"
#include "ScenarioPicture.h"
#include "ScenarioReader.h"
#include "TrajectoryWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDir>
#include <QTemporaryFile>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <iostream>

namespace gdviz {

namespace {

int failWith(const std::string &message)
{
    std::cerr << "gdviz: " << oneLine(message) << std::endl; // a path as given may hold a newline
    return 2;
}

QJsonValue finiteOrNull(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

/// At most how many updates the scenario's stop rules let the run make: max_steps, or max_epochs times the
/// updates of an epoch (n samples in batches of the run's size, the last batch of an epoch smaller: ceil(n / b)),
/// whichever ends it first; with the field that decides. Infinite when neither is set. In long double, so that
/// max_epochs near 1e308 times an epoch's updates still compares (and prints) as a number.
std::pair<long double, const char *> updateBound(const Scenario &scenario, const RunSettings &run)
{
    const StopRules &stop = scenario.stop;
    long double updates = std::numeric_limits<long double>::infinity();
    const char *field = "stop.max_steps";
    if (stop.maxSteps > 0)
        updates = stop.maxSteps;
    if (stop.maxEpochs > 0 && scenario.data && scenario.data->size() > 0) {
        const long double n = scenario.data->size();
        const long double batch = run.batchSize == fullBatch ? n : std::min(n, (long double)run.batchSize);
        const long double byEpochs = std::ceil((long double)stop.maxEpochs * std::ceil(n / batch));
        if (byEpochs < updates) {
            updates = byEpochs;
            field = "stop.max_epochs";
        }
    }
    return {updates, field};
}

/// Empty when the stop rules bound the work within maxHeadlessUpdates (maxHeadlessCsvUpdates when a CSV is
/// written), else the message naming the field.
std::string workProblem(const Scenario &scenario, bool csv)
{
    long double total = 0, largest = -1;
    std::string field = "stop.max_steps";
    for (const RunSettings &run : scenario.runs) {
        const auto [updates, decides] = updateBound(scenario, run);
        total += updates;
        if (updates > largest) {
            largest = updates;
            field = decides;
        }
    }
    if (total <= (csv ? maxHeadlessCsvUpdates : maxHeadlessUpdates))
        return {};
    char amount[64];
    std::snprintf(amount, sizeof amount, total < 1e15L ? "%.0Lf" : "about %.3Lg", total);
    const std::size_t runs = scenario.runs.size();
    const std::string limit = "; --headless runs at most " + std::to_string(maxHeadlessUpdates) + " updates in all, "
                              + std::to_string(maxHeadlessCsvUpdates) + " with --csv";
    if (field == "stop.max_steps")
        return field + ": " + std::to_string(scenario.stop.maxSteps) + " updates"
               + (runs == 1 ? std::string() : " for each of " + std::to_string(runs) + " runs is " + amount + " in all") + limit;
    return field + ": " + shortestNumber(scenario.stop.maxEpochs) + " epochs"
           + (runs == 1 ? std::string() : " of " + std::to_string(runs) + " runs") + " come to " + amount
           + " updates (an epoch is n / batch size updates, rounded up)" + limit;
}

} // namespace

int runHeadless(const CommandLineRequest &request)
{
    std::string error;
    const auto scenario = readScenario(request.scenarioPath.toStdString(), &error);
    if (!scenario)
        return failWith(error);
    // "max_steps": 0 is "no limit": fine in the window (the user presses Pause), endless here.
    if (scenario->stop.maxSteps == 0 && scenario->stop.maxEpochs == 0)
        return failWith(request.scenarioPath.toStdString()
                        + ": stop.max_steps: 0 means no limit, which --headless cannot run to the end; give max_steps or max_epochs");
    // Nor may the limits be so large that the run would not end in any reasonable time, or fill the disk.
    if (const std::string problem = workProblem(*scenario, !request.csvPath.isEmpty()); !problem.empty())
        return failWith(request.scenarioPath.toStdString() + ": " + problem);

    // The command line refused outputs over the scenario file; now that the scenario is read, its data CSV too.
    const ObjectiveSpec &spec = scenario->objectiveSpec;
    const QString dataCsv = spec.isData() && !spec.generate ? QString::fromStdString(spec.csvPath) : QString();
    const std::vector<RunInput> inputs = scenarioInputs(request.scenarioPath, dataCsv);
    const std::pair<const char *, QString> outputs[] = {{"csv", request.csvPath}, {"summary", request.summaryPath}, {"png", request.pngPath}};
    for (const auto &[name, path] : outputs)
        if (!path.isEmpty())
            if (const QString problem = outputPathProblem(path, inputs); !problem.isEmpty())
                return failWith(QStringLiteral("--%1: '%2' %3").arg(QLatin1String(name), path, problem).toStdString());

    // Every output is written to a temporary beside it and replaces the old file only once everything succeeded:
    // a run that fails half-way (a picture that cannot be written, a full disk) leaves every old output as it was.
    // The temporaries are made before anything runs, so a folder that cannot take them is reported at once.
    std::optional<AtomicFileWriter> csvOut, pngOut, summaryOut;
    for (const auto &[path, out] : {std::pair{&request.csvPath, &csvOut}, std::pair{&request.pngPath, &pngOut},
                                    std::pair{&request.summaryPath, &summaryOut}}) {
        if (path->isEmpty())
            continue;
        QString reason;
        if (!out->emplace(*path).open(&reason))
            return failWith(path->toStdString() + ": cannot write the file: " + reason.toStdString());
    }
    auto writeFailed = [](const QString &path, AtomicFileWriter &out) {
        QString reason;
        out.finishWriting(&reason);
        return failWith(path.toStdString() + ": writing failed: " + reason.toStdString());
    };

    std::optional<TrajectoryCsvWriter> csv;
    if (csvOut) {
        // streamed: millions of rows are never held in memory
        csv.emplace(csvOut->stream(), request.optimizerState ? stateColumnsFor(scenario->runs) : StateColumns{});
        csv->writeHeader();
    }

    QJsonArray runs;
    std::vector<Trajectory> trajectories; // kept only for --png
    Race race(*scenario);
    for (const RunId id : race.runIds()) {
        const auto started = std::chrono::steady_clock::now();
        const Run &run = race.run(id);
        const std::string &name = run.settings().name;
        const bool picture = !request.pngPath.isEmpty();
        if (picture)
            trajectories.emplace_back().append(run.current());
        // With --optimizer-state each row holds the state after its update, so the run goes one update at a time.
        auto writeRow = [&](const StepRecord &record) {
            if (request.optimizerState)
                csv->writeRow(name, record, run.settings().optimizer, run.optimizerState());
            else
                csv->writeRow(name, record);
        };
        if (csv)
            writeRow(run.current());
        const long chunk = request.optimizerState ? 1 : 4096;
        while (run.isRunning() && picture && !csv)
            race.advance(id, 4096, trajectories.back()); // straight into the trajectory, no copy
        while (run.isRunning()) {
            race.advance(id, chunk, [&](RunId, std::span<const StepRecord> records) {
                if (csv)
                    for (const StepRecord &record : records)
                        writeRow(record);
                if (picture)
                    trajectories.back().append(records);
            });
            if (csvOut && !csvOut->stream()) // a full disk: stop now rather than compute the rest for nothing
                return writeFailed(request.csvPath, *csvOut);
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const StepRecord &last = run.current();
        QJsonObject entry{{"name", QString::fromStdString(name)},
                          {"status", statusName(run.status())},
                          {"final_theta", QJsonArray{finiteOrNull(last.theta[0]), finiteOrNull(last.theta[1])}},
                          {"final_loss", finiteOrNull(last.loss)},
                          {"steps", qint64(last.step)},
                          {"epochs", last.epoch},
                          {"wall_time_s", seconds}};
        if (!run.statusReason().empty())
            entry.insert("reason", QString::fromStdString(run.statusReason()));
        runs.append(entry);
    }

    if (pngOut) {
        // The plot code writes the picture to a path: a private temporary, then copied into the atomic output.
        QTemporaryFile picture(QDir(QDir::tempPath()).filePath(QStringLiteral("gdviz-XXXXXX.png")));
        if (!picture.open())
            return failWith(request.pngPath.toStdString() + ": cannot draw the picture: no temporary file: "
                            + picture.errorString().toStdString());
        picture.close();
        QString error;
        if (!renderScenarioPicture(*scenario, trajectories, picture.fileName(), request.pngWidth, request.pngHeight, &error)
            || !picture.open())
            return failWith(request.pngPath.toStdString() + ": cannot draw the picture");
        const QByteArray png = picture.readAll();
        pngOut->stream().write(png.constData(), std::streamsize(png.size()));
    }
    if (summaryOut) {
        const QByteArray json = QJsonDocument(QJsonObject{{"scenario", request.scenarioPath}, {"runs", runs}}).toJson();
        summaryOut->stream().write(json.constData(), std::streamsize(json.size()));
    }

    // Every output complete in its temporary, and every path still one that may be replaced, before any old file
    // is replaced: the renames come last, and only a rename itself failing could leave an earlier one done.
    const std::pair<const QString *, std::optional<AtomicFileWriter> *> outputFiles[] = {
        {&request.csvPath, &csvOut}, {&request.pngPath, &pngOut}, {&request.summaryPath, &summaryOut}};
    for (const auto &[path, out] : outputFiles)
        if (*out)
            if (QString reason; !(*out)->readyToReplace(&reason))
                return failWith(path->toStdString() + ": cannot write the file: " + reason.toStdString());
    for (const auto &[path, out] : outputFiles)
        if (*out)
            if (QString reason; !(*out)->commit(&reason))
                return failWith(path->toStdString() + ": cannot write the file: " + reason.toStdString());
    return 0;
}

} // namespace gdviz
