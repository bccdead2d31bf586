#include "ObjectivePanel.h"

#include "AnalyticFunctions.h"
#include "DataSetEditor.h"
#include "EventWatcher.h"
#include "Expression.h"
#include "FormulaErrorView.h"
#include "NumberSpinBox.h"
#include "StopRulesEditor.h"

#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>
#include <functional>
#include <vector>

// Object names, for tests and the window: "objectiveGroup", "objectiveCombo", "function_<parameter>" (e.g.
// "function_b"), "formulaEdit", "formulaErrorView" ("formulaCaret", "formulaError"), "formulaDebounce" (the
// timer); the data and stop groups name theirs in DataSetEditor.cpp and StopRulesEditor.cpp.

namespace gdviz {

namespace {

/// Combo boxes may shrink to this many characters in a narrow panel (their lists still show every title).
constexpr int minimumComboCharacters = 10;

const QString expressionKind = QStringLiteral("expression");
const QString linearKind = QStringLiteral("linear_regression");
const QString logisticKind = QStringLiteral("logistic_regression");
const QString firstFormula = QStringLiteral("x^2 + 3*y^2"); // offered when Formula… is chosen with an empty box
constexpr int debounceMs = 300; // typing pauses this long before a valid formula recomputes the surface
const QString invalidFrame = QStringLiteral("QLineEdit { border: 2px solid #c62828; border-radius: 3px; padding: 1px 2px; }");

/// What a named function's parameter does to the surface, for its tooltip.
QString functionParameterTip(const std::string &function, const std::string &parameter)
{
    struct Tip {
        const char *function, *parameter, *text;
    };
    static const Tip tips[] = {
        {"quadratic", "a", QT_TRANSLATE_NOOP("gdviz::ObjectivePanel", "The curvature along x: a larger a makes the bowl steeper across x.")},
        {"quadratic", "b", QT_TRANSLATE_NOOP("gdviz::ObjectivePanel", "The curvature along y: the larger b is against a, the narrower the valley and the more plain gradient descent zig-zags.")},
        {"rosenbrock", "a", QT_TRANSLATE_NOOP("gdviz::ObjectivePanel", "Moves the minimum, which lies at (a, a²) at the end of the curved valley.")},
        {"rosenbrock", "b", QT_TRANSLATE_NOOP("gdviz::ObjectivePanel", "The steepness of the valley's walls: a larger b makes the valley narrower and slower to follow.")},
        {"rastrigin", "A", QT_TRANSLATE_NOOP("gdviz::ObjectivePanel", "The height of the ripples: a larger A makes the local minima deeper traps.")},
    };
    for (const Tip &tip : tips)
        if (function == tip.function && parameter == tip.parameter)
            return ObjectivePanel::tr(tip.text);
    return ObjectivePanel::tr("A parameter of the function, changing the shape of its surface.");
}

} // namespace

struct ObjectivePanel::Private {
    ObjectivePanel *q = nullptr;
    bool updating = false; // true while filling controls: nothing is emitted
    ObjectiveSpec spec; // the objective in effect: last set or requested

    QComboBox *objective = nullptr;
    QFormLayout *objectiveForm = nullptr;
    int firstFunctionRow = 0;
    std::vector<std::pair<std::string, NumberSpinBox *>> functionParameters;
    QWidget *formulaRow = nullptr; // "f(x, y) =" and the formula, across the whole panel
    QLineEdit *formula = nullptr;
    FormulaErrorView *formulaError = nullptr;
    QTimer *debounce = nullptr;

    DataSetEditor *data = nullptr;
    StopRulesEditor *stopRules = nullptr;

    void buildObjectiveGroup(QVBoxLayout *layout);
    QString currentKind() const { return objective->currentData().toString(); }
    void rebuildFunctionParameters(const AnalyticFunctionInfo *info, const std::map<std::string, double> &values);
    void updateVisibility();
    void updateMonospaceFont();
    void alignLabels();
    bool checkFormula(); // shows or clears the error; true when the formula parses
    void kindChosen();
    void emitFunction();
    void emitFormulaIfChanged();
    void emitGenerated();
    void request(ObjectiveSpec next);

