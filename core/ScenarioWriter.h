#pragma once
// Writes a Scenario back as the JSON of README.md's "Scenario files", so that reading it again gives the
// same settings and so the same trajectories. Hyperparameters equal to torch's defaults are left out,
// as people write them.

#include "Scenario.h"

#include <QByteArray>

namespace gdviz {

QByteArray scenarioToJson(const Scenario &scenario);

} // namespace gdviz
