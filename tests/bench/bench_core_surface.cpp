// Issue 5, items 4 and 5: cost-surface grids and contour lines, computed as the app computes them
// (core/SurfaceGrid on Qt's global thread pool, core/ContourLines). The numpy and contourpy peers are in
// peer_core.py.
//
//   surface_grid/512/rosenbrock   the named function over its default window
//   surface_grid/512/expression   the typed formula kExpressionText over [-5, 5]^2
//   surface_grid/512/logistic_1k  logistic regression over 1,000 samples, its default window
//   contour_lines/512/12_levels   12 contour levels of the Rosenbrock grid, as the app picks them
//
// `bench_core_surface --export-contour-grid=FILE` writes the contour benchmark's grid and levels instead
// of benchmarking (for the contourpy peer, so both sides trace the very same numbers). Layout, little
// endian: int32 nx, int32 ny, int32 level count, 4 doubles xMin xMax yMin yMax, the levels, then the
// nx * ny values row-major (values[j * nx + i] = f(x_i, y_j)).

#include "AnalyticFunctions.h"
#include "ContourLines.h"
#include "ExpressionObjective.h"
#include "RegressionObjectives.h"
#include "SurfaceGrid.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

using namespace gdviz;

namespace {

constexpr int kNodes = 512;
constexpr int kContourLevels = 12;
constexpr const char *kExpressionText = "sin(x) * cos(y) + 0.1 * (x^2 + y^2)";
constexpr std::size_t kLogisticSamples = 1'000;

std::shared_ptr<const Objective> rosenbrock()
{
    return std::make_shared<const AnalyticObjective>(AnalyticKind::Rosenbrock, std::map<std::string, double>{});
}

void sampleGrid(benchmark::State &state, std::shared_ptr<const Objective> objective, const ViewWindow &window)
{
    for (auto _ : state) {
        SurfaceGrid grid = sampleSurface(*objective, window, kNodes, kNodes);
        benchmark::DoNotOptimize(grid.values.data());
    }
    state.counters["nodes"] = double(kNodes) * kNodes;
}

struct ContourInput {
    SurfaceGrid grid;
    std::vector<double> levels;
};

ContourInput contourInput()
{
    const auto objective = rosenbrock();
    ContourInput in;
    in.grid = sampleSurface(*objective, objective->defaultView(), kNodes, kNodes);
    in.levels = contourLevels(in.grid, kContourLevels, prefersLogScale(in.grid));
    return in;
}

void registerAll()
{
    const auto named = rosenbrock();
    benchmark::RegisterBenchmark("surface_grid/512/rosenbrock", [named](benchmark::State &state) {
        sampleGrid(state, named, named->defaultView());
    })->Unit(benchmark::kMillisecond)->UseRealTime();

    ExpressionError error;
    std::optional<Expression> expression = Expression::parse(kExpressionText, &error);
    const ViewWindow square{-5, 5, -5, 5};
    std::shared_ptr<const Objective> formula;
    if (expression)
        formula = std::make_shared<const ExpressionObjective>(std::move(*expression), square);
    benchmark::RegisterBenchmark("surface_grid/512/expression", [formula, square](benchmark::State &state) {
        if (!formula) {
            state.SkipWithError("the benchmark's formula does not parse");
            return;
        }
        sampleGrid(state, formula, square);
    })->Unit(benchmark::kMillisecond)->UseRealTime();

    DataGeneratorSettings settings;
    settings.n = kLogisticSamples;
    settings.seed = 1;
    const auto logistic = std::make_shared<const LogisticRegressionObjective>(
        std::make_shared<const DataSet>(generateLogisticData(settings)));
    benchmark::RegisterBenchmark("surface_grid/512/logistic_1k", [logistic](benchmark::State &state) {
        sampleGrid(state, logistic, logistic->defaultView());
    })->Unit(benchmark::kMillisecond)->UseRealTime();

    benchmark::RegisterBenchmark("contour_lines/512/12_levels", [](benchmark::State &state) {
        const ContourInput in = contourInput();
        std::size_t points = 0;
        for (auto _ : state) {
            const std::vector<ContourLine> lines = traceContours(in.grid, in.levels);
            points = 0;
            for (const ContourLine &line : lines)
                points += line.points.size();
            benchmark::DoNotOptimize(points);
        }
        state.counters["levels"] = double(in.levels.size());
        state.counters["points"] = double(points);
    })->Unit(benchmark::kMillisecond)->UseRealTime();
}

bool exportContourGrid(const std::string &path)
{
    const ContourInput in = contourInput();
    std::ofstream out(path, std::ios::binary);
    const std::int32_t header[3] = {in.grid.nx, in.grid.ny, std::int32_t(in.levels.size())};
    const double window[4] = {in.grid.window.xMin, in.grid.window.xMax, in.grid.window.yMin, in.grid.window.yMax};
    out.write(reinterpret_cast<const char *>(header), sizeof header);
    out.write(reinterpret_cast<const char *>(window), sizeof window);
    out.write(reinterpret_cast<const char *>(in.levels.data()), std::streamsize(in.levels.size() * sizeof(double)));
    out.write(reinterpret_cast<const char *>(in.grid.values.data()),
              std::streamsize(in.grid.values.size() * sizeof(double)));
    return bool(out);
}

} // namespace

int main(int argc, char **argv)
{
    constexpr const char *exportFlag = "--export-contour-grid=";
    if (argc == 2 && std::strncmp(argv[1], exportFlag, std::strlen(exportFlag)) == 0) {
        const std::string path = argv[1] + std::strlen(exportFlag);
        if (exportContourGrid(path))
            return 0;
        std::fprintf(stderr, "bench_core_surface: cannot write %s\n", path.c_str());
        return 1;
    }
    registerAll();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
