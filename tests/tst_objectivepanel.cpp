// The objective panel: named functions with their parameters, a typed formula whose error shows inline
// and which is requested only once valid (after a pause), generated or imported data, and stop rules.

#include "FormulaErrorView.h"
#include "ObjectivePanel.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTimer>

using namespace gdviz;

namespace {

template<typename T>
T *child(const QWidget &parent, const char *name)
{
    T *found = parent.findChild<T *>(QLatin1String(name));
    if (!found)
        qWarning("no %s named %s", T::staticMetaObject.className(), name);
    return found;
}

ObjectiveSpec quadratic()
{
    ObjectiveSpec spec;
    spec.kind = "quadratic";
    spec.parameters = {{"a", 1}, {"b", 10}};
    return spec;
}

ObjectiveSpec linearData(std::uint64_t seed)
{
    ObjectiveSpec spec;
    spec.kind = "linear_regression";
    DataGeneratorSettings generate;
    generate.n = 300;
    generate.seed = seed;
    spec.generate = generate;
    return spec;
}

void choose(ObjectivePanel &panel, const char *kind)
{
    auto *combo = child<QComboBox>(panel, "objectiveCombo");
    const int index = combo->findData(QString::fromLatin1(kind));
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
}

void retype(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, text);
}

void typeInto(QAbstractSpinBox *spin, const QString &text)
{
    spin->setFocus();
    spin->findChild<QLineEdit *>()->selectAll();
    QTest::keyClicks(spin, text);
    QTest::keyClick(spin, Qt::Key_Enter);
}

ObjectiveSpec requested(const QSignalSpy &spy, int i = -1)
{
    return spy.at(i < 0 ? spy.count() - 1 : i).at(0).value<ObjectiveSpec>();
}

} // namespace

class TestObjectivePanel : public QObject {
    Q_OBJECT
private slots:
    void setObjectiveShowsWithoutEmitting();
    void formulaErrorShownInline();
    void characterIndex_data();
    void characterIndex();
    void nonAsciiFormulaCaret();
    void longFormulaShowsWindowAroundError();
    void namedFunctionEmits();
    void parametersOnlyForFunctionsThatHaveThem();
    void dataControls();
    void regenerateDrawsNewSeed();
    void stopRulesEmit();
    void dataErrorShowsAndHides();
    void importedDataNamesItsFile();
    void everyControlExplainsItself();
};

void TestObjectivePanel::setObjectiveShowsWithoutEmitting()
{
    ObjectivePanel panel;
    QSignalSpy objective(&panel, &ObjectivePanel::objectiveRequested);
    QSignalSpy stop(&panel, &ObjectivePanel::stopRulesEdited);

    ObjectiveSpec rastrigin;
    rastrigin.kind = "rastrigin";
    rastrigin.parameters = {{"A", 5}};
    StopRules rules;
    rules.maxSteps = 250;
    rules.gradTol = 1e-8;
    panel.setObjective(rastrigin, rules);
    QCOMPARE(child<QComboBox>(panel, "objectiveCombo")->currentData().toString(), QStringLiteral("rastrigin"));
    QCOMPARE(child<QDoubleSpinBox>(panel, "function_A")->value(), 5.0);
    QCOMPARE(child<QSpinBox>(panel, "maxSteps")->value(), 250);
    QCOMPARE(child<QDoubleSpinBox>(panel, "gradTol")->value(), 1e-8);
    QCOMPARE(child<QDoubleSpinBox>(panel, "gradTol")->text(), QStringLiteral("1e-8"));
    QCOMPARE(child<QDoubleSpinBox>(panel, "lossTol")->text(), QStringLiteral("off"));
    QVERIFY(!child<QGroupBox>(panel, "dataGroup")->isVisibleTo(&panel));
    QVERIFY(!child<QDoubleSpinBox>(panel, "maxEpochs")->isVisibleTo(&panel));

    ObjectiveSpec formula;
    formula.kind = "expression";
    formula.expression = "sin(x) + y^2";
    panel.setObjective(formula, rules);
    QCOMPARE(child<QLineEdit>(panel, "formulaEdit")->text(), QStringLiteral("sin(x) + y^2"));
    QVERIFY(child<QLineEdit>(panel, "formulaEdit")->isVisibleTo(&panel));

    panel.setObjective(linearData(7), rules);
    QVERIFY(child<QGroupBox>(panel, "dataGroup")->isVisibleTo(&panel));
    QVERIFY(child<QDoubleSpinBox>(panel, "maxEpochs")->isVisibleTo(&panel));
    QCOMPARE(child<QSpinBox>(panel, "dataN")->value(), 300);
    QCOMPARE(child<QSpinBox>(panel, "dataSeed")->value(), 7);

    QCOMPARE(objective.count(), 0);
    QCOMPARE(stop.count(), 0);
}

