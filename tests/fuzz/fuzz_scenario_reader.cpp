// Fuzz target: the scenario loader. Bytes -> parseScenario(), as File > Open and --headless read a file. A
// rejected file has one short, printable message that starts with the file's name; an accepted one has an objective and at least
// one run, and the writer (File > Save) writes it so that reading it again gives the same settings. Then each run
// takes its first updates, as Play does: extreme settings may end a run as diverged, with a reason, but never
// crash or reach undefined behaviour.

#include "Expression.h"
#include "FuzzCheck.h"
#include "Run.h"
#include "ScenarioReader.h"
#include "ScenarioWriter.h"

#include <cmath>
#include <cstdint>
#include <string>

using gdviz::fuzz::check;

namespace {

const std::string label = "fuzz.json";

bool sameSpec(const gdviz::ObjectiveSpec &a, const gdviz::ObjectiveSpec &b)
{
    if (a.kind != b.kind || a.parameters != b.parameters || a.expression != b.expression || a.csvPath != b.csvPath
        || a.standardizeX != b.standardizeX
        || a.generate.has_value() != b.generate.has_value())
        return false;
    if (!a.generate)
        return true;
    const gdviz::DataGeneratorSettings &g = *a.generate, &h = *b.generate;
    return g.n == h.n && g.xMin == h.xMin && g.xMax == h.xMax && g.seed == h.seed && g.slope == h.slope
           && g.intercept == h.intercept && g.noise == h.noise && g.balance == h.balance
           && g.separation == h.separation;
}

bool sameView(const std::optional<gdviz::ViewWindow> &a, const std::optional<gdviz::ViewWindow> &b)
{
    if (a.has_value() != b.has_value())
        return false;
    return !a || (a->xMin == b->xMin && a->xMax == b->xMax && a->yMin == b->yMin && a->yMax == b->yMax);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string json(reinterpret_cast<const char *>(data), size);
    std::string error;
    const auto scenario = gdviz::parseScenario(json, label, GDVIZ_REFERENCE_DIR, &error);
    if (!scenario) {
        check(error.size() > label.size() + 2 && error.rfind(label + ": ", 0) == 0,
              "a rejected file has a message that starts with its name: " + error);
        // At most 40 characters of any string are quoted; only a CSV's path is shown up to its own limit.
        gdviz::fuzz::checkMessage(error, 2000 + 8 * gdviz::maxPathCharacters);
        return 0;
    }
    for (const gdviz::RunSettings &settings : scenario->runs)
        gdviz::fuzz::checkMessage(settings.name, 4 * gdviz::maxRunNameCharacters); // names are short and printable
    check(scenario->objectiveSpec.expression.size() <= 4 * gdviz::maxFormulaCharacters, "a formula is within its limit");
    if (scenario->data)
        for (std::size_t i = 0; i < scenario->data->size(); ++i)
            check(std::abs(scenario->data->x[i]) <= gdviz::maxDataMagnitude
                      && std::abs(scenario->data->y[i]) <= 2 * gdviz::maxDataMagnitude,
                  "loaded and generated data stay within the magnitude limit, so their squares are finite");
    check(scenario->objective != nullptr, "an accepted scenario has an objective");
    check(!scenario->runs.empty(), "an accepted scenario has a run");
    check(!scenario->objectiveSpec.isData() || (scenario->data && scenario->data->size() > 0),
          "a data objective has samples");

    const std::string written = scenarioToJson(*scenario).toStdString();
    const auto again = gdviz::parseScenario(written, label, GDVIZ_REFERENCE_DIR, &error);
    check(again.has_value(), "the writer's JSON reads back: " + error + "\n" + written);
    check(sameSpec(scenario->objectiveSpec, again->objectiveSpec), "the objective reads back unchanged\n" + written);
    check(scenario->runs == again->runs, "the runs read back unchanged\n" + written);
    check(scenario->stop == again->stop, "the stop rules read back unchanged\n" + written);
    check(sameView(scenario->view, again->view), "the view reads back unchanged\n" + written);

    constexpr std::size_t maxSamplesStepped = 2000; // larger generated sets only cost time per input
    if (scenario->data && scenario->data->size() > maxSamplesStepped)
        return 0;
    for (const gdviz::RunSettings &settings : scenario->runs) {
        gdviz::Run run(scenario->objective, settings, scenario->stop);
        for (int i = 0; i < 20 && run.isRunning(); ++i) {
            const long before = run.current().step;
            check(run.step().step == before + 1, "an update counts one step");
        }
        check(run.status() != gdviz::RunStatus::Diverged || !run.statusReason().empty(), "a diverged run says why");
    }
    return 0;
}
