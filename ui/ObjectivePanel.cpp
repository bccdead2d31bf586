#include "ObjectivePanel.h"

#include "AnalyticFunctions.h"
#include "Expression.h"
#include "FormulaErrorView.h"
#include "NumberSpinBox.h"

#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <climits>
#include <cmath>
#include <functional>
#include <vector>

// Object names, for tests and the window: "objectiveCombo", "function_<parameter>" (e.g. "function_b"),
// "formulaEdit", "formulaErrorView" ("formulaCaret", "formulaError"), "formulaDebounce" (the timer),
// "dataGroup", "dataN", "dataNoise", "dataSeparation", "dataBalance", "dataSeed", "regenerateButton",
// "importCsvButton", "dataSource", "dataError", "stopGroup", "maxSteps", "maxEpochs", "gradTol", "lossTol".

namespace gdviz {

namespace {

/// Combo boxes may shrink to this many characters in a narrow panel (their lists still show every title).
constexpr int minimumComboCharacters = 10;

const QString expressionKind = QStringLiteral("expression");
const QString linearKind = QStringLiteral("linear_regression");
const QString logisticKind = QStringLiteral("logistic_regression");
const QString firstFormula = QStringLiteral("x^2 + 3*y^2"); // offered when Formula… is chosen with an empty box
constexpr int debounceMs = 300; // typing pauses this long before a valid formula recomputes the surface
constexpr int maxGeneratedSamples = 1'000'000;
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

/// Calls back when the watched widget's font changes (the window's zoom for projectors).
class FontChangeWatcher : public QObject {
public:
    FontChangeWatcher(QWidget *watched, std::function<void()> onChange)
        : QObject(watched)
        , m_onChange(std::move(onChange))
    {
        watched->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::FontChange)
            m_onChange();
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_onChange;
};

} // namespace

struct ObjectivePanel::Private {
    ObjectivePanel *q = nullptr;
    bool updating = false; // true while filling controls: nothing is emitted
    ObjectiveSpec spec; // the objective in effect: last set or requested
    StopRules stop;
    DataGeneratorSettings generator; // what the data controls show

    QComboBox *objective = nullptr;
    QFormLayout *objectiveForm = nullptr;
    int firstFunctionRow = 0;
    std::vector<std::pair<std::string, NumberSpinBox *>> functionParameters;
    QWidget *formulaRow = nullptr; // "f(x, y) =" and the formula, across the whole panel
    QLineEdit *formula = nullptr;
    FormulaErrorView *formulaError = nullptr;
    QTimer *debounce = nullptr;

    QGroupBox *dataGroup = nullptr;
    QFormLayout *dataForm = nullptr;
    QSpinBox *sampleCount = nullptr, *seed = nullptr;
    NumberSpinBox *noise = nullptr, *separation = nullptr, *balance = nullptr;
    QLabel *dataSource = nullptr, *dataError = nullptr;

    QFormLayout *stopForm = nullptr;
    QSpinBox *maxSteps = nullptr;
    NumberSpinBox *maxEpochs = nullptr, *gradTol = nullptr, *lossTol = nullptr;

