#include "HeadlessRun.h"

#include "AtomicFile.h"
#include "Race.h"
#include "ScenarioPicture.h"
#include "ScenarioReader.h"
#include "TrajectoryWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>

namespace gdviz {

namespace {

int failWith(const std::string &message)
{
    std::cerr << "gdviz: " << message << std::endl;
    return 2;
}

QJsonValue finiteOrNull(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
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

    std::ofstream csvFile;
    std::optional<TrajectoryCsvWriter> csv;
    if (!request.csvPath.isEmpty()) {
        csvFile.open(request.csvPath.toStdString(), std::ios::binary | std::ios::trunc);
        if (!csvFile)
            return failWith(request.csvPath.toStdString() + ": cannot write the file");
        csv.emplace(csvFile);
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
        if (csv)
            csv->writeRow(name, run.current());
        while (run.isRunning() && picture && !csv)
            race.advance(id, 4096, trajectories.back()); // straight into the trajectory, no copy
        while (run.isRunning())
            race.advance(id, 4096, [&](RunId, std::span<const StepRecord> records) {
                if (csv)
                    for (const StepRecord &record : records)
                        csv->writeRow(name, record);
                if (picture)
                    trajectories.back().append(records);
            });
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
    if (csv) {
        csvFile.flush();
        if (!csvFile)
            return failWith(request.csvPath.toStdString() + ": writing failed (disk full?)");
    }

    if (!request.pngPath.isEmpty()) {
        QString error;
        if (!renderScenarioPicture(*scenario, trajectories, request.pngPath, request.pngWidth, request.pngHeight, &error))
            return failWith(error.toStdString());
    }

    if (!request.summaryPath.isEmpty()) {
        const QByteArray json = QJsonDocument(QJsonObject{{"scenario", request.scenarioPath}, {"runs", runs}}).toJson();
        if (QString reason; !writeFileAtomically(request.summaryPath, json, &reason))
            return failWith(request.summaryPath.toStdString() + ": cannot write the file: " + reason.toStdString());
    }
    return 0;
}

} // namespace gdviz
