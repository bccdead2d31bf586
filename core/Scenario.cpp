#include "Scenario.h"

#include "AnalyticFunctions.h"
#include "ExpressionObjective.h"
#include "MessageText.h"
#include "RegressionObjectives.h"
#include "ScenarioReader.h" // maxPathCharacters

#include <cmath>
#include <filesystem>

namespace gdviz {

std::shared_ptr<const Objective> buildObjective(const ObjectiveSpec &spec, const std::string &baseDir,
                                                std::shared_ptr<const DataSet> *data, std::string *error)
{
    auto fail = [error](std::string message) -> std::shared_ptr<const Objective> {
        if (error)
            *error = std::move(message);
        return nullptr;
    };
    if (const AnalyticFunctionInfo *info = findAnalyticFunction(spec.kind))
        return std::make_shared<AnalyticObjective>(info->kind, spec.parameters);

    if (spec.kind == "expression") {
        ExpressionError parseError;
        auto expression = Expression::parse(spec.expression, &parseError);
        if (!expression)
            return fail("objective.expr: position " + std::to_string(parseError.position + 1) + ": " + parseError.message);
        return std::make_shared<ExpressionObjective>(std::move(*expression), ViewWindow{-3, 3, -3, 3});
    }

    if (!spec.isData())
        return fail("objective.kind: unknown objective '" + spec.kind + "'");
    std::optional<DataSet> loaded;
    if (spec.generate) {
        loaded = spec.isLogistic() ? generateLogisticData(*spec.generate) : generateLinearData(*spec.generate);
    } else {
        std::filesystem::path path(spec.csvPath);
        if (path.is_relative() && !baseDir.empty())
            path = std::filesystem::path(baseDir) / path;
        std::string csvError;
        loaded = readDataCsv(path.string(), spec.isLogistic(), &csvError);
        if (!loaded)
            return fail("objective.data.csv: " + excerpt(spec.csvPath, maxPathCharacters) + ": " + csvError); // one line, whatever the path holds
    }
    std::string scalingError;
    if (spec.standardizeX && !standardizeX(&*loaded, &scalingError))
        return fail("objective.data.standardize_x: " + scalingError);
    auto samples = std::make_shared<const DataSet>(std::move(*loaded));
    if (data)
        *data = samples;
    if (spec.isLogistic())
        return std::make_shared<LogisticRegressionObjective>(samples);
    return std::make_shared<LinearRegressionObjective>(samples);
}

std::string checkFiniteSomewhere(const Scenario &scenario)
{
    if (scenario.objectiveSpec.kind != "expression")
        return {};
    const Objective &objective = *scenario.objective;
    for (const RunSettings &run : scenario.runs)
        if (std::isfinite(objective.evaluate(run.start, nullptr)))
            return {};
    const ViewWindow view = scenario.viewWindow();
    constexpr int cells = 32;
    for (int i = 0; i <= cells; ++i)
        for (int j = 0; j <= cells; ++j) {
            const Vec2 p(view.xMin + (view.xMax - view.xMin) * i / cells, view.yMin + (view.yMax - view.yMin) * j / cells);
            if (std::isfinite(objective.evaluate(p, nullptr)))
                return {};
        }
    return "objective.expr: not a finite number anywhere in the view or at any start point"
           " (a division by zero, the log or square root of a negative number, or an overflow like exp(1000))";
}

} // namespace gdviz
