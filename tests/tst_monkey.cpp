// The window under abuse, offscreen: a seeded stream of random clicks, drags, wheel turns, key presses
// and slider, spin box, combo box and formula changes over the real window's widgets while the runs
// play; a scenario loaded again and again while the runs play as fast as possible; the window closed in
// the middle of a run. Nothing may crash or trip a sanitizer, and at the end the window still agrees
// with the engine and the engine still steps.
//
// GDVIZ_MONKEY_SEED and GDVIZ_MONKEY_ACTIONS replay or lengthen a run of the monkey.

#include "MainWindow.h"
#include "WindowTestSupport.h"
#include "ObjectivePanel.h"
#include "RunTable.h"
#include "ScenarioWriter.h"
#include "SurfaceView.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWheelEvent>

#include <memory>

using namespace gdviz;

namespace {

/// Closes every modal dialog and popup menu that opens while it lives (a colour dialog from the run
/// table, a combo box's list, an unsaved-changes question): the monkey must never wait on one.
class DialogCloser {
public:
    explicit DialogCloser(QMessageBox::StandardButton answer = QMessageBox::Cancel)
    {
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, [this, answer] {
            if (QWidget *popup = QApplication::activePopupWidget())
                popup->close();
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget()); box && box->button(answer)) {
                ++closed;
                box->button(answer)->click();
            } else if (auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget())) {
                ++closed;
                dialog->reject();
            }
        });
        m_timer.start();
    }
    int closed = 0;

private:
    QTimer m_timer;
};

int environmentNumber(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok ? value : fallback;
}

/// A scenario file with two runs on Rosenbrock's function, under dir.
QString writeRosenbrockScenario(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(QStringLiteral("rosenbrock.json"));
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(R"({"objective": {"kind": "rosenbrock", "a": 1, "b": 100},
 "runs": [{"name": "Plain", "optimizer": "sgd", "lr": 0.001, "start": [-1.5, 2.0]},
          {"name": "Adam", "optimizer": "adam", "lr": 0.05, "start": [-1.5, 2.0]}],
 "stop": {"max_steps": 100000}})");
    return path;
}

} // namespace

class TestMonkey : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void randomAbuseLeavesTheWindowConsistent();
    void loadingWhileRunsPlayAtFullSpeed();
    void closingMidRun_data();
    void closingMidRun();

private:
    /// Widgets the monkey may touch: visible ones, without the menus (they lead to file dialogs) and
    /// the CSV import button (a file dialog).
    QList<QWidget *> targets() const;
    void act(QRandomGenerator &random);
    void checkConsistent();
    std::unique_ptr<MainWindow> m_window;
};

void TestMonkey::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestMonkey::init()
{
    openLessonWindow(m_window);
}

void TestMonkey::cleanup()
{
    m_window.reset();
}

QList<QWidget *> TestMonkey::targets() const
{
    QList<QWidget *> result;
    for (QWidget *w : m_window->findChildren<QWidget *>()) {
        if (!w->isVisible() || w->width() < 2 || w->height() < 2 || w->objectName() == QLatin1String("importCsvButton"))
            continue;
        bool inMenu = false;
        for (QWidget *p = w; p && !inMenu; p = p->parentWidget())
            inMenu = qobject_cast<QMenuBar *>(p) || qobject_cast<QMenu *>(p);
        if (!inMenu)
            result << w;
    }
    return result;
}

