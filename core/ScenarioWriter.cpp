#include "ScenarioWriter.h"

#include "AnalyticFunctions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gdviz {

namespace {

QJsonArray pair(double a, double b)
{
    return QJsonArray{a, b};
}

QJsonObject objectiveJson(const ObjectiveSpec &spec)
{
    QJsonObject o{{"kind", QString::fromStdString(spec.kind)}};
    for (const auto &[name, value] : spec.parameters)
        o.insert(QString::fromStdString(name), value);
    if (spec.kind == "expression")
        o.insert("expr", QString::fromStdString(spec.expression));
    if (spec.isData()) {
        QJsonObject data;
        if (spec.generate) {
            const DataGeneratorSettings &g = *spec.generate;
            QJsonObject generate{{"n", qint64(g.n)}, {"x_range", pair(g.xMin, g.xMax)}, {"seed", qint64(g.seed)}};
            if (spec.isLogistic()) {
                generate.insert("balance", g.balance);
                generate.insert("separation", g.separation);
            } else {
                generate.insert("slope", g.slope);
                generate.insert("intercept", g.intercept);
                generate.insert("noise", g.noise);
            }
            data.insert("generate", generate);
        } else {
            data.insert("csv", QString::fromStdString(spec.csvPath));
        }
        if (spec.standardizeX) // false, the default, is left out
            data.insert("standardize_x", true);
        o.insert("data", data);
    }
    return o;
}

QJsonObject scheduleJson(const LearningRateSchedule &s)
{
    using K = LearningRateSchedule::Kind;
    QJsonObject o{{"kind", QString::fromStdString(scheduleKindInfo(s.kind).name)}};
    switch (s.kind) {
    case K::Constant:
        break;
    case K::Step:
        o.insert("step_size", qint64(s.stepSize));
        o.insert("gamma", s.gamma);
        break;
    case K::Exponential:
        o.insert("gamma", s.gamma);
        break;
    case K::InverseTime:
        o.insert("decay", s.decay);
        break;
    case K::Cosine:
        o.insert("t_max", qint64(s.tMax));
        o.insert("eta_min", s.etaMin);
        break;
    }
    return o;
}

QJsonObject runJson(const RunSettings &run, bool data)
{
    const OptimizerInfo &info = optimizerInfo(run.optimizer.kind);
    const OptimizerSettings defaults = OptimizerSettings::defaultsFor(run.optimizer.kind);
    // lr and start always as numbers: a run read with "lr": "recommended" or without "start" is written with the
    // values the objective gave it (ScenarioReader), so the file reads back the same runs even if the table changes.
    QJsonObject o{{"name", QString::fromStdString(run.name)},
                  {"optimizer", QString::fromStdString(info.name)},
                  {"lr", run.optimizer.lr},
                  {"start", pair(run.start[0], run.start[1])}};
    for (const HyperParameterInfo &p : info.parameters) {
        const QString key = QString::fromStdString(p.name);
        switch (p.type) {
        case HyperParameterInfo::Type::Real:
            if (run.optimizer.*p.real != defaults.*p.real)
                o.insert(key, run.optimizer.*p.real);
            break;
        case HyperParameterInfo::Type::Flag:
            if (run.optimizer.*p.flag != defaults.*p.flag)
                o.insert(key, run.optimizer.*p.flag);
            break;
        case HyperParameterInfo::Type::Pair:
            if (run.optimizer.*p.real != defaults.*p.real || run.optimizer.*p.second != defaults.*p.second)
                o.insert(key, pair(run.optimizer.*p.real, run.optimizer.*p.second));
            break;
        }
    }
    if (run.schedule.kind != LearningRateSchedule::Kind::Constant)
        o.insert("schedule", scheduleJson(run.schedule));
    // Analytic objectives ignore batch_size, shuffle and seed, but the reader keeps them, so a file that sets
    // them must read back equal after a save: write them whenever they differ from their defaults.
    const RunSettings runDefaults;
    if (data || run.batchSize != runDefaults.batchSize)
        o.insert("batch_size", run.batchSize == fullBatch ? QJsonValue("full") : QJsonValue(qint64(run.batchSize)));
    if (run.shuffle != runDefaults.shuffle)
        o.insert("shuffle", run.shuffle);
    if (data || run.seed != runDefaults.seed)
        o.insert("seed", qint64(run.seed));
    return o;
}

QJsonObject stopJson(const StopRules &stop, bool data)
{
    QJsonObject o;
    o.insert("max_steps", qint64(stop.maxSteps)); // always: 0 (no limit) must not read back as the default
    if (data && stop.maxEpochs > 0)
        o.insert("max_epochs", stop.maxEpochs);
    if (stop.gradTol > 0)
        o.insert("grad_tol", stop.gradTol);
    if (stop.lossTol > 0)
        o.insert("loss_tol", stop.lossTol);
    if (stop.divergenceBound) // only when the file gave one: else the view rule (StopRules.h)
        o.insert("divergence_bound", *stop.divergenceBound);
    return o;
}

} // namespace

QByteArray scenarioToJson(const Scenario &scenario)
{
    const bool data = scenario.objectiveSpec.isData();
    QJsonArray runs;
    for (const RunSettings &run : scenario.runs)
        runs.append(runJson(run, data));
    QJsonObject top{{"objective", objectiveJson(scenario.objectiveSpec)},
                    {"runs", runs},
                    {"stop", stopJson(scenario.stop, data)}};
    if (scenario.raceBy != RaceClock::Updates) // "updates", the default, is left out (as default hyperparameters are)
        top.insert("race_by", raceClockName(scenario.raceBy));
    if (scenario.view)
        top.insert("view", QJsonObject{{"x", pair(scenario.view->xMin, scenario.view->xMax)},
                                       {"y", pair(scenario.view->yMin, scenario.view->yMax)}});
    return QJsonDocument(top).toJson(QJsonDocument::Indented);
}

} // namespace gdviz
