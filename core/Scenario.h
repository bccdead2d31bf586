#pragma once
// A scenario: one objective, several runs racing from their own start points, stop rules and an
// optional view window. The JSON shape is the contract described in README.md ("Scenario files").

#include "DataSet.h"
#include "Objective.h"
#include "Run.h"
#include "StopRules.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gdviz {

/// The objective as the file describes it (kept so that a scenario can be saved again as written).
struct ObjectiveSpec {
    std::string kind; // "rosenbrock", "expression", "linear_regression", ...
    std::map<std::string, double> parameters; // named functions: e.g. {"a": 1, "b": 100}
    std::string expression; // kind "expression"
    // Data objectives: exactly one of csvPath or generate.
    std::string csvPath; // as written in the file, relative to the scenario's folder
    std::optional<DataGeneratorSettings> generate;
    // "standardize_x": x replaced by (x - mean) / sd once loaded or generated (standardizeX(), DataSet.h), so that
    // the descent sees feature-scaled data while lineInFileUnits() draws its line in the file's units.
    bool standardizeX = false;

    bool isData() const { return kind == "linear_regression" || kind == "logistic_regression"; }
    bool isLogistic() const { return kind == "logistic_regression"; }
};

/// What the race's speed counts, per run ("race_by" in a scenario file): updates (every run makes one update per
/// tick, whatever it costs) or samples (every run processes the same number of samples per tick: an update costs
/// its batch's size, n for a full batch; an analytic objective has no samples, so one update counts as one sample
/// and the samples clock races it exactly as the updates clock does).
enum class RaceClock { Updates, Samples };

/// "updates", "samples": the scenario file's words.
inline const char *raceClockName(RaceClock clock)
{
    return clock == RaceClock::Samples ? "samples" : "updates";
}

struct Scenario {
    ObjectiveSpec objectiveSpec;
    std::vector<RunSettings> runs;
    StopRules stop;
    std::optional<ViewWindow> view;
    RaceClock raceBy = RaceClock::Updates;

    std::shared_ptr<const DataSet> data; // data objectives: the samples, loaded or generated
    std::shared_ptr<const Objective> objective; // built from objectiveSpec and data

    /// The window to show: the file's view, else the objective's default.
    ViewWindow viewWindow() const { return view ? *view : objective->defaultView(); }
};

/// Builds the objective (and loads or generates its data). baseDir resolves a relative CSV path.
/// On failure returns nullptr and sets *error to "<field>: <what is wrong>", e.g.
/// "objective.expr: position 4: unknown name 'sn'" or "objective.data.csv: points.csv: line 7: ...". With
/// spec.standardizeX, data whose x are all the same is refused: "objective.data.standardize_x: every x is the same
/// (sd 0): nothing to scale".
std::shared_ptr<const Objective> buildObjective(const ObjectiveSpec &spec, const std::string &baseDir,
                                                std::shared_ptr<const DataSet> *data, std::string *error);

/// Empty when a formula objective has a finite value at some run's start or somewhere on a grid over the
/// view (and for every other kind); else the message "objective.expr: not a finite number anywhere ...".
/// A formula finite nowhere (1/0, x/0, log(-1), exp(1000)) has nothing to draw or descend: it is refused.
/// One finite somewhere (log(x), 1/x) is fine: where it is not finite the surface has a gap, and a run
/// that steps there ends as diverged.
std::string checkFiniteSomewhere(const Scenario &scenario);

} // namespace gdviz