    void buildObjectiveGroup(QVBoxLayout *layout);
    void buildDataGroup(QVBoxLayout *layout);
    void buildStopGroup(QVBoxLayout *layout);
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
    void fillData();
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
    objectiveForm->addRow(tr("Function"), objective);
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

void ObjectivePanel::Private::buildDataGroup(QVBoxLayout *layout)
{
    dataGroup = new QGroupBox(tr("Data"), q);
    dataGroup->setObjectName(QStringLiteral("dataGroup"));
    dataForm = new QFormLayout(dataGroup);
    dataForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    dataSource = new QLabel(dataGroup);
    dataSource->setObjectName(QStringLiteral("dataSource"));
    dataSource->setWordWrap(true);
    dataForm->addRow(dataSource);

    sampleCount = new QSpinBox(dataGroup);
    sampleCount->setObjectName(QStringLiteral("dataN"));
    sampleCount->setRange(1, maxGeneratedSamples);
    sampleCount->setGroupSeparatorShown(true);
    sampleCount->setKeyboardTracking(false);
    sampleCount->setToolTip(tr("How many samples to generate; an epoch visits each of them once, so more samples "
                               "make an epoch take more stochastic steps."));
    dataForm->addRow(tr("Samples (n)"), sampleCount);
    auto real = [this](const char *name, const QString &tip, double max, double step) {
        auto *spin = new NumberSpinBox(dataGroup);
        spin->setObjectName(QLatin1String(name));
        spin->setRange(0, max);
        spin->setSingleStep(step);
        spin->setToolTip(tip);
        connect(spin, &QDoubleSpinBox::valueChanged, q, [this] { emitGenerated(); });
        return spin;
    };
    noise = real("dataNoise", tr("How far the points scatter around the line: more noise makes mini-batch gradients "
                                 "disagree more, so their paths wander."), 1000, 0.1);
    separation = real("dataSeparation", tr("The distance between the two classes' centres: larger values overlap them "
                                           "less and make the loss surface steeper."), 100, 0.5);
    balance = real("dataBalance", tr("The share of samples with label 1, from 0 to 1."), 1, 0.05);
    dataForm->addRow(tr("noise"), noise);
    dataForm->addRow(tr("separation"), separation);
    dataForm->addRow(tr("balance"), balance);

    seed = new QSpinBox(dataGroup);
    seed->setObjectName(QStringLiteral("dataSeed"));
    seed->setRange(0, INT_MAX);
    seed->setKeyboardTracking(false);
    seed->setToolTip(tr("Seeds the generator: the same seed gives the same samples on every machine."));
    dataForm->addRow(tr("Seed"), seed);
    connect(sampleCount, &QSpinBox::valueChanged, q, [this] { emitGenerated(); });
    connect(seed, &QSpinBox::valueChanged, q, [this] { emitGenerated(); });

    auto *buttons = new QWidget(dataGroup);
    auto *buttonLayout = new QHBoxLayout(buttons);
    buttonLayout->setContentsMargins(0, 0, 0, 0);
    auto *regenerate = new QPushButton(tr("Regenerate"), buttons);
    regenerate->setObjectName(QStringLiteral("regenerateButton"));
    regenerate->setToolTip(tr("Draws a fresh set of samples from the same settings, with the next seed."));
    auto *importCsv = new QPushButton(tr("Import CSV…"), buttons);
    importCsv->setObjectName(QStringLiteral("importCsvButton"));
    importCsv->setToolTip(tr("Loads samples from a CSV file with two columns: x and y, or x and a 0/1 label."));
    buttonLayout->addWidget(regenerate);
    buttonLayout->addWidget(importCsv);
    buttonLayout->addStretch(1);
    dataForm->addRow(buttons);
    connect(regenerate, &QPushButton::clicked, q, [this] {
        updating = true;
        seed->setValue(seed->value() == seed->maximum() ? 0 : seed->value() + 1);
        updating = false;
        emitGenerated();
    });
    connect(importCsv, &QPushButton::clicked, q, [this] {
        const QString path = QFileDialog::getOpenFileName(q, tr("Import data"), QString(),
                                                          tr("CSV files (*.csv);;All files (*)"));
        if (path.isEmpty())
            return;
        ObjectiveSpec next;
        next.kind = currentKind().toStdString();
        next.csvPath = QFileInfo(path).absoluteFilePath().toStdString();
        request(next);
    });

    dataError = new QLabel(dataGroup);
    dataError->setObjectName(QStringLiteral("dataError"));
    dataError->setWordWrap(true);
    dataError->setStyleSheet(QStringLiteral("color: #c62828;"));
    dataError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    dataError->setToolTip(tr("Why the data could not be used; the runs keep the previous data."));
    dataForm->addRow(dataError);
    dataForm->setRowVisible(dataError, false);
    layout->addWidget(dataGroup);
}

void ObjectivePanel::Private::buildStopGroup(QVBoxLayout *layout)
{
    auto *group = new QGroupBox(tr("Stop rules"), q);
    group->setObjectName(QStringLiteral("stopGroup"));
    stopForm = new QFormLayout(group);
    stopForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    maxSteps = new QSpinBox(group);
    maxSteps->setObjectName(QStringLiteral("maxSteps"));
    maxSteps->setRange(0, 10'000'000);
    maxSteps->setSingleStep(100);
    maxSteps->setGroupSeparatorShown(true);
    maxSteps->setSpecialValueText(tr("no limit"));
    maxSteps->setKeyboardTracking(false);
    maxSteps->setToolTip(tr("Stop a run after this many updates (0: no limit)."));
    stopForm->addRow(tr("Max steps"), maxSteps);
    connect(maxSteps, &QSpinBox::valueChanged, q, [this](int v) {
        if (updating)
            return;
        stop.maxSteps = v;
        emit q->stopRulesEdited(stop);
    });

    auto real = [this, group](const char *name, const QString &special, const QString &tip, double max,
                              double StopRules::*field) {
        auto *spin = new NumberSpinBox(group);
        spin->setObjectName(QLatin1String(name));
        spin->setRange(0, max);
        spin->setSpecialValueText(special);
        spin->setToolTip(tip);
        connect(spin, &QDoubleSpinBox::valueChanged, q, [this, field](double v) {
            if (updating)
                return;
            stop.*field = v;
            emit q->stopRulesEdited(stop);
        });
        return spin;
    };
    maxEpochs = real("maxEpochs", tr("no limit"), tr("Stop a run once it has seen every sample this many times (0: no limit)."),
                     1e6, &StopRules::maxEpochs);
    maxEpochs->setSingleStep(1);
    gradTol = real("gradTol", tr("off"), tr("Stop a run when the length of its full gradient falls below this value (0: never)."),
                   1e6, &StopRules::gradTol);
    gradTol->setLogarithmicSteps(true, 1e-12);
    lossTol = real("lossTol", tr("off"), tr("Stop a run when the loss changes by less than this fraction of itself in "
                                            "one update (0: never)."), 1, &StopRules::lossTol);
    lossTol->setLogarithmicSteps(true, 1e-12);
    stopForm->addRow(tr("Max epochs"), maxEpochs);
    stopForm->addRow(tr("Gradient tolerance"), gradTol);
    stopForm->addRow(tr("Loss tolerance"), lossTol);
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
    const bool expression = kind == expressionKind;
    const bool data = kind == linearKind || kind == logisticKind;
    objectiveForm->setRowVisible(formulaRow, expression);
    objectiveForm->setRowVisible(formulaError, expression && !formulaError->message().isEmpty());
    dataGroup->setVisible(data);
    dataForm->setRowVisible(noise, kind == linearKind);
    dataForm->setRowVisible(separation, kind == logisticKind);
    dataForm->setRowVisible(balance, kind == logisticKind);
    dataForm->setRowVisible(dataSource, data && !spec.csvPath.empty() && spec.kind == kind.toStdString());
    stopForm->setRowVisible(maxEpochs, data);
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
    for (QFormLayout *form : {objectiveForm, dataForm, stopForm}) {
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
    const bool logistic = currentKind() == logisticKind;
    generator.n = std::size_t(sampleCount->value());
    generator.seed = std::uint64_t(seed->value());
    if (logistic) {
        generator.separation = separation->value();
        generator.balance = balance->value();
    } else {
        generator.noise = noise->value();
    }
    const std::string error = generator.validate(logistic);
    if (!error.empty()) {
        q->showDataError(QString::fromStdString(error));
        return;
    }
    ObjectiveSpec next;
    next.kind = currentKind().toStdString();
    next.generate = generator;
    q->showDataError({});
    request(next);
}

void ObjectivePanel::Private::request(ObjectiveSpec next)
{
    spec = std::move(next);
    updateVisibility();
    emit q->objectiveRequested(spec);
}

void ObjectivePanel::Private::fillData()
{
    sampleCount->setValue(int(std::min<std::size_t>(generator.n, maxGeneratedSamples)));
    seed->setValue(int(std::min<std::uint64_t>(generator.seed, INT_MAX)));
    noise->setValue(generator.noise);
    separation->setValue(generator.separation);
    balance->setValue(generator.balance);
    const QFileInfo file(QString::fromStdString(spec.csvPath));
    dataSource->setText(tr("Samples from %1; change a setting below or Regenerate to generate samples instead.")
                            .arg(file.fileName()));
    dataSource->setToolTip(tr("The CSV file the samples came from: %1").arg(file.filePath()));
}

ObjectivePanel::ObjectivePanel(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    auto *layout = new QVBoxLayout(this);
    d->buildObjectiveGroup(layout);
    d->buildDataGroup(layout);
    d->buildStopGroup(layout);
    layout->addStretch(1);
    d->updateMonospaceFont();
    d->alignLabels();
    new FontChangeWatcher(this, [this] {
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
    d->stop = stop;
    const int index = d->objective->findData(QString::fromStdString(spec.kind));
    if (index >= 0)
        d->objective->setCurrentIndex(index);
    d->rebuildFunctionParameters(findAnalyticFunction(spec.kind), spec.parameters);
    if (spec.kind == "expression")
        d->formula->setText(QString::fromStdString(spec.expression));
    d->checkFormula();
    if (spec.generate)
        d->generator = *spec.generate;
    d->fillData();
    d->maxSteps->setValue(int(std::clamp<long>(stop.maxSteps, 0, d->maxSteps->maximum())));
    d->maxEpochs->setValue(stop.maxEpochs);
    d->gradTol->setValue(stop.gradTol);
    d->lossTol->setValue(stop.lossTol);
    d->updateVisibility();
    d->updating = false;
}

void ObjectivePanel::showDataError(const QString &message)
{
    d->dataError->setText(message);
    d->dataForm->setRowVisible(d->dataError, !message.isEmpty());
}

} // namespace gdviz