    static QString tr(const char *text) { return ObjectivePanel::tr(text); }
};

void ObjectivePanel::Private::buildObjectiveGroup(QVBoxLayout *layout)
{
    auto *group = new QGroupBox(tr("Objective"), q);
    group->setObjectName(QStringLiteral("objectiveGroup"));
    objectiveForm = new QFormLayout(group);
    objectiveForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    objective = new QComboBox(group);
    objective->setObjectName(QStringLiteral("objectiveCombo"));
    QObject::connect(objective, &QComboBox::currentTextChanged, objective, [combo = objective](const QString &text) {
        combo->setToolTip(text); // the whole name where a narrow dock cuts it
    });
    objective->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    objective->setMinimumContentsLength(minimumComboCharacters);
    for (const auto &info : analyticFunctions())
        objective->addItem(QString::fromStdString(info.title), QString::fromStdString(info.name));
    objective->insertSeparator(objective->count());
    objective->addItem(tr("Formula…"), expressionKind);
    objective->insertSeparator(objective->count());
    objective->addItem(tr("Linear regression (data)"), linearKind);
    objective->addItem(tr("Logistic regression (data)"), logisticKind);
    objective->setToolTip(tr("The cost surface the runs descend: a classic test function, your own formula in x and y, "
                             "or the loss of a regression on data."));
    // The whole row, under the group's title: beside a "Function" label, large text on a small screen cut the
    // names ("Linear regressio"); across the group the longest name fits at three steps of Ctrl++ on 1024 px.
    objective->setAccessibleName(tr("Function"));
    objectiveForm->addRow(objective);
    firstFunctionRow = objectiveForm->rowCount();
    connect(objective, &QComboBox::currentIndexChanged, q, [this] { kindChosen(); });

    formula = new QLineEdit(group);
    formula->setObjectName(QStringLiteral("formulaEdit"));
    formula->setPlaceholderText(tr("a formula in x and y, e.g. %1").arg(firstFormula));
    formula->setToolTip(tr("The cost as a formula in x and y (+ - * / ^, sin cos tan exp log sqrt abs tanh, pi, e); "
                           "the surface follows when you pause typing."));
    // The formula gets the panel's whole width: formulas grow long, and the class reads them.
    formulaRow = new QWidget(group);
    auto *formulaLayout = new QHBoxLayout(formulaRow);
    formulaLayout->setContentsMargins(0, 0, 0, 0);
    auto *formulaLabel = new QLabel(tr("f(x, y) ="), formulaRow);
    formulaLabel->setBuddy(formula);
    formulaLabel->setToolTip(formula->toolTip());
    formulaLayout->addWidget(formulaLabel);
    formulaLayout->addWidget(formula, 1);
    formula->setParent(formulaRow);
    objectiveForm->addRow(formulaRow);
    formulaError = new FormulaErrorView(group);
    formulaError->setObjectName(QStringLiteral("formulaErrorView"));
    objectiveForm->addRow(formulaError);
    debounce = new QTimer(q);
    debounce->setObjectName(QStringLiteral("formulaDebounce"));
    debounce->setSingleShot(true);
    debounce->setInterval(debounceMs);
    connect(debounce, &QTimer::timeout, q, [this] { emitFormulaIfChanged(); });
    connect(formula, &QLineEdit::textChanged, q, [this] {
        if (updating)
            return;
        if (checkFormula())
            debounce->start();
        else
            debounce->stop();
    });
    connect(formula, &QLineEdit::returnPressed, q, [this] { // no need to wait after Enter
        if (!updating && checkFormula()) {
            debounce->stop();
            emitFormulaIfChanged();
        }
    });
    layout->addWidget(group);
}

void ObjectivePanel::Private::rebuildFunctionParameters(const AnalyticFunctionInfo *info,
                                                        const std::map<std::string, double> &values)
{
    for (std::size_t i = 0; i < functionParameters.size(); ++i)
        objectiveForm->removeRow(firstFunctionRow); // deletes the label and the spin box
    functionParameters.clear();
    if (!info)
        return;
    int row = firstFunctionRow;
    for (const AnalyticParameter &p : info->parameters) {
        auto *spin = new NumberSpinBox(q);
        spin->setObjectName(QStringLiteral("function_") + QString::fromStdString(p.name));
        spin->setRange(-1e6, 1e6);
        // A tenth of the default's order of magnitude: 0.1 for a = 1, 10 for b = 100.
        spin->setSingleStep(p.defaultValue == 0 ? 0.1 : std::pow(10.0, std::floor(std::log10(std::abs(p.defaultValue))) - 1));
        const auto found = values.find(p.name);
        spin->setValue(found != values.end() ? found->second : p.defaultValue);
        spin->setToolTip(functionParameterTip(info->name, p.name));
        connect(spin, &QDoubleSpinBox::valueChanged, q, [this] { emitFunction(); });
        auto *label = new QLabel(QString::fromStdString(p.name), q);
        label->setToolTip(spin->toolTip());
        label->setBuddy(spin);
        objectiveForm->insertRow(row++, label, spin);
        functionParameters.emplace_back(p.name, spin);
    }
    alignLabels();
}

void ObjectivePanel::Private::updateVisibility()
{
    const QString kind = currentKind();
    const bool dataKind = kind == linearKind || kind == logisticKind;
    objectiveForm->setRowVisible(formulaRow, kind == expressionKind);
    objectiveForm->setRowVisible(formulaError, kind == expressionKind && !formulaError->message().isEmpty());
    data->setVisible(dataKind);
    data->setCsvSource(spec.kind == kind.toStdString() ? QString::fromStdString(spec.csvPath) : QString());
    stopRules->setDataObjective(dataKind);
}

void ObjectivePanel::Private::updateMonospaceFont()
{
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(q->font().pointSizeF());
    formula->setFont(mono);
    formulaError->setMonospaceFont(mono);
}

void ObjectivePanel::Private::alignLabels()
{
    // The three groups' fields start at the same x, as if they were one form.
    std::vector<QWidget *> labels;
    int widest = 0;
    for (QFormLayout *form : {objectiveForm, data->form(), stopRules->form()}) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (QLayoutItem *item = form->itemAt(row, QFormLayout::LabelRole); item && item->widget()) {
                labels.push_back(item->widget());
                widest = std::max(widest, item->widget()->sizeHint().width());
            }
        }
    }
    for (QWidget *label : labels)
        label->setMinimumWidth(widest);
}