void TestObjectivePanel::formulaErrorShownInline()
{
    ObjectivePanel panel;
    panel.setObjective(quadratic(), StopRules{});
    choose(panel, "expression");
    QSignalSpy objective(&panel, &ObjectivePanel::objectiveRequested);
    auto *edit = child<QLineEdit>(panel, "formulaEdit");
    auto *error = child<QLabel>(panel, "formulaError");
    auto *debounce = child<QTimer>(panel, "formulaDebounce");

    retype(edit, QStringLiteral("x^2 + sn(y)"));
    QVERIFY(error->isVisibleTo(&panel));
    QVERIFY2(error->text().startsWith(QStringLiteral("position 7: ")), qPrintable(error->text()));
    QVERIFY2(error->text().contains(QStringLiteral("'sn'")), qPrintable(error->text()));
    QVERIFY(edit->property("invalid").toBool());
    const QString caret = child<QLabel>(panel, "formulaCaret")->text();
    QVERIFY2(caret.contains(QStringLiteral("x^2 + sn(y)\n      <span")), qPrintable(caret)); // caret under the s
    QVERIFY(!debounce->isActive()); // nothing is on its way
    QCOMPARE(objective.count(), 0);

    retype(edit, QStringLiteral("x^2 + sin(y)"));
    QVERIFY(!error->isVisibleTo(&panel));
    QVERIFY(!edit->property("invalid").toBool());
    QCOMPARE(objective.count(), 0); // not on every keystroke: after a pause
    QTRY_COMPARE_WITH_TIMEOUT(objective.count(), 1, 5000);
    QCOMPARE(requested(objective).kind, std::string("expression"));
    QCOMPARE(requested(objective).expression, std::string("x^2 + sin(y)"));
    QVERIFY(!debounce->isActive());
}

void TestObjectivePanel::characterIndex_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("byteOffset");
    QTest::addColumn<int>("character");
    QTest::newRow("ascii") << QStringLiteral("x^2 + sn(y)") << 6 << 6;
    QTest::newRow("after a two-byte character") << QStringLiteral("x² + sn(y)") << 6 << 5;
    QTest::newRow("inside a character") << QStringLiteral("x×y") << 2 << 1;
    QTest::newRow("after a four-byte character") << QStringLiteral("𝑥 + sn") << 7 << 4;
    QTest::newRow("end") << QStringLiteral("π +") << 4 << 3;
}

void TestObjectivePanel::characterIndex()
{
    QFETCH(QString, text);
    QFETCH(int, byteOffset);
    QFETCH(int, character);
    QCOMPARE(FormulaErrorView::characterIndex(text.toUtf8(), std::size_t(byteOffset)), std::size_t(character));
}

void TestObjectivePanel::nonAsciiFormulaCaret()
{
    // The parser stops at the first character outside ASCII; the caret goes under it, not under a byte.
    ObjectivePanel panel;
    panel.setObjective(quadratic(), StopRules{});
    choose(panel, "expression");
    child<QLineEdit>(panel, "formulaEdit")->setText(QStringLiteral("2 × x")); // as pasted: QTest types ASCII only
    const QString message = child<QLabel>(panel, "formulaError")->text();
    QVERIFY2(message.startsWith(QStringLiteral("position 3: ")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("'×'")), qPrintable(message));
    const QString caret = child<QLabel>(panel, "formulaCaret")->text();
    QVERIFY2(caret.contains(QStringLiteral("2 × x\n  <span")), qPrintable(caret));
}

