// The run editor: it shows a run without emitting, couples the logarithmic learning-rate slider to its
// spin box, builds the hyperparameter rows from the optimizers() table, and emits settings only when
// they validate.

#include "HyperParameterEditor.h"
#include "LearningRateControl.h"
#include "NumberSpinBox.h"
#include "RunEditor.h"

#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTest>

using namespace gdviz;

namespace {

constexpr RunId runId = 3;

RunSettings sgdRun()
{
    RunSettings s;
    s.name = "GD";
    s.optimizer.lr = 0.05;
    s.optimizer.momentum = 0.9;
    s.start = Vec2(-1.5, 2.0);
    return s;
}

template<typename T>
T *child(const QWidget &parent, const char *name)
{
    T *found = parent.findChild<T *>(QLatin1String(name));
    if (!found)
        qWarning("no %s named %s", T::staticMetaObject.className(), name);
    return found;
}

QStringList shownParameterNames(const RunEditor &editor)
{
    QStringList names;
    for (const auto *row : editor.findChildren<HyperParameterEditor *>())
        names << QString::fromStdString(row->info().name);
    return names;
}

void typeInto(QAbstractSpinBox *spin, const QString &text)
{
    spin->setFocus();
    spin->findChild<QLineEdit *>()->selectAll();
    QTest::keyClicks(spin, text);
    QTest::keyClick(spin, Qt::Key_Enter);
}

} // namespace

class TestRunEditor : public QObject {
    Q_OBJECT
private slots:
    void setRunShowsValuesWithoutEmitting();
    void sliderEmitsLearningRate();
    void typedLearningRateMovesSlider();
    void switchingToAdamShowsItsParameters();
    void parametersComeFromTable_data();
    void parametersComeFromTable();
    void invalidSettingsAreNotEmitted();
    void batchControlsOnlyForData();
    void scheduleFieldsFollowKind();
    void emptyNameIsRefused();
    void setRunKeepsRowsOfSameOptimizer();
    void clearRunDisables();
    void everyControlExplainsItself();
    void numbersReadWell();
};

void TestRunEditor::setRunShowsValuesWithoutEmitting()
{
    RunEditor editor;
    QSignalSpy settings(&editor, &RunEditor::settingsEdited);
    QSignalSpy rate(&editor, &RunEditor::learningRateEdited);
    RunSettings s = sgdRun();
    s.schedule.kind = LearningRateSchedule::Kind::Step;
    s.schedule.stepSize = 50;
    editor.setRun(runId, s);

    QVERIFY(editor.isEnabled());
    QCOMPARE(editor.runId(), runId);
    QCOMPARE(editor.settings(), s);
    QCOMPARE(child<QLineEdit>(editor, "nameEdit")->text(), QStringLiteral("GD"));
    QCOMPARE(child<QComboBox>(editor, "optimizerCombo")->currentText(), QStringLiteral("SGD"));
    QCOMPARE(child<QDoubleSpinBox>(editor, "lrSpin")->value(), 0.05);
    QCOMPARE(child<QSlider>(editor, "lrSlider")->value(), LearningRateControl::tickFor(0.05));
    QCOMPARE(child<QDoubleSpinBox>(editor, "param_momentum")->value(), 0.9);
    QCOMPARE(child<QCheckBox>(editor, "param_nesterov")->isChecked(), false);
    QCOMPARE(child<QComboBox>(editor, "scheduleCombo")->currentText(), QStringLiteral("Step decay"));
    QCOMPARE(child<QSpinBox>(editor, "schedule_step_size")->value(), 50);
    QCOMPARE(child<QDoubleSpinBox>(editor, "start0")->value(), -1.5);
    QCOMPARE(child<QDoubleSpinBox>(editor, "start1")->value(), 2.0);
    QCOMPARE(settings.count(), 0);
    QCOMPARE(rate.count(), 0);
}

void TestRunEditor::sliderEmitsLearningRate()
{
    RunEditor editor;
    editor.setRun(runId, sgdRun());
    QSignalSpy settings(&editor, &RunEditor::settingsEdited);
    QSignalSpy rate(&editor, &RunEditor::learningRateEdited);
    auto *slider = child<QSlider>(editor, "lrSlider");
    auto *spin = child<QDoubleSpinBox>(editor, "lrSpin");

    slider->setValue(LearningRateControl::tickFor(1e-2)); // as a drag does
    QCOMPARE(rate.count(), 1);
    QCOMPARE(rate.at(0).at(0).value<RunId>(), runId);
    QCOMPARE(rate.at(0).at(1).toDouble(), 1e-2); // the slider snaps to three significant digits
    QCOMPARE(spin->value(), 1e-2);
    QCOMPARE(editor.settings().optimizer.lr, 1e-2);

    QTest::keyClick(slider, Qt::Key_PageUp); // one decade up
    QCOMPARE(rate.count(), 2);
    QCOMPARE(rate.at(1).at(1).toDouble(), 0.1);
    QCOMPARE(spin->value(), 0.1);
    QCOMPARE(settings.count(), 0); // a drag is not a settings edit
}

