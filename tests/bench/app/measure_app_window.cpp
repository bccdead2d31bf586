// Benchmark 7 of issue 5: replot times of the real window (MainWindow, 1600 x 1000, offscreen unless
// QT_QPA_PLATFORM says otherwise) with three runs of 100,000-step paths (the built-in lesson's linear
// regression: batch, stochastic and mini-batch GD, so two of the paths are stochastic tangles) over the
// surface, whose fine grid is computed at about a node per pixel (up to 512 x 512).
//
// The runs are played through the engine at full speed, as the app does, until each has 100,000 steps;
// then, each printed as one JSON line (median and 99th percentile; goal p99 < 8 ms):
//   window/replot_pan_3x100k     the surface plot's replot(rpImmediateRefresh) after each move of a drag
//   window/replot_zoom_3x100k    the same after each wheel-like zoom step (in, then out)
//   window/replot_new_surface    the frames that first show a newly computed surface, coarse then fine (after a
//                                small pan and a rest; 30 times each): the surface picture drawn afresh
//   window/replot_animate_3x100k a frame of the animation: one more update of every run (the Step command,
//                                through the worker, one point appended per run as the app appends it),
//                                then, as the app redraws a frame, the surface's path layer (its replot()
//                                and the widget's repaint()) and the loss plot's replot(rpImmediateRefresh);
//                                the sum, and each plot alone: window/replot_animate_surface, .../_loss
//   window/export_stall_3x100k   File > Export trajectories of the three runs (10 times): the longest the GUI
//                                thread was away from its event loop between the click and the export's end
//                                (a 1 ms heartbeat's longest gap), which is the freeze a class would see

#include "BenchRecord.h"
#include "DescentEngine.h"
#include "LossView.h"
#include "MainWindow.h"
#include "SurfaceView.h"
#include "TrajectoryExport.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>
#include <qcustomplot.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <tuple>

using namespace gdviz;

namespace {

constexpr long kSteps = 100'000;
constexpr int kFrames = 300;
constexpr int kArrivals = 30;

/// Runs the event loop until done() holds (checked every 5 ms), or exits the program after timeoutMs.
template <typename Done>
void waitFor(Done done, int timeoutMs, const char *what)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs) {
            std::fprintf(stderr, "measure_app_window: timed out waiting for %s\n", what);
            std::exit(1);
        }
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
}

/// The GUI thread's processor time in seconds: with GDVIZ_BENCH_FRAMES=1 each frame's is printed next to its wall
/// time, which tells a frame that had work to do from one that waited for a processor (another program, or the
/// thread pool drawing on both cores).
double threadSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + 1e-9 * double(now.tv_nsec);
}
double lastFrameThreadSeconds = 0;

