#pragma once
// gdviz --headless: runs every run of a scenario to its stop and writes the trajectories and a summary.

#include "CommandLine.h"

namespace gdviz {

/// Returns the process exit status: 0 on success, 2 on bad input (one line on stderr).
int runHeadless(const CommandLineRequest &request);

} // namespace gdviz