bool ObjectivePanel::Private::checkFormula()
{
    ExpressionError error;
    const bool ok = Expression::parse(formula->text().toStdString(), &error).has_value();
    if (ok)
        formulaError->clear();
    else
        formulaError->showError(formula->text(), error);
    formula->setStyleSheet(ok ? QString() : invalidFrame);
    formula->setProperty("invalid", !ok);
    objectiveForm->setRowVisible(formulaError, !ok);
    return ok;
}

void ObjectivePanel::Private::kindChosen()
{
    if (updating)
        return;
    const QString kind = currentKind();
    const std::string name = kind.toStdString();
    rebuildFunctionParameters(findAnalyticFunction(name), name == spec.kind ? spec.parameters : std::map<std::string, double>{});
    debounce->stop();
    if (kind == expressionKind) {
        if (formula->text().trimmed().isEmpty()) {
            updating = true;
            formula->setText(firstFormula);
            updating = false;
        }
        if (checkFormula())
            emitFormulaIfChanged(); // a deliberate choice: no need to wait
    } else if (kind == linearKind || kind == logisticKind) {
        data->setGenerator(data->generator(), kind == logisticKind);
        emitGenerated();
    } else {
        emitFunction();
    }
    updateVisibility();
}

void ObjectivePanel::Private::emitFunction()
{
    if (updating)
        return;
    ObjectiveSpec next;
    next.kind = currentKind().toStdString();
    for (const auto &[name, spin] : functionParameters)
        next.parameters[name] = spin->value();
    request(next);
}