void TestRunEditor::typedLearningRateMovesSlider()
{
    RunEditor editor;
    editor.setRun(runId, sgdRun());
    QSignalSpy rate(&editor, &RunEditor::learningRateEdited);
    auto *spin = child<QDoubleSpinBox>(editor, "lrSpin");
    typeInto(spin, QStringLiteral("0.5"));
    QCOMPARE(spin->value(), 0.5);
    QCOMPARE(child<QSlider>(editor, "lrSlider")->value(), LearningRateControl::tickFor(0.5));
    QCOMPARE(rate.count(), 1);
    QCOMPARE(rate.at(0).at(1).toDouble(), 0.5);

    typeInto(spin, QStringLiteral("2.5e-3")); // scientific input
    QCOMPARE(spin->value(), 2.5e-3);
    QCOMPARE(spin->text(), QStringLiteral("0.0025"));
    QCOMPARE(rate.count(), 2);

    QTest::keyClick(spin, Qt::Key_Up); // arrows step 1, 2, 5, 10, ...
    QCOMPARE(spin->value(), 5e-3);
    QCOMPARE(rate.count(), 3);
}

void TestRunEditor::switchingToAdamShowsItsParameters()
{
    RunEditor editor;
    editor.setRun(runId, sgdRun());
    QSignalSpy settings(&editor, &RunEditor::settingsEdited);
    auto *combo = child<QComboBox>(editor, "optimizerCombo");
    combo->setCurrentIndex(combo->findText(QStringLiteral("Adam")));

    QStringList adamNames;
    for (const auto &p : optimizerInfo(OptimizerKind::Adam).parameters)
        adamNames << QString::fromStdString(p.name);
    QCOMPARE(shownParameterNames(editor), adamNames);
    QCOMPARE(adamNames, QStringList({"betas", "eps", "weight_decay", "amsgrad"}));
    QVERIFY(!editor.findChild<QWidget *>(QStringLiteral("param_momentum")));
    QCOMPARE(child<QDoubleSpinBox>(editor, "param_betas_0")->value(), 0.9);
    QCOMPARE(child<QDoubleSpinBox>(editor, "param_betas_1")->value(), 0.999);
    QCOMPARE(child<QDoubleSpinBox>(editor, "param_eps")->value(), 1e-8);
    QCOMPARE(child<QDoubleSpinBox>(editor, "param_eps")->text(), QStringLiteral("1e-8"));
    QCOMPARE(child<QDoubleSpinBox>(editor, "param_weight_decay")->value(), 0.0);
    QCOMPARE(child<QCheckBox>(editor, "param_amsgrad")->isChecked(), false);
    QCOMPARE(child<QDoubleSpinBox>(editor, "lrSpin")->value(), 0.05);

    QCOMPARE(settings.count(), 1);
    OptimizerSettings expected = OptimizerSettings::defaultsFor(OptimizerKind::Adam);
    expected.lr = 0.05; // kept
    const auto emitted = settings.at(0).at(1).value<RunSettings>();
    QCOMPARE(emitted.optimizer, expected);
    QCOMPARE(emitted.name, std::string("GD"));
}

void TestRunEditor::parametersComeFromTable_data()
{
    QTest::addColumn<int>("kind");
    for (const auto &info : optimizers())
        QTest::newRow(info.name.c_str()) << int(info.kind);
}

void TestRunEditor::parametersComeFromTable()
{
    QFETCH(int, kind);
    const OptimizerInfo &info = optimizerInfo(OptimizerKind(kind));
    RunEditor editor;
    RunSettings s;
    s.optimizer = OptimizerSettings::defaultsFor(info.kind);
    editor.setRun(runId, s);

    QStringList names;
    for (const auto &p : info.parameters)
        names << QString::fromStdString(p.name);
    QCOMPARE(shownParameterNames(editor), names);
    for (const auto &p : info.parameters) {
        const QString name = QString::fromStdString(p.name);
        switch (p.type) {
        case HyperParameterInfo::Type::Real: {
            auto *spin = editor.findChild<QDoubleSpinBox *>(QStringLiteral("param_") + name);
            QVERIFY2(spin, qPrintable(name));
            QCOMPARE(spin->value(), s.optimizer.*p.real);
            QCOMPARE(spin->minimum(), p.min);
            QVERIFY(spin->maximum() <= p.max);
            QCOMPARE(spin->toolTip(), QString::fromStdString(p.description));
            break;
        }
        case HyperParameterInfo::Type::Flag: {
            auto *check = editor.findChild<QCheckBox *>(QStringLiteral("param_") + name);
            QVERIFY2(check, qPrintable(name));
            QCOMPARE(check->isChecked(), s.optimizer.*p.flag);
            QCOMPARE(check->toolTip(), QString::fromStdString(p.description));
            break;
        }
        case HyperParameterInfo::Type::Pair:
            QCOMPARE(editor.findChild<QDoubleSpinBox *>(QStringLiteral("param_%1_0").arg(name))->value(), s.optimizer.*p.real);
            QCOMPARE(editor.findChild<QDoubleSpinBox *>(QStringLiteral("param_%1_1").arg(name))->value(), s.optimizer.*p.second);
            QVERIFY(editor.findChild<QDoubleSpinBox *>(QStringLiteral("param_%1_1").arg(name))->maximum() < 1);
            break;
        }
    }
}