void TestMonkey::act(QRandomGenerator &random)
{
    const QList<QWidget *> widgets = targets();
    QWidget *w = widgets.at(int(random.bounded(qsizetype(widgets.size()))));
    const QPoint at(int(random.bounded(w->width())), int(random.bounded(w->height())));
    const Qt::KeyboardModifiers modifiers = random.bounded(4) == 0 ? Qt::ShiftModifier : Qt::NoModifier;
    const int kind = int(random.bounded(10));
    if (qEnvironmentVariableIsSet("GDVIZ_MONKEY_TRACE"))
        qInfo("monkey:   kind %d on %s '%s'", kind, w->metaObject()->className(), qPrintable(w->objectName()));
    switch (kind) {
    case 0:
    case 1:
        QTest::mouseClick(w, Qt::LeftButton, modifiers, at);
        break;
    case 2:
        QTest::mouseDClick(w, Qt::LeftButton, modifiers, at);
        break;
    case 3: { // a drag: press, a few moves, release
        QTest::mousePress(w, Qt::LeftButton, modifiers, at);
        QPoint p = at;
        for (int i = 0; i < 4; ++i) {
            p += QPoint(int(random.bounded(61)) - 30, int(random.bounded(61)) - 30);
            QTest::mouseMove(w, p);
        }
        QTest::mouseRelease(w, Qt::LeftButton, modifiers, p);
        break;
    }
    case 4: {
        const int delta = (random.bounded(2) ? 1 : -1) * 120 * int(1 + random.bounded(3));
        QWheelEvent wheel(at, w->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton, modifiers, Qt::NoScrollPhase, false);
        QApplication::sendEvent(w, &wheel);
        break;
    }
    case 5: {
        static const QList<QKeyCombination> keys = {
            Qt::Key_Space, Qt::Key_N, Qt::Key_E, Qt::Key_R, Qt::Key_L, Qt::Key_G, Qt::Key_Right, Qt::Key_Left, Qt::Key_Up,
            Qt::Key_Down, Qt::Key_PageUp, Qt::Key_PageDown, Qt::Key_Tab, Qt::Key_Backspace, Qt::Key_Return, Qt::Key_Escape,
            Qt::Key_0, Qt::Key_5, Qt::Key_Minus, Qt::Key_Period, Qt::Key_X, Qt::Key_Asterisk, Qt::Key_AsciiCircum,
            QKeyCombination(Qt::ControlModifier, Qt::Key_Plus), QKeyCombination(Qt::ControlModifier, Qt::Key_Minus),
            QKeyCombination(Qt::ControlModifier, Qt::Key_A), QKeyCombination(Qt::ShiftModifier, Qt::Key_Tab)};
        const QKeyCombination key = keys.at(int(random.bounded(qsizetype(keys.size()))));
        QWidget *receiver = random.bounded(2) ? m_window.get() : (QApplication::focusWidget() ? QApplication::focusWidget() : w);
        QTest::keyClick(receiver, key.key(), key.keyboardModifiers());
        break;
    }
    case 6: { // a slider, spin box or combo box set anywhere in its range
        const QList<QSlider *> sliders = m_window->findChildren<QSlider *>();
        const QList<QAbstractSpinBox *> spins = m_window->findChildren<QAbstractSpinBox *>();
        const QList<QComboBox *> combos = m_window->findChildren<QComboBox *>();
        switch (random.bounded(3)) {
        case 0:
            if (QSlider *s = sliders.value(int(random.bounded(qsizetype(sliders.size())))); s && s->isEnabled())
                s->setValue(s->minimum() + int(random.bounded(qint64(s->maximum()) - s->minimum() + 1)));
            break;
        case 1:
            if (QAbstractSpinBox *s = spins.value(int(random.bounded(qsizetype(spins.size())))); s && s->isEnabled()) {
                if (auto *d = qobject_cast<QDoubleSpinBox *>(s))
                    d->setValue(random.bounded(2) ? d->minimum() + random.generateDouble() * (d->maximum() - d->minimum())
                                                  : (random.bounded(2) ? d->maximum() : d->minimum()));
                else if (auto *i = qobject_cast<QSpinBox *>(s))
                    i->setValue(i->minimum() + int(random.bounded(qint64(std::min(i->maximum(), 5000)) - i->minimum() + 1)));
            }
            break;
        default:
            if (QComboBox *c = combos.value(int(random.bounded(qsizetype(combos.size())))); c && c->isEnabled() && c->count() > 0)
                c->setCurrentIndex(int(random.bounded(c->count())));
        }
        break;
    }
    case 7: { // type into a line edit (the formula, a run's name, a spin box's text)
        const QList<QLineEdit *> edits = m_window->findChildren<QLineEdit *>();
        static const QStringList texts = {QStringLiteral("x^2 + sn(y)"), QStringLiteral("exp(1000*x)"), QStringLiteral("1/0"),
                                          QStringLiteral("log(-x)"), QStringLiteral("((("), QStringLiteral("sin(x)*cos(y)"),
                                          QStringLiteral("1e308*1e308"), QStringLiteral("abc"), QStringLiteral("-0.5"),
                                          QStringLiteral("Stochastic GD"), QStringLiteral("nan"), QString()};
        if (QLineEdit *e = edits.value(int(random.bounded(qsizetype(edits.size())))); e && e->isVisible() && e->isEnabled()) {
            e->setFocus();
            e->selectAll();
            QTest::keyClicks(e, texts.at(int(random.bounded(qsizetype(texts.size())))));
            if (random.bounded(2))
                QTest::keyClick(e, Qt::Key_Return);
        }
        break;
    }
    case 8: { // the engine's own commands, as the transport buttons give them
        DescentEngine &engine = m_window->engine();
        switch (random.bounded(4)) {
        case 0:
            engine.setSpeed(asFastAsPossible);
            engine.play();
            break;
        case 1:
            engine.stepEpoch();
            break;
        case 2:
            engine.reset();
            break;
        default:
            engine.togglePlay();
        }
        break;
    }
    default: { // the run table's buttons: add, duplicate, remove
        const QList<QAbstractButton *> buttons = m_window->runTable()->findChildren<QAbstractButton *>();
        if (QAbstractButton *b = buttons.value(int(random.bounded(qsizetype(buttons.size())))); b && b->isVisible() && b->isEnabled()) {
            if (qEnvironmentVariableIsSet("GDVIZ_MONKEY_TRACE"))
                qInfo("monkey:   button %s", qPrintable(b->text()));
            b->click();
        }
    }
    }
    QCoreApplication::processEvents();
}