void TestObjectivePanel::longFormulaShowsWindowAroundError()
{
    ObjectivePanel panel;
    panel.setObjective(quadratic(), StopRules{});
    choose(panel, "expression");
    retype(child<QLineEdit>(panel, "formulaEdit"), QStringLiteral("x^2 + y^2 + 0.5*sin(3*x)*cos(3*y) + tanh(x*y) + sn(y) + exp(-x^2) + 0.1*x^4"));
    QVERIFY(child<QLabel>(panel, "formulaError")->text().startsWith(QStringLiteral("position 49: ")));
    const QString caret = child<QLabel>(panel, "formulaCaret")->text();
    const qsizetype newline = caret.indexOf(QLatin1Char('\n'));
    const QString shown = caret.left(newline).section(QLatin1Char('>'), 1); // after <pre ...>
    QVERIFY2(shown.startsWith(QStringLiteral("…")) && shown.endsWith(QStringLiteral("…")), qPrintable(shown));
    QCOMPARE(shown.size(), FormulaErrorView::maxShownCharacters + 2);
    const qsizetype column = caret.indexOf(QStringLiteral("<span"), newline) - newline - 1;
    QCOMPARE(shown.mid(column, 2), QStringLiteral("sn")); // the caret is under the s
}

void TestObjectivePanel::namedFunctionEmits()
{
    ObjectivePanel panel;
    panel.setObjective(quadratic(), StopRules{});
    QSignalSpy objective(&panel, &ObjectivePanel::objectiveRequested);
    choose(panel, "rosenbrock");
    QCOMPARE(objective.count(), 1);
    QCOMPARE(requested(objective).kind, std::string("rosenbrock"));
    QCOMPARE(requested(objective).parameters, (std::map<std::string, double>{{"a", 1}, {"b", 100}}));

    typeInto(child<QDoubleSpinBox>(panel, "function_b"), QStringLiteral("10"));
    QCOMPARE(objective.count(), 2); // the typed number, not 1 and then 10
    QCOMPARE(requested(objective).parameters.at("b"), 10.0);
}

void TestObjectivePanel::parametersOnlyForFunctionsThatHaveThem()
{
    ObjectivePanel panel;
    panel.setObjective(quadratic(), StopRules{});
    QVERIFY(panel.findChild<QDoubleSpinBox *>(QStringLiteral("function_a")));
    QVERIFY(panel.findChild<QDoubleSpinBox *>(QStringLiteral("function_b")));
    choose(panel, "booth");
    QVERIFY(!panel.findChild<QDoubleSpinBox *>(QStringLiteral("function_a")));
    QVERIFY(!panel.findChild<QDoubleSpinBox *>(QStringLiteral("function_b")));
    choose(panel, "rastrigin");
    QCOMPARE(child<QDoubleSpinBox>(panel, "function_A")->value(), 10.0);
}

void TestObjectivePanel::dataControls()
{
    ObjectivePanel panel;
    panel.setObjective(quadratic(), StopRules{});
    QSignalSpy objective(&panel, &ObjectivePanel::objectiveRequested);
    choose(panel, "logistic_regression");
    QCOMPARE(objective.count(), 1);
    QCOMPARE(requested(objective).kind, std::string("logistic_regression"));
    QVERIFY(requested(objective).generate.has_value());
    QVERIFY(requested(objective).csvPath.empty());
    QVERIFY(child<QDoubleSpinBox>(panel, "dataSeparation")->isVisibleTo(&panel));
    QVERIFY(!child<QDoubleSpinBox>(panel, "dataNoise")->isVisibleTo(&panel));

    typeInto(child<QSpinBox>(panel, "dataN"), QStringLiteral("500"));
    QCOMPARE(objective.count(), 2);
    QCOMPARE(requested(objective).generate->n, std::size_t(500));

    choose(panel, "linear_regression");
    QVERIFY(child<QDoubleSpinBox>(panel, "dataNoise")->isVisibleTo(&panel));
    child<QDoubleSpinBox>(panel, "dataNoise")->setValue(2);
    QCOMPARE(requested(objective).kind, std::string("linear_regression"));
    QCOMPARE(requested(objective).generate->noise, 2.0);
    QCOMPARE(requested(objective).generate->n, std::size_t(500));
}

