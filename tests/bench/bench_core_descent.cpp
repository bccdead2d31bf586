// Issue 5, items 1-3: descent updates per second, stepped exactly as the app steps them (core/Race) and every
// record kept in a core/Trajectory, written straight into it as the headless run records a picture's runs
// (Race::advance into a trajectory).
// The numpy peers doing the same updates are in peer_core.py.
//
//   analytic_updates/rosenbrock/<gd|momentum|adam>  10,000 updates on Rosenbrock (a=1, b=100) from (-1.5, 2)
//   analytic_steps/rosenbrock/<gd|momentum|adam>    the same updates by Run::step() alone, nothing recorded:
//                                                   how much of the above is the recording
//   full_batch_linear/1M                             full-batch GD on linear regression, 1,000,000 samples
//   full_batch_linear/1M@read pass                   the bandwidth limit: one plain sum over the same x and y
//   minibatch_linear/100k/<mini32|stochastic>        shuffled batches of 32 / 1 over 100,000 samples
//
// Counters: "updates" (and for full batches "samples") per iteration, so the runner can print rates.

#include "AnalyticFunctions.h"
#include "DataSet.h"
#include "Race.h"
#include "RegressionObjectives.h"
#include "Trajectory.h"

#include <benchmark/benchmark.h>

#include <Eigen/Core>

#include <memory>
#include <string>

using namespace gdviz;

namespace {

constexpr long kAnalyticUpdates = 10'000;
constexpr std::size_t kFullBatchSamples = 1'000'000;
constexpr long kFullBatchUpdates = 10;
constexpr std::size_t kMiniBatchSamples = 100'000;
constexpr long kMiniBatchUpdates = 200;

Scenario scenarioWith(std::shared_ptr<const Objective> objective, const RunSettings &run, long maxSteps)
{
    Scenario scenario;
    scenario.objective = std::move(objective);
    scenario.runs = {run};
    scenario.stop.maxSteps = maxSteps;
    return scenario;
}

/// Steps the one run of scenario `updates` times as the engine's worker does, recording every record.
void stepRace(benchmark::State &state, const Scenario &scenario, long updates)
{
    for (auto _ : state) {
        Race race(scenario);
        Trajectory trajectory;
        const long done = race.advance(0, updates, trajectory);
        if (done != updates || race.run(0).status() == RunStatus::Diverged) {
            state.SkipWithError("the run ended before its updates were done");
            return;
        }
        benchmark::DoNotOptimize(trajectory.last().theta.data());
    }
}

std::shared_ptr<const DataSet> linearData(std::size_t n)
{
    DataGeneratorSettings settings;
    settings.n = n;
    settings.seed = 1;
    return std::make_shared<const DataSet>(generateLinearData(settings));
}

void registerAnalytic()
{
    auto rosenbrock = std::make_shared<const AnalyticObjective>(AnalyticKind::Rosenbrock, std::map<std::string, double>{});
    struct Case {
        const char *name;
        OptimizerSettings optimizer;
    };
    OptimizerSettings gd = OptimizerSettings::defaultsFor(OptimizerKind::Sgd);
    gd.lr = 5e-4;
    OptimizerSettings momentum = gd;
    momentum.lr = 1e-4;
    momentum.momentum = 0.9;
    OptimizerSettings adam = OptimizerSettings::defaultsFor(OptimizerKind::Adam);
    adam.lr = 1e-2;
    for (const Case &c : {Case{"gd", gd}, Case{"momentum", momentum}, Case{"adam", adam}}) {
        RunSettings run;
        run.optimizer = c.optimizer;
        run.start = Vec2(-1.5, 2.0);
        const Scenario scenario = scenarioWith(rosenbrock, run, kAnalyticUpdates);
        benchmark::RegisterBenchmark((std::string("analytic_updates/rosenbrock/") + c.name).c_str(),
                                     [scenario](benchmark::State &state) {
                                         stepRace(state, scenario, kAnalyticUpdates);
                                         state.counters["updates"] = double(kAnalyticUpdates);
                                     })
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((std::string("analytic_steps/rosenbrock/") + c.name).c_str(),
                                     [scenario](benchmark::State &state) {
                                         for (auto _ : state) {
                                             Run run(scenario.objective, scenario.runs.front(), scenario.stop);
                                             while (run.isRunning())
                                                 benchmark::DoNotOptimize(run.step().theta.data());
                                             if (run.current().step != kAnalyticUpdates) {
                                                 state.SkipWithError("the run ended before its updates were done");
                                                 return;
                                             }
                                         }
                                         state.counters["updates"] = double(kAnalyticUpdates);
                                     })
            ->Unit(benchmark::kMillisecond);
    }
}

void registerFullBatch()
{
    auto data = linearData(kFullBatchSamples);
    RunSettings run;
    run.optimizer.lr = 0.05;
    run.batchSize = fullBatch;
    const Scenario scenario = scenarioWith(std::make_shared<const LinearRegressionObjective>(data), run,
                                           kFullBatchUpdates);
    const double samples = double(kFullBatchUpdates) * double(kFullBatchSamples);
    benchmark::RegisterBenchmark("full_batch_linear/1M", [scenario, samples](benchmark::State &state) {
        stepRace(state, scenario, kFullBatchUpdates);
        state.counters["updates"] = double(kFullBatchUpdates);
        state.counters["samples"] = samples;
    })->Unit(benchmark::kMillisecond);

    // The physical limit: each update must at least read every x and y once. A plain sum over both arrays,
    // as many passes as updates above; Eigen vectorizes it with several accumulators, so it runs at the
    // speed memory (here: the last-level cache) delivers the bytes.
    benchmark::RegisterBenchmark("full_batch_linear/1M@read pass", [data, samples](benchmark::State &state) {
        const Eigen::Index n = Eigen::Index(data->size());
        Eigen::Map<const Eigen::ArrayXd> x(data->x.data(), n), y(data->y.data(), n);
        for (auto _ : state) {
            double total = 0;
            for (long pass = 0; pass < kFullBatchUpdates; ++pass) {
                total += x.sum() + y.sum();
                benchmark::ClobberMemory();
            }
            benchmark::DoNotOptimize(total);
        }
        state.counters["updates"] = double(kFullBatchUpdates);
        state.counters["samples"] = samples;
    })->Unit(benchmark::kMillisecond);
}

void registerMiniBatch()
{
    auto objective = std::make_shared<const LinearRegressionObjective>(linearData(kMiniBatchSamples));
    for (const auto &[name, batch] : {std::pair{"mini32", 32L}, std::pair{"stochastic", 1L}}) {
        RunSettings run;
        run.optimizer.lr = batch == 1 ? 0.002 : 0.02;
        run.batchSize = batch;
        run.shuffle = true;
        run.seed = 7;
        const Scenario scenario = scenarioWith(objective, run, kMiniBatchUpdates);
        benchmark::RegisterBenchmark((std::string("minibatch_linear/100k/") + name).c_str(),
                                     [scenario](benchmark::State &state) {
                                         stepRace(state, scenario, kMiniBatchUpdates);
                                         state.counters["updates"] = double(kMiniBatchUpdates);
                                     })
            ->Unit(benchmark::kMillisecond);
    }
}

} // namespace

int main(int argc, char **argv)
{
    registerAnalytic();
    registerFullBatch();
    registerMiniBatch();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
