#pragma once
// gdviz --headless: runs every run of a scenario to its stop and writes the trajectories and a summary.

#include "CommandLine.h"

namespace gdviz {

/// The most updates --headless makes in all (max_steps, or max_epochs counted in updates, summed over the runs):
/// 10^9. Without a window nobody can press Pause, so the stop rules must bound the work; a lesson needs
/// thousands, a long study millions. The bound is checked before anything runs.
inline constexpr long long maxHeadlessUpdates = 1'000'000'000;
/// With --csv, one row per update: at most 10^8 (a row is 100 to 160 bytes, so up to about 15 GB).
inline constexpr long long maxHeadlessCsvUpdates = 100'000'000;

/// Returns the process exit status: 0 on success, 2 on bad input (one line on stderr).
int runHeadless(const CommandLineRequest &request);

} // namespace gdviz
