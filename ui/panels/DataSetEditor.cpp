#include "DataSetEditor.h"

#include "NumberSpinBox.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

#include <algorithm>
#include <climits>

// Object names: "dataGroup", "dataSource", "dataN", "dataNoise", "dataSeparation", "dataBalance",
// "dataSeed", "regenerateButton", "importCsvButton", "dataError".

namespace gdviz {

namespace {
constexpr int mostGeneratedSamples = 1'000'000;
} // namespace

DataSetEditor::DataSetEditor(QWidget *parent)
    : QGroupBox(tr("Data"), parent)
{
    setObjectName(QStringLiteral("dataGroup"));
    m_form = new QFormLayout(this);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_source = new QLabel(this);
    m_source->setObjectName(QStringLiteral("dataSource"));
    m_source->setWordWrap(true);
    m_form->addRow(m_source);
    m_form->setRowVisible(m_source, false);

    auto edited = [this] {
        if (!m_updating)
            emit generatorEdited();
    };
    m_sampleCount = new QSpinBox(this);
    m_sampleCount->setObjectName(QStringLiteral("dataN"));
    m_sampleCount->setRange(1, mostGeneratedSamples);
    m_sampleCount->setGroupSeparatorShown(true);
    m_sampleCount->setKeyboardTracking(false);
    m_sampleCount->setToolTip(tr("How many samples to generate; an epoch visits each of them once, so more samples "
                                 "make an epoch take more stochastic steps."));
    m_form->addRow(tr("Samples (n)"), m_sampleCount);
    connect(m_sampleCount, &QSpinBox::valueChanged, this, edited);

    auto real = [this, edited](const char *name, const QString &tip, double max, double step) {
        auto *spin = new NumberSpinBox(this);
        spin->setObjectName(QLatin1String(name));
        spin->setRange(0, max);
        spin->setSingleStep(step);
        spin->setToolTip(tip);
        connect(spin, &QDoubleSpinBox::valueChanged, this, edited);
        return spin;
    };
    m_noise = real("dataNoise", tr("How far the points scatter around the line: more noise makes mini-batch gradients "
                                   "disagree more, so their paths wander."), 1000, 0.1);
    m_separation = real("dataSeparation", tr("The distance between the two classes' centres: larger values overlap "
                                             "them less and make the loss surface steeper."), 100, 0.5);
    m_balance = real("dataBalance", tr("The share of samples with label 1, from 0 to 1."), 1, 0.05);
    m_form->addRow(QStringLiteral("noise"), m_noise);
    m_form->addRow(QStringLiteral("separation"), m_separation);
    m_form->addRow(QStringLiteral("balance"), m_balance);

    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("dataSeed"));
    m_seed->setRange(0, INT_MAX);
    m_seed->setKeyboardTracking(false);
    m_seed->setToolTip(tr("Seeds the generator: the same seed gives the same samples on every machine."));
    m_form->addRow(tr("Seed"), m_seed);
    connect(m_seed, &QSpinBox::valueChanged, this, edited);

    auto *buttons = new QWidget(this);
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
    m_form->addRow(buttons);
    connect(regenerate, &QPushButton::clicked, this, [this] {
        m_seed->setValue(m_seed->value() == m_seed->maximum() ? 0 : m_seed->value() + 1); // emits generatorEdited
    });
    connect(importCsv, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import data"), QString(),
                                                          tr("CSV files (*.csv);;All files (*)"));
        if (!path.isEmpty())
            emit csvFileChosen(QFileInfo(path).absoluteFilePath());
    });

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("dataError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setToolTip(tr("Why the data could not be used; the runs keep the previous data."));
    m_form->addRow(m_error);
    m_form->setRowVisible(m_error, false);
    setGenerator(m_generator, false);
}

void DataSetEditor::setGenerator(const DataGeneratorSettings &generator, bool logistic)
{
    m_updating = true;
    m_generator = generator;
    m_logistic = logistic;
    m_sampleCount->setValue(int(std::min<std::size_t>(generator.n, mostGeneratedSamples)));
    m_seed->setValue(int(std::min<std::uint64_t>(generator.seed, INT_MAX)));
    m_noise->setValue(generator.noise);
    m_separation->setValue(generator.separation);
    m_balance->setValue(generator.balance);
    m_form->setRowVisible(m_noise, !logistic);
    m_form->setRowVisible(m_separation, logistic);
    m_form->setRowVisible(m_balance, logistic);
    m_updating = false;
}

DataGeneratorSettings DataSetEditor::generator() const
{
    DataGeneratorSettings g = m_generator;
    g.n = std::size_t(m_sampleCount->value());
    g.seed = std::uint64_t(m_seed->value());
    g.noise = m_noise->value();
    g.separation = m_separation->value();
    g.balance = m_balance->value();
    return g;
}

void DataSetEditor::setCsvSource(const QString &path)
{
    const QFileInfo file(path);
    m_source->setText(tr("Samples from %1; change a setting below or Regenerate to generate samples instead.")
                          .arg(file.fileName()));
    m_source->setToolTip(tr("The CSV file the samples came from: %1").arg(path));
    m_form->setRowVisible(m_source, !path.isEmpty());
}

void DataSetEditor::setLoadedSampleCount(std::size_t n)
{
    if (n == 0)
        return;
    m_updating = true; // shown, not a request to generate
    m_sampleCount->setValue(int(std::min<std::size_t>(n, mostGeneratedSamples)));
    m_updating = false;
}

void DataSetEditor::showError(const QString &message)
{
    m_error->setText(message);
    m_form->setRowVisible(m_error, !message.isEmpty());
}

} // namespace gdviz