void TestObjectivePanel::regenerateDrawsNewSeed()
{
    ObjectivePanel panel;
    panel.setObjective(linearData(7), StopRules{});
    QSignalSpy objective(&panel, &ObjectivePanel::objectiveRequested);
    QTest::mouseClick(child<QPushButton>(panel, "regenerateButton"), Qt::LeftButton);
    QCOMPARE(objective.count(), 1);
    const ObjectiveSpec spec = requested(objective);
    QCOMPARE(spec.kind, std::string("linear_regression"));
    QVERIFY(spec.generate.has_value());
    QCOMPARE(spec.generate->seed, std::uint64_t(8));
    QCOMPARE(spec.generate->n, std::size_t(300)); // everything else as it was
    QCOMPARE(child<QSpinBox>(panel, "dataSeed")->value(), 8);
}

void TestObjectivePanel::stopRulesEmit()
{
    ObjectivePanel panel;
    StopRules rules;
    rules.divergenceBound = 1e4;
    panel.setObjective(linearData(0), rules);
    QSignalSpy stop(&panel, &ObjectivePanel::stopRulesEdited);
    QSignalSpy objective(&panel, &ObjectivePanel::objectiveRequested);

    typeInto(child<QSpinBox>(panel, "maxSteps"), QStringLiteral("5000000"));
    QCOMPARE(stop.count(), 1);
    QCOMPARE(stop.last().at(0).value<StopRules>().maxSteps, 5'000'000L);
    typeInto(child<QDoubleSpinBox>(panel, "gradTol"), QStringLiteral("1e-12"));
    QCOMPARE(stop.last().at(0).value<StopRules>().gradTol, 1e-12);
    typeInto(child<QDoubleSpinBox>(panel, "lossTol"), QStringLiteral("1e-9"));
    QCOMPARE(stop.last().at(0).value<StopRules>().lossTol, 1e-9);
    typeInto(child<QDoubleSpinBox>(panel, "maxEpochs"), QStringLiteral("3"));
    const StopRules last = stop.last().at(0).value<StopRules>();
    QCOMPARE(stop.count(), 4);
    QCOMPARE(last.maxEpochs, 3.0);
    QCOMPARE(last.maxSteps, 5'000'000L);
    QCOMPARE(last.divergenceBound, std::optional<double>(1e4)); // kept
    QCOMPARE(objective.count(), 0);
}

void TestObjectivePanel::dataErrorShowsAndHides()
{
    ObjectivePanel panel;
    panel.setObjective(linearData(0), StopRules{});
    auto *label = child<QLabel>(panel, "dataError");
    QVERIFY(!label->isVisibleTo(&panel));
    panel.showDataError(QStringLiteral("points.csv: line 7: 'abc' is not a number"));
    QVERIFY(label->isVisibleTo(&panel));
    QCOMPARE(label->text(), QStringLiteral("points.csv: line 7: 'abc' is not a number"));
    QVERIFY(label->wordWrap());
    panel.showDataError({});
    QVERIFY(!label->isVisibleTo(&panel));
}

void TestObjectivePanel::importedDataNamesItsFile()
{
    ObjectivePanel panel;
    ObjectiveSpec spec;
    spec.kind = "linear_regression";
    spec.csvPath = "/data/points.csv";
    panel.setObjective(spec, StopRules{});
    auto *source = child<QLabel>(panel, "dataSource");
    QVERIFY(source->isVisibleTo(&panel));
    QVERIFY2(source->text().contains(QStringLiteral("points.csv")), qPrintable(source->text()));
    panel.setObjective(linearData(1), StopRules{});
    QVERIFY(!source->isVisibleTo(&panel));
}

void TestObjectivePanel::everyControlExplainsItself()
{
    ObjectivePanel panel;
    for (const char *kind : {"quadratic", "rosenbrock", "rastrigin", "expression", "linear_regression", "logistic_regression"}) {
        choose(panel, kind);
        for (QWidget *w : panel.findChildren<QWidget *>()) {
            const bool control = qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QComboBox *>(w)
                                 || qobject_cast<QPushButton *>(w)
                                 || (qobject_cast<QLineEdit *>(w) && !qobject_cast<QAbstractSpinBox *>(w->parent()));
            if (control)
                QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName()));
        }
    }
}

QTEST_MAIN(TestObjectivePanel)
#include "tst_objectivepanel.moc"
