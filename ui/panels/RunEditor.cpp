#include "RunEditor.h"

#include "HyperParameterEditor.h"
#include "LearningRateControl.h"
#include "NumberSpinBox.h"
#include "MessageText.h"
#include "ScenarioReader.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include <climits>
#include <vector>

// Every control has an object name, so tests and the window find them: "nameEdit", "optimizerCombo",
// "lrSlider", "lrSpin", "param_<torch name>" (a pair: "param_betas_0", "param_betas_1"), "optimizerError",
// "batchCombo", "batchSizeSpin", "shuffleCheck", "seedSpin", "scheduleCombo", "schedule_<field>",
// "scheduleError", "start0", "start1".

namespace gdviz {

namespace {

/// Combo boxes may shrink to this many characters in a narrow panel (their lists still show every title).
constexpr int minimumComboCharacters = 10;

enum BatchChoice { FullBatch, Stochastic, MiniBatch };
constexpr int defaultMiniBatch = 32;
constexpr int largeCount = 10'000'000;

QLabel *errorLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #c62828;"));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

struct RunEditor::Private {
    RunEditor *q = nullptr;
    RunId id = -1;
    RunSettings edited; // what the controls show, valid or not
    RunSettings valid; // the last valid settings: in effect
    bool updating = false; // true while filling controls: nothing is emitted
    bool data = false;

    QFormLayout *form = nullptr;
    QLineEdit *name = nullptr;
    QComboBox *optimizer = nullptr;
    LearningRateControl *lr = nullptr;
    int firstParameterRow = 0;
    std::vector<HyperParameterEditor *> parameters; // one per row, in optimizerInfo() order
    OptimizerKind shownKind = OptimizerKind::Sgd;
    QLabel *optimizerError = nullptr;
    QWidget *batchRow = nullptr;
    QComboBox *batch = nullptr;
    QSpinBox *batchSize = nullptr;
    QCheckBox *shuffle = nullptr;
    QSpinBox *seed = nullptr;
    QComboBox *schedule = nullptr;
    QSpinBox *stepSize = nullptr, *tMax = nullptr;
    NumberSpinBox *gamma = nullptr, *decay = nullptr, *etaMin = nullptr;
    QLabel *scheduleError = nullptr;
    NumberSpinBox *start[2] = {nullptr, nullptr};

    void build();
    void buildBatchRows();
    void buildScheduleRows();
    void rebuildParameters(OptimizerKind kind);
    void fill();
    void updateVisibility();
    void commit();
    void setError(QLabel *label, const std::string &message);