void TestRunEditor::invalidSettingsAreNotEmitted()
{
    RunEditor editor;
    RunSettings s = sgdRun();
    s.optimizer.momentum = 0;
    editor.setRun(runId, s);
    QSignalSpy settings(&editor, &RunEditor::settingsEdited);
    auto *error = child<QLabel>(editor, "optimizerError");
    QVERIFY(!error->isVisibleTo(&editor));

    child<QCheckBox>(editor, "param_nesterov")->setChecked(true); // nesterov needs momentum > 0
    QCOMPARE(settings.count(), 0);
    QVERIFY(error->isVisibleTo(&editor));
    QVERIFY2(error->text().contains(QStringLiteral("nesterov")), qPrintable(error->text()));
    QCOMPARE(editor.settings(), s); // the previous valid settings stay

    child<QDoubleSpinBox>(editor, "param_momentum")->setValue(0.9);
    QCOMPARE(settings.count(), 1);
    const auto emitted = settings.at(0).at(1).value<RunSettings>();
    QVERIFY(emitted.optimizer.nesterov);
    QCOMPARE(emitted.optimizer.momentum, 0.9);
    QVERIFY(!error->isVisibleTo(&editor));
    QCOMPARE(editor.settings(), emitted);
}

void TestRunEditor::batchControlsOnlyForData()
{
    RunEditor editor;
    editor.setDataObjective(false, 0);
    editor.setRun(runId, sgdRun());
    auto *batch = child<QComboBox>(editor, "batchCombo");
    QVERIFY(!batch->isVisibleTo(&editor));
    QVERIFY(!child<QCheckBox>(editor, "shuffleCheck")->isVisibleTo(&editor));
    QVERIFY(!child<QSpinBox>(editor, "seedSpin")->isVisibleTo(&editor));

    editor.setDataObjective(true, 200);
    QVERIFY(batch->isVisibleTo(&editor));
    QCOMPARE(batch->currentIndex(), 0); // full batch
    auto *k = child<QSpinBox>(editor, "batchSizeSpin");
    QVERIFY(!k->isVisibleTo(&editor));
    QCOMPARE(k->maximum(), 200);

    QSignalSpy settings(&editor, &RunEditor::settingsEdited);
    batch->setCurrentIndex(2); // mini-batch
    QVERIFY(k->isVisibleTo(&editor));
    QCOMPARE(settings.count(), 1);
    QCOMPARE(settings.at(0).at(1).value<RunSettings>().batchSize, long(k->value()));
    k->setValue(16);
    QCOMPARE(settings.last().at(1).value<RunSettings>().batchSize, 16L);
    batch->setCurrentIndex(1); // stochastic
    QCOMPARE(settings.last().at(1).value<RunSettings>().batchSize, 1L);
    child<QSpinBox>(editor, "seedSpin")->setValue(42);
    QCOMPARE(settings.last().at(1).value<RunSettings>().seed, std::uint64_t(42));
}