void TestMonkey::checkConsistent()
{
    DescentEngine &engine = m_window->engine();
    // Let the queued commands settle: pause, and wait until the table shows every run the engine has.
    engine.pause();
    QTRY_VERIFY_WITH_TIMEOUT(!engine.isPlaying(), 10000);
    QTest::qWait(200); // commands the monkey queued last (a removal, a restart) arrive
    QTRY_COMPARE_WITH_TIMEOUT(std::size_t(m_window->runTable()->table()->rowCount()), engine.runIds().size(), 10000);
    if (engine.runIds().empty()) {
        emit m_window->runTable()->addRequested();
        QTRY_COMPARE_WITH_TIMEOUT(engine.runIds().size(), std::size_t(1), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->runTable()->table()->rowCount(), 1, 10000);
    }
    for (RunId id : engine.runIds())
        QVERIFY2(!m_window->runTable()->statusText(id).isEmpty(), qPrintable(QString::number(id)));
    // The engine still steps. The monkey may have typed a constant formula (every start converges at
    // once) or a tolerance every start meets: on Rosenbrock's function with the default stop rules, back
    // to the start, one update, every running run's step counter shows 1.
    auto *objective = m_window->objectivePanel()->findChild<QComboBox *>(QStringLiteral("objectiveCombo"));
    objective->setCurrentIndex(objective->findData(QStringLiteral("rosenbrock")));
    QTRY_COMPARE_WITH_TIMEOUT(engine.scenario().objectiveSpec.kind, std::string("rosenbrock"), 10000);
    engine.setStopRules(StopRules{});
    const std::vector<RunId> ids = engine.runIds();
    // The monkey may also have set a start point at a spin box's end (1e6 away: diverged before its first update,
    // so the engine rightly has nothing to step): every run starts at Rosenbrock's usual start.
    for (RunId id : ids)
        engine.setStartPoint(id, Vec2(-1.5, 2.0));
    auto allSteps = [&](long step) {
        return std::all_of(ids.begin(), ids.end(), [&](RunId id) {
            return !engine.hasRun(id) || engine.trajectory(id).last().step == step || (step > 0 && engine.runStatus(id) != RunStatus::Running);
        });
    };
    QSignalSpy restarted(&engine, &DescentEngine::runStarted); // the reset's answer, not the state before it
    engine.reset();
    QTRY_VERIFY_WITH_TIMEOUT(restarted.size() >= qsizetype(ids.size()), 10000);
    QVERIFY(allSteps(0));
    auto statuses = [&] {
        QString text;
        try {
            text = QString::fromUtf8(scenarioToJson(m_window->currentScenario())).left(900) + QStringLiteral(" | ");
        } catch (const std::exception &e) {
            text = QStringLiteral("scenarioToJson threw: %1 | ").arg(QString::fromUtf8(e.what()));
        }
        for (RunId id : ids)
            text += !engine.hasRun(id) ? QStringLiteral("run %1 gone; ").arg(id)
                                       : QStringLiteral("%1: step %2, status %3 %4; ")
                                             .arg(QString::fromStdString(engine.runSettings(id).name))
                                             .arg(engine.trajectory(id).last().step)
                                             .arg(int(engine.runStatus(id)))
                                             .arg(engine.statusReason(id));
        return text;
    };
    QSignalSpy stepped(&engine, &DescentEngine::stepsTaken);
    engine.step();
    QTRY_VERIFY2_WITH_TIMEOUT(!stepped.isEmpty(), qPrintable(statuses()), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(allSteps(1), 10000);
    QCOMPARE(engine.runIds(), ids);
    QCOMPARE(std::size_t(m_window->runTable()->table()->rowCount()), ids.size());
    QVERIFY2(std::any_of(ids.begin(), ids.end(), [&](RunId id) { return engine.trajectory(id).last().step == 1; }), qPrintable(statuses()));
}

void TestMonkey::randomAbuseLeavesTheWindowConsistent()
{
    const int seed = environmentNumber("GDVIZ_MONKEY_SEED", 20261123);
#ifdef __SANITIZE_ADDRESS__
    constexpr int defaultActions = 1000; // the ASan/UBSan stage runs several times slower; it keeps under a minute
#else
    constexpr int defaultActions = 2000;
#endif
    const int actions = environmentNumber("GDVIZ_MONKEY_ACTIONS", defaultActions);
    qInfo("monkey: seed %d, %d actions (GDVIZ_MONKEY_SEED, GDVIZ_MONKEY_ACTIONS replay it)", seed, actions);
    QRandomGenerator random{quint32(seed)};
    DialogCloser closer;
    m_window->engine().play();
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < actions; ++i) {
        if (qEnvironmentVariableIsSet("GDVIZ_MONKEY_TRACE"))
            qInfo("monkey: action %d at %lld ms", i, clock.elapsed());
        act(random);
        if (i % 50 == 49)
            QTest::qWait(1); // let the worker's batches and the queued replots through
    }
    qInfo("monkey: %d dialogs or questions closed", closer.closed);
    QVERIFY(m_window->isVisible());
    checkConsistent();
}