void ObjectivePanel::Private::emitFormulaIfChanged()
{
    const std::string text = formula->text().toStdString();
    if (spec.kind == "expression" && spec.expression == text)
        return;
    ObjectiveSpec next;
    next.kind = "expression";
    next.expression = text;
    request(next);
}

void ObjectivePanel::Private::emitGenerated()
{
    if (updating)
        return;
    const DataGeneratorSettings generator = data->generator();
    const std::string error = generator.validate(currentKind() == logisticKind);
    data->showError(QString::fromStdString(error));
    if (!error.empty())
        return;
    ObjectiveSpec next;
    next.kind = currentKind().toStdString();
    next.generate = generator;
    request(next);
}

void ObjectivePanel::Private::request(ObjectiveSpec next)
{
    spec = std::move(next);
    updateVisibility();
    emit q->objectiveRequested(spec);
}

ObjectivePanel::ObjectivePanel(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0); // the groups frame themselves
    d->buildObjectiveGroup(layout);
    d->data = new DataSetEditor(this);
    layout->addWidget(d->data);
    connect(d->data, &DataSetEditor::generatorEdited, this, [this] { d->emitGenerated(); });
    connect(d->data, &DataSetEditor::csvFileChosen, this, [this](const QString &path) {
        ObjectiveSpec next;
        next.kind = d->currentKind().toStdString();
        next.csvPath = path.toStdString();
        d->request(next);
    });
    d->stopRules = new StopRulesEditor(this);
    layout->addWidget(d->stopRules);
    connect(d->stopRules, &StopRulesEditor::edited, this, &ObjectivePanel::stopRulesEdited);
    // No stretch of its own: in the controls dock the selected run's group follows right below, and the dock's
    // stretch takes the room that is left (a second stretch here left an empty band above that group).
    d->updateMonospaceFont();
    d->alignLabels();
    new EventWatcher(this, QEvent::FontChange, [this] {
        d->updateMonospaceFont();
        // Queued: the labels receive the new font after the panel does.
        QMetaObject::invokeMethod(this, [this] { d->alignLabels(); }, Qt::QueuedConnection);
    });

    ObjectiveSpec initial;
    initial.kind = analyticFunctions().front().name;
    setObjective(initial, StopRules{});
}

ObjectivePanel::~ObjectivePanel()
{
    // QWidget deletes the children after d is gone; a focused line edit would still report editingFinished.
    for (QObject *child : findChildren<QObject *>())
        child->blockSignals(true);
}

void ObjectivePanel::setObjective(const ObjectiveSpec &spec, const StopRules &stop)
{
    d->updating = true;
    d->debounce->stop();
    d->spec = spec;
    const int index = d->objective->findData(QString::fromStdString(spec.kind));
    if (index >= 0)
        d->objective->setCurrentIndex(index);
    d->rebuildFunctionParameters(findAnalyticFunction(spec.kind), spec.parameters);
    if (spec.kind == "expression")
        d->formula->setText(QString::fromStdString(spec.expression));
    d->checkFormula();
    d->data->setGenerator(spec.generate ? *spec.generate : d->data->generator(), spec.isLogistic());
    d->stopRules->setStopRules(stop);
    d->updateVisibility();
    d->updating = false;
}

void ObjectivePanel::setSampleCount(std::size_t n)
{
    d->data->setLoadedSampleCount(n);
}

void ObjectivePanel::showDataError(const QString &message)
{
    d->data->showError(message);
}

void ObjectivePanel::showFormulaError(const QString &message)
{
    if (message.isEmpty())
        d->formulaError->clear();
    else
        d->formulaError->showMessage(message);
    d->formula->setStyleSheet(message.isEmpty() ? QString() : invalidFrame);
    d->formula->setProperty("invalid", !message.isEmpty());
    d->objectiveForm->setRowVisible(d->formulaError, !message.isEmpty());
}

} // namespace gdviz
