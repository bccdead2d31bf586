// Benchmark 8 of issue 5: peak resident size (getrusage ru_maxrss) while three runs (the built-in lesson's
// batch, stochastic and mini-batch GD on linear regression) are played at full speed for ten million updates
// each through the real engine (DescentEngine and its worker thread). Two processes, one JSON line each:
//   memory/peak_rss_3x10M/window  the whole window (MainWindow, 1600 x 1000, offscreen), as the app plays them
//   memory/peak_rss_3x10M/engine  the engine alone, with no window
// Without arguments it runs itself once in each mode ("window", "engine") and passes their lines on.

#include "BenchRecord.h"
#include "DescentEngine.h"
#include "MainWindow.h"
#include "ScenarioReader.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>

#include <sys/resource.h>

#include <cstdio>
#include <cstring>

using namespace gdviz;

namespace {

const char *const kScenario = GDVIZ_BENCH_APP_DIR "/lesson_3x10M.json";

int report(const char *mode, const QElapsedTimer &clock)
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double megabytes = double(usage.ru_maxrss) * 1024 / 1e6; // Linux gives kilobytes (KiB)
    std::fprintf(stderr, "%s: 3 x 10M updates in %.1f s\n", mode, double(clock.elapsed()) / 1000);
    bench::printRecord({{"key", QStringLiteral("memory/peak_rss_3x10M/%1").arg(QLatin1String(mode))},
                        {"side", "gdviz"}, {"value", megabytes}, {"unit", "MB"}, {"goal", "< 500 MB"},
                        {"met", megabytes < 500}, {"work", QJsonObject{{"updates", 30'000'000}}}});
    return 0;
}

int measureEngine(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    std::string error;
    const auto scenario = readScenario(kScenario, &error);
    if (!scenario) {
        std::fprintf(stderr, "measure_app_memory: %s\n", error.c_str());
        return 1;
    }
    DescentEngine engine;
    int finished = 0;
    QObject::connect(&engine, &DescentEngine::runFinished, &app, [&] {
        if (++finished == 3)
            QCoreApplication::quit();
    });
    QElapsedTimer clock;
    clock.start();
    engine.loadScenario(*scenario);
    engine.setSpeed(asFastAsPossible);
    engine.play();
    QCoreApplication::exec();
    return report("engine", clock);
}

int measureWindow(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QElapsedTimer clock;
    QObject::connect(&window, &MainWindow::scenarioFileOpened, &window, [&](bool ok) {
        if (!ok) {
            std::fprintf(stderr, "measure_app_memory: %s\n", qPrintable(window.bannerText()));
            QCoreApplication::exit(1);
            return;
        }
        clock.start();
        window.engine().setSpeed(asFastAsPossible);
        window.engine().play();
    });
    QObject::connect(&window, &MainWindow::allRunsFinished, &app, &QCoreApplication::quit);
    window.openScenarioFile(QString::fromUtf8(kScenario));
    if (QApplication::exec() != 0)
        return 1;
    return report("window", clock);
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc > 1 && std::strcmp(argv[1], "engine") == 0)
        return measureEngine(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "window") == 0)
        return measureWindow(argc, argv);
    // The runner's call (it may pass --build and --repetitions: one peak per mode is the measurement).
    QCoreApplication app(argc, argv);
    for (const char *mode : {"window", "engine"}) {
        QProcess process;
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(QCoreApplication::applicationFilePath(), {QString::fromLatin1(mode)});
        if (!process.waitForFinished(-1) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            std::fprintf(stderr, "measure_app_memory: the %s measurement failed\n", mode);
            return 1;
        }
        std::fputs(process.readAllStandardOutput().constData(), stdout);
        std::fflush(stdout);
    }
    return 0;
}
