#include "ScenarioPicture.h"

#include "RunPalette.h"
#include "SurfaceView.h"

#include <QEventLoop>
#include <QTimer>
#include <qcustomplot.h>

namespace gdviz {

bool renderScenarioPicture(const Scenario &scenario, const std::vector<Trajectory> &trajectories, const QString &path,
                           int width, int height, QString *error)
{
    SurfaceView view;
    view.resize(width, height);
    const auto [xName, yName] = scenario.objective->parameterNames();
    QEventLoop loop;
    QObject::connect(&view, &SurfaceView::surfaceReady, &loop, [&](bool fine) {
        if (fine)
            loop.quit();
    });
    view.setObjective(scenario.objective, scenario.viewWindow(), QString::fromStdString(xName), QString::fromStdString(yName));
    for (std::size_t i = 0; i < trajectories.size() && i < scenario.runs.size(); ++i) {
        const auto &records = trajectories[i].records();
        if (records.empty())
            continue;
        const RunId id = RunId(i);
        view.addRun(id, QString::fromStdString(scenario.runs[i].name), runColor(int(i)));
        view.setRunMarker(id, runMarker(int(i))); // as the window draws them
        view.restartPath(id, records.front());
        view.appendSteps(id, QList<StepRecord>(records.begin() + 1, records.end()));
    }
    if (!view.isSurfaceComplete())
        loop.exec();
    view.setLegendVisible(true); // a picture on a slide has no table beside it to name the runs
    if (!view.plot()->savePng(path, width, height)) {
        *error = path + QStringLiteral(": cannot write the picture");
        return false;
    }
    return true;
}

} // namespace gdviz