void TestMonkey::loadingWhileRunsPlayAtFullSpeed()
{
    QTemporaryDir dir;
    const QString rosenbrock = writeRosenbrockScenario(dir);
    const QString bad = dir.filePath(QStringLiteral("bad.json"));
    {
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"objective\": {\"kind\": \"booth\"},\n \"runs\": [");
    }
    DescentEngine &engine = m_window->engine();
    engine.setSpeed(asFastAsPossible);
    engine.play();
    QSignalSpy opened(m_window.get(), &MainWindow::scenarioFileOpened);
    for (int i = 0; i < 30; ++i) {
        switch (i % 3) {
        case 0:
            QVERIFY(m_window->openScenarioFile(rosenbrock));
            break;
        case 1:
            QVERIFY(m_window->openDefaultLesson());
            break;
        default:
            QVERIFY(m_window->openScenarioFile(bad));
        }
        engine.play();
        QTest::qWait(int(i % 4)); // sometimes the load finishes before the next, sometimes not
    }
    QVERIFY(m_window->openScenarioFile(rosenbrock)); // the last word
    QTRY_COMPARE_WITH_TIMEOUT(m_window->currentFile(), rosenbrock, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(engine.runIds().size(), std::size_t(2), 10000);
    QCOMPARE(engine.scenario().objectiveSpec.kind, std::string("rosenbrock"));
    QCOMPARE(engine.runSettings(engine.runIds()[0]).name, std::string("Plain"));
    QCOMPARE(engine.runSettings(engine.runIds()[1]).name, std::string("Adam"));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->runTable()->table()->rowCount(), 2, 10000);
    QVERIFY(!m_window->isWindowModified());
    checkConsistent();
}

void TestMonkey::closingMidRun_data()
{
    QTest::addColumn<bool>("edited");
    QTest::newRow("nothing to save") << false;
    QTest::newRow("unsaved edit, discarded") << true;
}

void TestMonkey::closingMidRun()
{
    QFETCH(bool, edited);
    DescentEngine &engine = m_window->engine();
    StopRules endless; // the runs are still going when the window closes
    endless.maxSteps = 1L << 40;
    endless.maxEpochs = 1e12;
    engine.setStopRules(endless);
    engine.setSpeed(asFastAsPossible);
    engine.play();
    const RunId stochastic = engine.runIds()[1]; // 200 updates an epoch: still running after the first hundred
    QTRY_VERIFY_WITH_TIMEOUT(engine.trajectory(stochastic).last().step > 100, 20000);
    QCOMPARE(engine.runStatus(stochastic), RunStatus::Running);
    if (edited) {
        emit m_window->runTable()->addRequested();
        QTRY_VERIFY(m_window->isWindowModified());
    }
    DialogCloser closer(QMessageBox::Discard);
    QVERIFY(m_window->close());
    QCOMPARE(closer.closed, edited ? 1 : 0);
    QVERIFY(!m_window->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!engine.isPlaying(), 10000);
    m_window.reset(); // joins the worker thread while steps may still be queued
}

QTEST_MAIN(TestMonkey)
#include "tst_monkey.moc"