    static QString tr(const char *text) { return RunEditor::tr(text); }
};

void RunEditor::Private::build()
{
    form = new QFormLayout(q);
    form->setContentsMargins(0, 0, 0, 0); // the window frames the editor
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    name = new QLineEdit(q);
    name->setObjectName(QStringLiteral("nameEdit"));
    name->setMaxLength(int(maxRunNameCharacters)); // what a scenario file may hold, so a saved file reads back
    name->setToolTip(tr("The run's name, as the legend and the run list show it (it cannot be empty)."));
    form->addRow(tr("Name"), name);
    connect(name, &QLineEdit::editingFinished, q, [this] {
        if (updating || id < 0)
            return;
        const QString text = name->text().trimmed();
        if (text.isEmpty()) {
            name->setText(QString::fromStdString(valid.name)); // a run always has a name
            return;
        }
        // What a scenario file may hold (ScenarioReader): no line breaks, tabs or control characters, so a saved
        // file reads back. Such characters (pasted in) become spaces.
        std::string printable;
        for (const char32_t point : text.toUcs4()) {
            const std::string character = QString::fromUcs4(&point, 1).toStdString();
            printable += excerpt(character) == character ? character : std::string(" ");
        }
        edited.name = QString::fromStdString(printable).simplified().toStdString();
        name->setText(QString::fromStdString(edited.name));
        commit();
    });

    optimizer = new QComboBox(q);
    optimizer->setObjectName(QStringLiteral("optimizerCombo"));
    optimizer->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    optimizer->setMinimumContentsLength(minimumComboCharacters);
    for (const auto &info : optimizers())
        optimizer->addItem(QString::fromStdString(info.title), int(info.kind));
    optimizer->setToolTip(tr("The update rule that turns each gradient into a step (as torch.optim has it); "
                             "switching resets its settings to torch's defaults and keeps the learning rate."));
    form->addRow(tr("Optimizer"), optimizer);
    connect(optimizer, &QComboBox::currentIndexChanged, q, [this](int index) {
        if (updating || index < 0)
            return;
        const auto kind = OptimizerKind(optimizer->itemData(index).toInt());
        const double keptLr = edited.optimizer.lr;
        edited.optimizer = OptimizerSettings::defaultsFor(kind);
        edited.optimizer.lr = keptLr;
        updating = true;
        rebuildParameters(kind);
        updating = false;
        commit();
    });

    lr = new LearningRateControl(q);
    form->addRow(new QLabel(tr("Learning rate (lr)"), q));
    form->addRow(lr); // both columns: a long slider, fine enough to drag
    connect(lr, &LearningRateControl::valueEdited, q, [this](double rate) {
        if (updating || id < 0)
            return;
        edited.optimizer.lr = rate;
        valid.optimizer.lr = rate;
        emit q->learningRateEdited(id, rate);
    });

    firstParameterRow = form->rowCount();
    optimizerError = errorLabel(QStringLiteral("optimizerError"), q);
    form->addRow(optimizerError);

    buildBatchRows();
    buildScheduleRows();

    auto *startRow = new QWidget(q);
    auto *startLayout = new QHBoxLayout(startRow);
    startLayout->setContentsMargins(0, 0, 0, 0);
    const QString startTips[2] = {tr("Where the descent starts along θ₀, the horizontal axis of the contour plot."),
                                  tr("Where the descent starts along θ₁, the vertical axis of the contour plot.")};
    for (int i = 0; i < 2; ++i) {
        start[i] = new NumberSpinBox(startRow);
        start[i]->setObjectName(QStringLiteral("start%1").arg(i));
        start[i]->setRange(-1e6, 1e6);
        start[i]->setSingleStep(0.1);
        start[i]->setToolTip(startTips[i]);
        startLayout->addWidget(start[i], 1);
        connect(start[i], &QDoubleSpinBox::valueChanged, q, [this, i](double v) {
            if (updating)
                return;
            edited.start[i] = v;
            commit();
        });
    }
    form->addRow(tr("Start θ₀, θ₁"), startRow);
}

void RunEditor::Private::buildBatchRows()
{
    batchRow = new QWidget(q);
    auto *layout = new QHBoxLayout(batchRow);
    layout->setContentsMargins(0, 0, 0, 0);
    batch = new QComboBox(batchRow);
    batch->setObjectName(QStringLiteral("batchCombo"));
    batch->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    batch->setMinimumContentsLength(minimumComboCharacters);
    batch->addItems({tr("Full (batch GD)"), tr("1 (stochastic GD)"), tr("Mini-batch: k")});
    batch->setToolTip(tr("How many samples each gradient averages: all of them (smooth, costly steps), one "
                         "(cheap, noisy steps) or k (in between)."));
    batchSize = new QSpinBox(batchRow);
    batchSize->setObjectName(QStringLiteral("batchSizeSpin"));
    batchSize->setPrefix(QStringLiteral("k = "));
    batchSize->setKeyboardTracking(false);
    batchSize->setToolTip(tr("Samples per mini-batch: an epoch is n / k updates, and smaller k makes each step noisier."));
    layout->addWidget(batch, 1);
    layout->addWidget(batchSize);
    form->addRow(tr("Batch size"), batchRow);

    shuffle = new QCheckBox(q);
    shuffle->setObjectName(QStringLiteral("shuffleCheck"));
    shuffle->setToolTip(tr("Visits the samples in a new random order every epoch (off: in file order); a full batch "
                         "uses them all at once, so there it changes nothing."));
    form->addRow(tr("Shuffle"), shuffle);
    seed = new QSpinBox(q);
    seed->setObjectName(QStringLiteral("seedSpin"));
    seed->setRange(0, INT_MAX);
    seed->setKeyboardTracking(false);
    seed->setToolTip(tr("Seeds the shuffling: the same seed repeats the same noisy path, another seed gives another."));
    form->addRow(tr("Seed"), seed);

    auto applyBatch = [this] {
        if (updating)
            return;
        const int choice = batch->currentIndex();
        edited.batchSize = choice == FullBatch ? fullBatch : choice == Stochastic ? 1 : long(batchSize->value());
        updateVisibility();
        commit();
    };
    connect(batch, &QComboBox::currentIndexChanged, q, applyBatch);
    connect(batchSize, &QSpinBox::valueChanged, q, applyBatch);
    connect(shuffle, &QCheckBox::toggled, q, [this](bool on) {
        if (updating)
            return;
        edited.shuffle = on;
        commit();
    });
    connect(seed, &QSpinBox::valueChanged, q, [this](int value) {
        if (updating)
            return;
        edited.seed = std::uint64_t(value);
        commit();
    });
}

void RunEditor::Private::buildScheduleRows()
{
    schedule = new QComboBox(q);
    schedule->setObjectName(QStringLiteral("scheduleCombo"));
    schedule->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    schedule->setMinimumContentsLength(minimumComboCharacters);
    for (const auto &info : scheduleKinds())
        schedule->addItem(QString::fromStdString(info.title), int(info.kind));
    schedule->setToolTip(tr("How the learning rate changes as the run goes on: constant, or decaying from lr by a rule."));
    form->addRow(tr("Schedule"), schedule);
    connect(schedule, &QComboBox::currentIndexChanged, q, [this](int index) {
        if (updating || index < 0)
            return;
        edited.schedule.kind = LearningRateSchedule::Kind(schedule->itemData(index).toInt());
        updateVisibility();
        commit();
    });

    auto count = [this](const char *objectName, const QString &tip, long LearningRateSchedule::*field) {
        auto *spin = new QSpinBox(q);
        spin->setObjectName(QLatin1String(objectName));
        spin->setRange(1, largeCount);
        spin->setKeyboardTracking(false);
        spin->setToolTip(tip);
        connect(spin, &QSpinBox::valueChanged, q, [this, field](int v) {
            if (updating)
                return;
            edited.schedule.*field = v;
            commit();
        });
        return spin;
    };
    auto real = [this](const char *objectName, const QString &tip, double max, double LearningRateSchedule::*field) {
        auto *spin = new NumberSpinBox(q);
        spin->setObjectName(QLatin1String(objectName));
        spin->setRange(0, max);
        spin->setToolTip(tip);
        connect(spin, &QDoubleSpinBox::valueChanged, q, [this, field](double v) {
            if (updating)
                return;
            edited.schedule.*field = v;
            commit();
        });
        return spin;
    };
    using S = LearningRateSchedule;
    stepSize = count("schedule_step_size", tr("Multiplies the learning rate by gamma after every step_size updates."), &S::stepSize);
    gamma = real("schedule_gamma", tr("The factor, in (0, 1], the learning rate is multiplied by at each decay."), 1, &S::gamma);
    gamma->setSingleStep(0.05);
    decay = real("schedule_decay", tr("Shrinks the learning rate to lr / (1 + decay · t) after t updates."), 1e6, &S::decay);
    decay->setLogarithmicSteps(true, 1e-6);
    tMax = count("schedule_t_max", tr("The number of updates over which the learning rate falls along a half cosine "
                                      "from lr to eta_min."), &S::tMax);
    etaMin = real("schedule_eta_min", tr("The smallest learning rate cosine annealing reaches, at update t_max."), 10, &S::etaMin);
    etaMin->setLogarithmicSteps(true, 1e-6);
    form->addRow(QStringLiteral("step_size"), stepSize);
    form->addRow(QStringLiteral("gamma"), gamma);
    form->addRow(QStringLiteral("decay"), decay);
    form->addRow(QStringLiteral("t_max"), tMax);
    form->addRow(QStringLiteral("eta_min"), etaMin);
    scheduleError = errorLabel(QStringLiteral("scheduleError"), q);
    form->addRow(scheduleError);
}

void RunEditor::Private::rebuildParameters(OptimizerKind kind)
{
    for (std::size_t i = 0; i < parameters.size(); ++i)
        form->removeRow(firstParameterRow); // deletes the label and the editor
    parameters.clear();
    shownKind = kind;
    int row = firstParameterRow;
    for (const auto &info : optimizerInfo(kind).parameters) {
        auto *editor = new HyperParameterEditor(info, OptimizerSettings::defaultsFor(kind), q);
        editor->setValue(edited.optimizer);
        auto *label = new QLabel(QString::fromStdString(info.name), q);
        label->setToolTip(editor->toolTip());
        label->setBuddy(editor->focusWidget() ? editor->focusWidget() : editor);
        form->insertRow(row++, label, editor);
        parameters.push_back(editor);
        connect(editor, &HyperParameterEditor::edited, q, [this, editor] {
            if (updating)
                return;
            editor->apply(edited.optimizer);
            commit();
        });
    }
}

void RunEditor::Private::fill()
{
    updating = true;
    name->setText(QString::fromStdString(edited.name));
    optimizer->setCurrentIndex(optimizer->findData(int(edited.optimizer.kind)));
    lr->setValue(edited.optimizer.lr);
    if (parameters.empty() || shownKind != edited.optimizer.kind)
        rebuildParameters(edited.optimizer.kind);
    for (auto *editor : parameters)
        editor->setValue(edited.optimizer);
    const long k = edited.batchSize;
    batch->setCurrentIndex(k == fullBatch ? FullBatch : k == 1 ? Stochastic : MiniBatch);
    if (k > 1)
        batchSize->setValue(int(std::min<long>(k, INT_MAX)));
    shuffle->setChecked(edited.shuffle);
    seed->setValue(int(std::min<std::uint64_t>(edited.seed, INT_MAX)));
    schedule->setCurrentIndex(schedule->findData(int(edited.schedule.kind)));
    stepSize->setValue(int(std::clamp<long>(edited.schedule.stepSize, 1, largeCount)));
    gamma->setValue(edited.schedule.gamma);
    decay->setValue(edited.schedule.decay);
    tMax->setValue(int(std::clamp<long>(edited.schedule.tMax, 1, largeCount)));
    etaMin->setValue(edited.schedule.etaMin);
    for (int i = 0; i < 2; ++i)
        start[i]->setValue(edited.start[i]);
    setError(optimizerError, {});
    setError(scheduleError, {});
    updateVisibility();
    updating = false;
}

void RunEditor::Private::updateVisibility()
{
    form->setRowVisible(batchRow, data);
    form->setRowVisible(shuffle, data);
    form->setRowVisible(seed, data);
    batchSize->setVisible(batch->currentIndex() == MiniBatch);
    // Full batch visits every sample in every update: order and seed change nothing.
    shuffle->setEnabled(batch->currentIndex() != FullBatch);
    seed->setEnabled(batch->currentIndex() != FullBatch);

    using K = LearningRateSchedule::Kind;
    const K kind = K(schedule->currentData().toInt());
    form->setRowVisible(stepSize, kind == K::Step);
    form->setRowVisible(gamma, kind == K::Step || kind == K::Exponential);
    form->setRowVisible(decay, kind == K::InverseTime);
    form->setRowVisible(tMax, kind == K::Cosine);
    form->setRowVisible(etaMin, kind == K::Cosine);
}

void RunEditor::Private::setError(QLabel *label, const std::string &message)
{
    if (message.empty()) {
        label->clear();
        form->setRowVisible(label, false);
        return;
    }
    label->setText(tr("%1. The run keeps its previous settings until this is fixed.").arg(QString::fromStdString(message)));
    form->setRowVisible(label, true);
}

void RunEditor::Private::commit()
{
    if (updating || id < 0)
        return;
    const std::string optimizerMessage = edited.optimizer.validate();
    const std::string scheduleMessage = edited.schedule.validate();
    setError(optimizerError, optimizerMessage);
    setError(scheduleError, scheduleMessage);
    if (!optimizerMessage.empty() || !scheduleMessage.empty() || edited == valid)
        return;
    valid = edited;
    emit q->settingsEdited(id, valid);
}

RunEditor::RunEditor(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->build();
    d->fill();
    clearRun();
}

RunEditor::~RunEditor()
{
    // QWidget deletes the children after d is gone; a focused line edit would still report editingFinished.
    for (QObject *child : findChildren<QObject *>())
        child->blockSignals(true);
}

void RunEditor::setDataObjective(bool data, std::size_t sampleCount)
{
    d->data = data;
    d->updating = true;
    d->batchSize->setRange(1, int(std::clamp<std::size_t>(sampleCount, 1, INT_MAX)));
    if (d->edited.batchSize > 1)
        d->batchSize->setValue(int(std::min<long>(d->edited.batchSize, INT_MAX)));
    else
        d->batchSize->setValue(defaultMiniBatch);
    d->updateVisibility();
    d->updating = false;
}

void RunEditor::setStableLimit(std::optional<double> limit, bool fullBatch)
{
    d->lr->setStableLimit(limit, fullBatch);
}

void RunEditor::setRun(RunId id, const RunSettings &settings)
{
    d->id = id;
    d->edited = settings;
    d->valid = settings;
    d->fill();
    setEnabled(true);
}

void RunEditor::clearRun()
{
    d->id = -1;
    d->updating = true;
    d->name->clear();
    d->setError(d->optimizerError, {});
    d->setError(d->scheduleError, {});
    d->updating = false;
    setEnabled(false);
}

RunId RunEditor::runId() const
{
    return d->id;
}

RunSettings RunEditor::settings() const
{
    return d->valid;
}

} // namespace gdviz