double secondsOf(QCustomPlot *plot)
{
    const double thread = threadSeconds();
    const auto started = std::chrono::steady_clock::now();
    plot->replot(QCustomPlot::rpImmediateRefresh);
    lastFrameThreadSeconds = threadSeconds() - thread;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

/// An animation frame of the surface as SurfaceView draws it: only the paths' own layer, then the widget shown.
double secondsOfPathLayer(QCustomPlot *plot)
{
    const auto started = std::chrono::steady_clock::now();
    plot->layer(QStringLiteral("paths"))->replot();
    plot->repaint();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    MainWindow window;
    window.resize(1600, 1000);
    window.show();

    bool opened = false;
    QObject::connect(&window, &MainWindow::scenarioFileOpened, &window, [&](bool ok) {
        if (!ok) {
            std::fprintf(stderr, "measure_app_window: %s\n", qPrintable(window.bannerText()));
            std::exit(1);
        }
        opened = true;
    });
    // The lesson with room for far more than 100,000 steps; paused once every run has them.
    window.openScenarioFile(QStringLiteral(GDVIZ_BENCH_APP_DIR "/lesson_3x10M.json"));
    waitFor([&] { return opened && window.engine().runIds().size() == 3; }, 20000, "the scenario");
    DescentEngine &engine = window.engine();
    auto allHaveSteps = [&] {
        for (RunId id : engine.runIds())
            if (engine.trajectory(id).last().step < kSteps)
                return false;
        return true;
    };
    const auto pauser = QObject::connect(&engine, &DescentEngine::stepsTaken, &window, [&] {
        if (engine.isPlaying() && allHaveSteps())
            engine.pause();
    });
    engine.setSpeed(asFastAsPossible);
    engine.play();
    waitFor([&] { return !engine.isPlaying() && allHaveSteps(); }, 600000, "100,000 steps per run");
    QObject::disconnect(pauser);
    waitFor([&] { return window.surfaceView()->isSurfaceComplete(); }, 20000, "the fine surface");

    QCustomPlot *surface = window.surfaceView()->plot();
    const QSize plotSize = surface->size();
    std::fprintf(stderr, "surface plot %dx%d, axis rect %dx%d\n", plotSize.width(), plotSize.height(),
                 surface->axisRect()->width(), surface->axisRect()->height());

    std::vector<double> pan, zoom, animate, animateSurface, animateLoss, panThread, zoomThread;
    for (int i = 0; i < kFrames; ++i) { // a drag: right and up for half the frames, back for the rest
        const double sign = i < kFrames / 2 ? 1 : -1;
        surface->xAxis->moveRange(sign * 0.004 * surface->xAxis->range().size());
        surface->yAxis->moveRange(sign * 0.003 * surface->yAxis->range().size());
        pan.push_back(secondsOf(surface));
        panThread.push_back(lastFrameThreadSeconds);
        QCoreApplication::processEvents();
    }
    for (int i = 0; i < kFrames; ++i) { // wheel steps about the centre: in, then out
        const double factor = i < kFrames / 2 ? 0.985 : 1 / 0.985;
        surface->xAxis->scaleRange(factor);
        surface->yAxis->scaleRange(factor);
        zoom.push_back(secondsOf(surface));
        zoomThread.push_back(lastFrameThreadSeconds);
        QCoreApplication::processEvents();
    }

    // With GDVIZ_BENCH_BREAKDOWN=1: the pan again with one part of the picture hidden at a time (on stderr).
    if (qEnvironmentVariableIntValue("GDVIZ_BENCH_BREAKDOWN") == 1) {
        const std::pair<const char *, QString> parts[] = {{"paths", QStringLiteral("path:")},
                                                          {"colour map and contours", QString()}};
        for (const auto &[what, prefix] : parts) {
            QList<QCPAbstractPlottable *> hidden;
            for (int i = 0; i < surface->plottableCount(); ++i) {
                QCPAbstractPlottable *p = surface->plottable(i);
                const bool match = prefix.isEmpty() ? bool(qobject_cast<QCPColorMap *>(p)) : p->objectName().startsWith(prefix);
                if (match && p->visible()) {
                    p->setVisible(false);
                    hidden.append(p);
                }
            }
            std::vector<double> without;
            for (int i = 0; i < 100; ++i) {
                surface->xAxis->moveRange((i < 50 ? 1 : -1) * 0.004 * surface->xAxis->range().size());
                without.push_back(secondsOf(surface));
                QCoreApplication::processEvents();
            }
            std::sort(without.begin(), without.end());
            std::fprintf(stderr, "pan without %s: median %.2f ms\n", what, 1e3 * without[without.size() / 2]);
            for (QCPAbstractPlottable *p : hidden)
                p->setVisible(true);
        }
    }

    // A new surface: the view moved by 2% and left to rest, so that the fine surface for it is computed (off the
    // GUI thread) and arrives; the frame that first shows it builds the colour map's image and the surface picture.
    std::vector<double> arrival, arrivalThread;
    {
        // Timed in the handler: surfaceReady comes right after SurfaceView has taken the new cells and lines and
        // queued its replot; this replot is that frame.
        bool fineArrived = false;
        const auto watch = QObject::connect(window.surfaceView(), &SurfaceView::surfaceReady, &window, [&](bool fine) {
            arrival.push_back(secondsOf(surface)); // the coarse surface's frame, then the fine one's
            arrivalThread.push_back(lastFrameThreadSeconds);
            fineArrived = fineArrived || fine;
        });
        for (int i = 0; i < kArrivals; ++i) {
            fineArrived = false;
            surface->xAxis->moveRange((i % 2 ? -0.02 : 0.02) * surface->xAxis->range().size());
            surface->replot(QCustomPlot::rpImmediateRefresh);
            waitFor([&] { return fineArrived; }, 20000, "a new fine surface");
        }
        QObject::disconnect(watch);
    }

    // Animation: one update of every run per frame (the Step command, through the worker and back, so one
    // point is appended per run as the app appends it), then both plots replotted, each timed.
    int reports = 0;
    QObject::connect(&engine, &DescentEngine::stepsTaken, &window, [&reports] { ++reports; });
    QCustomPlot *loss = window.lossView()->plot();
    for (int i = 0; i < kFrames; ++i) {
        const int before = reports;
        engine.step();
        waitFor([&] { return reports > before; }, 10000, "a step");
        QCoreApplication::processEvents(); // the app's own queued replots, untimed
        const double s = secondsOfPathLayer(surface), l = secondsOf(loss);
        animateSurface.push_back(s);
        animateLoss.push_back(l);
        animate.push_back(s + l);
    }

    // Exports: the longest gap between two ticks of a 1 ms heartbeat, from the call to the export's end.
    std::vector<double> exportStall;
    {
        QTemporaryDir dir;
        for (int i = 0; i < 10; ++i) {
            QElapsedTimer beat;
            double longest = 0;
            QTimer heartbeat;
            heartbeat.setTimerType(Qt::PreciseTimer);
            QObject::connect(&heartbeat, &QTimer::timeout, &window, [&] {
                longest = std::max(longest, double(beat.nsecsElapsed()) * 1e-9);
                beat.restart();
            });
            bool done = false;
            beat.start();
            heartbeat.start(1);
            TrajectoryExport *job = window.exportTrajectories(dir.filePath(QStringLiteral("trajectories.csv")));
            longest = std::max(longest, double(beat.nsecsElapsed()) * 1e-9); // the call itself
            beat.restart();
            if (!job) {
                std::fprintf(stderr, "measure_app_window: the export was refused: %s\n", qPrintable(window.bannerText()));
                return 1;
            }
            QObject::connect(job, &TrajectoryExport::finished, &window, [&done] { done = true; });
            waitFor([&] { return done; }, 120000, "the export");
            exportStall.push_back(longest);
        }
    }

    // With GDVIZ_BENCH_FRAMES=1: every frame's time, in order (on stderr), to see where the slow ones fall.
    if (qEnvironmentVariableIntValue("GDVIZ_BENCH_FRAMES") == 1) {
        for (const auto &[what, times, thread] : {std::tuple{"pan", &pan, &panThread}, std::tuple{"zoom", &zoom, &zoomThread},
                                                  std::tuple{"new surface", &arrival, &arrivalThread}})
            for (std::size_t i = 0; i < times->size(); ++i)
                std::fprintf(stderr, "%s %zu %.2f ms (GUI thread busy %.2f ms)\n", what, i, 1e3 * (*times)[i], 1e3 * (*thread)[i]);
    }

    bench::printRecord(bench::timingRecord(QStringLiteral("window/replot_pan_3x100k"), pan, 0.008, "p99 < 8 ms"));
    bench::printRecord(bench::timingRecord(QStringLiteral("window/replot_zoom_3x100k"), zoom, 0.008, "p99 < 8 ms"));
    bench::printRecord(bench::timingRecord(QStringLiteral("window/replot_new_surface"), arrival, 0.008, "p99 < 8 ms"));
    bench::printRecord(bench::timingRecord(QStringLiteral("window/replot_animate_3x100k"), animate, 0.008, "p99 < 8 ms"));
    bench::printRecord(bench::timingRecord(QStringLiteral("window/replot_animate_surface"), animateSurface, 0.008, "p99 < 8 ms"));
    bench::printRecord(bench::timingRecord(QStringLiteral("window/replot_animate_loss"), animateLoss, 0.008, "p99 < 8 ms"));
    bench::printRecord(bench::timingRecord(QStringLiteral("window/export_stall_3x100k"), exportStall, 0.016, "p99 < 16 ms (a frame)"));
    return 0;
}