void TestRunEditor::scheduleFieldsFollowKind()
{
    RunEditor editor;
    editor.setRun(runId, sgdRun());
    QSignalSpy settings(&editor, &RunEditor::settingsEdited);
    auto *stepSize = child<QSpinBox>(editor, "schedule_step_size");
    auto *gamma = child<QDoubleSpinBox>(editor, "schedule_gamma");
    QVERIFY(!stepSize->isVisibleTo(&editor));
    QVERIFY(!gamma->isVisibleTo(&editor));

    auto *combo = child<QComboBox>(editor, "scheduleCombo");
    combo->setCurrentIndex(combo->findData(int(LearningRateSchedule::Kind::Step)));
    QVERIFY(stepSize->isVisibleTo(&editor));
    QVERIFY(gamma->isVisibleTo(&editor));
    QVERIFY(!child<QDoubleSpinBox>(editor, "schedule_decay")->isVisibleTo(&editor));
    QVERIFY(!child<QSpinBox>(editor, "schedule_t_max")->isVisibleTo(&editor));
    QCOMPARE(settings.count(), 1);
    QCOMPARE(settings.at(0).at(1).value<RunSettings>().schedule.kind, LearningRateSchedule::Kind::Step);

    gamma->setValue(0); // must be in (0, 1]
    QCOMPARE(settings.count(), 1);
    auto *error = child<QLabel>(editor, "scheduleError");
    QVERIFY(error->isVisibleTo(&editor));
    QVERIFY2(error->text().startsWith(QStringLiteral("gamma:")), qPrintable(error->text()));
    gamma->setValue(0.25);
    QCOMPARE(settings.count(), 2);
    QCOMPARE(settings.last().at(1).value<RunSettings>().schedule.gamma, 0.25);
    QVERIFY(!error->isVisibleTo(&editor));

    combo->setCurrentIndex(combo->findData(int(LearningRateSchedule::Kind::Cosine)));
    QVERIFY(!stepSize->isVisibleTo(&editor));
    QVERIFY(child<QSpinBox>(editor, "schedule_t_max")->isVisibleTo(&editor));
    QVERIFY(child<QDoubleSpinBox>(editor, "schedule_eta_min")->isVisibleTo(&editor));
}

void TestRunEditor::emptyNameIsRefused()
{
    RunEditor editor;
    editor.setRun(runId, sgdRun());
    QSignalSpy settings(&editor, &RunEditor::settingsEdited);
    auto *name = child<QLineEdit>(editor, "nameEdit");
    name->selectAll();
    QTest::keyClick(name, Qt::Key_Delete);
    QTest::keyClick(name, Qt::Key_Enter);
    QCOMPARE(name->text(), QStringLiteral("GD"));
    QCOMPARE(settings.count(), 0);

    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("Momentum"));
    QTest::keyClick(name, Qt::Key_Enter);
    QCOMPARE(settings.count(), 1);
    QCOMPARE(settings.at(0).at(1).value<RunSettings>().name, std::string("Momentum"));
}

void TestRunEditor::setRunKeepsRowsOfSameOptimizer()
{
    // The window may call setRun again after each edit: the row being typed in must survive.
    RunEditor editor;
    editor.setRun(runId, sgdRun());
    auto *momentum = child<QDoubleSpinBox>(editor, "param_momentum");
    RunSettings s = sgdRun();
    s.optimizer.momentum = 0.5;
    editor.setRun(runId, s);
    QCOMPARE(child<QDoubleSpinBox>(editor, "param_momentum"), momentum);
    QCOMPARE(momentum->value(), 0.5);
}

void TestRunEditor::clearRunDisables()
{
    RunEditor editor;
    editor.setRun(runId, sgdRun());
    editor.clearRun();
    QVERIFY(!editor.isEnabled());
    QCOMPARE(editor.runId(), RunId(-1));
    QVERIFY(child<QLineEdit>(editor, "nameEdit")->text().isEmpty());
}

void TestRunEditor::everyControlExplainsItself()
{
    RunEditor editor;
    editor.setDataObjective(true, 100);
    for (const auto &info : optimizers()) {
        RunSettings s;
        s.optimizer = OptimizerSettings::defaultsFor(info.kind);
        editor.setRun(runId, s);
        for (QWidget *w : editor.findChildren<QWidget *>()) {
            const bool control = qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QComboBox *>(w)
                                 || qobject_cast<QCheckBox *>(w) || qobject_cast<QSlider *>(w)
                                 || (qobject_cast<QLineEdit *>(w) && !qobject_cast<QAbstractSpinBox *>(w->parent()));
            if (control)
                QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName()));
        }
    }
}

void TestRunEditor::numbersReadWell()
{
    QCOMPARE(formatNumber(1e-8), QStringLiteral("1e-8"));
    QCOMPARE(formatNumber(0.0123), QStringLiteral("0.0123"));
    QCOMPARE(formatNumber(0.999), QStringLiteral("0.999"));
    QCOMPARE(formatNumber(1e6), QStringLiteral("1e6"));
    QCOMPARE(NumberSpinBox::nextOneTwoFive(0.1, 1), 0.2);
    QCOMPARE(NumberSpinBox::nextOneTwoFive(0.5, 1), 1.0);
    QCOMPARE(NumberSpinBox::nextOneTwoFive(1e-8, -1), 5e-9);
    QCOMPARE(NumberSpinBox::nextOneTwoFive(0.3, 1), 0.5);
    QCOMPARE(LearningRateControl::rateAt(0), 1e-5);
    QCOMPARE(LearningRateControl::rateAt(LearningRateControl::ticks), 10.0);
    QCOMPARE(LearningRateControl::rateAt(LearningRateControl::tickFor(1e-3)), 1e-3);
}

QTEST_MAIN(TestRunEditor)
#include "tst_runeditor.moc"
