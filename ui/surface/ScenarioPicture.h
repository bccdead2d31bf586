#pragma once
// gdviz --headless --png: the contour plot with every run's path, drawn by the window's own SurfaceView
// (offscreen), so the picture is the one the window shows.

#include "Scenario.h"
#include "Trajectory.h"

#include <QString>

#include <vector>

namespace gdviz {

/// trajectories[i] belongs to scenario.runs[i]. Needs a QApplication. Returns false and sets *error
/// when the picture cannot be written.
bool renderScenarioPicture(const Scenario &scenario, const std::vector<Trajectory> &trajectories, const QString &path,
                           int width, int height, QString *error);

} // namespace gdviz
