#include "RunTable.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPainter>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace gdviz {

namespace {

enum Column { Shown, Name, Optimizer, Batch, Step, Epoch, Loss, GradNorm, Lr, Status, ColumnCount };
constexpr int idRole = Qt::UserRole + 1;
constexpr int dataRole = Qt::UserRole + 2; // on the Epoch cell: whether the objective has data (epochs)

QIcon swatch(const QColor &color)
{
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(color);
    painter.setPen(color.darker(130));
    painter.drawEllipse(1, 1, 12, 12);
    return QIcon(pixmap);
}

QString number(double v, int precision = 4)
{
    return std::isfinite(v) ? QString::number(v, 'g', precision) : QStringLiteral("—");
}

QString statusWords(RunStatus status, const QString &reason)
{
    switch (status) {
    case RunStatus::Running: return RunTable::tr("running");
    case RunStatus::Converged: return RunTable::tr("converged");
    case RunStatus::MaxSteps: return RunTable::tr("done: max steps");
    case RunStatus::MaxEpochs: return RunTable::tr("done: max epochs");
    case RunStatus::Diverged: return RunTable::tr("DIVERGED %1").arg(reason); // "at update 2: every step overshoots ..."
    case RunStatus::Stopped: return RunTable::tr("stopped");
    }
    return {};
}

} // namespace

QString batchText(long batchSize)
{
    if (batchSize == fullBatch)
        return RunTable::tr("full (batch)");
    if (batchSize == 1)
        return RunTable::tr("1 (stochastic)");
    return RunTable::tr("%1 (mini-batch)").arg(batchSize);
}

RunTable::RunTable(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, ColumnCount, this))
{
    m_table->setObjectName(QStringLiteral("runTable"));
    m_table->setHorizontalHeaderLabels({tr("Show"), tr("Run"), tr("Optimizer"), tr("Batch"), tr("Step"), tr("Epoch"),
                                        tr("Loss"), tr("‖gradient‖"), tr("lr in use"), tr("Status")});
    const char *tips[ColumnCount] = {
        "Show or hide this run's path and curves.", "The run's name and colour.", "The update rule (torch.optim).",
        "Samples per update: full = batch gradient descent, 1 = stochastic, k = mini-batch.",
        "Updates made so far.", "Passes over the whole data set so far (samples seen / n).",
        "The loss on the full data set at the current parameters.", "Length of the full gradient: zero at a minimum.",
        "The learning rate the next update will use (after any schedule).", "Whether the run is still going, and how it ended."};
    for (int c = 0; c < ColumnCount; ++c)
        m_table->horizontalHeaderItem(c)->setToolTip(tr(tips[c]));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(Status, QHeaderView::Stretch);
    m_table->setToolTip(tr("Select a run to edit it on the right; its start point moves where you click on the surface."));
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        const RunId id = selectedRun();
        m_duplicate->setEnabled(id >= 0);
        m_remove->setEnabled(id >= 0);
        m_recolor->setEnabled(id >= 0);
        emit selectedRunChanged(id);
    });
    connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (item->column() == Shown)
            emit runVisibilityChanged(item->data(idRole).toInt(), item->checkState() == Qt::Checked);
    });

    auto *add = new QPushButton(tr("Add run"), this);
    add->setToolTip(tr("Add a run that races the others on the same surface."));
    m_duplicate = new QPushButton(tr("Duplicate"), this);
    m_duplicate->setToolTip(tr("Copy the selected run, to change one setting and compare."));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setToolTip(tr("Remove the selected run."));
    m_recolor = new QPushButton(tr("Colour…"), this);
    m_recolor->setToolTip(tr("Choose another colour for the selected run."));
    for (QPushButton *b : {m_duplicate, m_remove, m_recolor})
        b->setEnabled(false);
    connect(add, &QPushButton::clicked, this, &RunTable::addRequested);
    connect(m_duplicate, &QPushButton::clicked, this, [this] { emit duplicateRequested(selectedRun()); });
    connect(m_remove, &QPushButton::clicked, this, [this] { emit removeRequested(selectedRun()); });
    connect(m_recolor, &QPushButton::clicked, this, [this] { emit recolorRequested(selectedRun()); });

    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {add, m_duplicate, m_remove, m_recolor})
        buttons->addWidget(b);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    layout->addLayout(buttons);
}

void RunTable::clear()
{
    m_table->setRowCount(0);
}

int RunTable::rowOf(RunId id) const
{
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, Shown)->data(idRole).toInt() == id)
            return row;
    return -1;
}

void RunTable::addRun(RunId id, const RunSettings &settings, const QColor &color, bool dataObjective)
{
    const QSignalBlocker blocker(m_table);
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    for (int c = 0; c < ColumnCount; ++c) {
        auto *item = new QTableWidgetItem;
        item->setData(idRole, id);
        if (c >= Step && c <= Lr)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, c, item);
    }
    m_table->item(row, Shown)->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    m_table->item(row, Shown)->setCheckState(Qt::Checked);
    setSettings(id, settings, dataObjective);
    setColor(id, color);
    fitHeightToRows();
}

void RunTable::fitHeightToRows()
{
    // Room for every run up to six without scrolling; more scroll.
    const int rows = std::clamp(m_table->rowCount(), 3, 6);
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() + rows * rowHeight + 2 * m_table->frameWidth() + 2);
}

void RunTable::removeRun(RunId id)
{
    if (const int row = rowOf(id); row >= 0)
        m_table->removeRow(row);
    fitHeightToRows();
}

void RunTable::setSettings(RunId id, const RunSettings &settings, bool dataObjective)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    const QSignalBlocker blocker(m_table);
    m_table->item(row, Name)->setText(QString::fromStdString(settings.name));
    QString optimizer = QString::fromStdString(optimizerInfo(settings.optimizer.kind).title);
    if (settings.optimizer.kind == OptimizerKind::Sgd && settings.optimizer.momentum > 0)
        optimizer += tr(" + momentum");
    m_table->item(row, Optimizer)->setText(optimizer);
    m_table->item(row, Batch)->setText(dataObjective ? batchText(settings.batchSize) : tr("—"));
    m_table->item(row, Epoch)->setData(dataRole, dataObjective);
    for (int c = Name; c <= Batch; ++c) // a cell too narrow for its text (elided) still tells it on hover
        m_table->item(row, c)->setToolTip(m_table->item(row, c)->text());
}

void RunTable::setColor(RunId id, const QColor &color)
{
    if (const int row = rowOf(id); row >= 0) {
        const QSignalBlocker blocker(m_table);
        m_table->item(row, Name)->setIcon(swatch(color));
    }
}

void RunTable::setStatus(RunId id, const StepRecord &r, RunStatus status, const QString &reason, double nextLr,
                         const QString &warning)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    const QSignalBlocker blocker(m_table);
    m_table->item(row, Step)->setText(QString::number(r.step));
    const bool epochs = m_table->item(row, Epoch)->data(dataRole).toBool();
    m_table->item(row, Epoch)->setText(epochs ? QString::number(r.epoch, 'f', 2) : tr("—"));
    m_table->item(row, Loss)->setText(number(r.loss, 5));
    m_table->item(row, GradNorm)->setText(number(r.grad.norm(), 3));
    m_table->item(row, Lr)->setText(number(std::isnan(nextLr) ? r.lr : nextLr, 3));
    QTableWidgetItem *item = m_table->item(row, Status);
    QString words = status == RunStatus::Running && r.step == 0 ? tr("ready") : statusWords(status, reason);
    if (status == RunStatus::Running && !warning.isEmpty())
        words = tr("running, %1").arg(warning);
    item->setText(words);
    item->setToolTip(status == RunStatus::Diverged ? tr("This run diverged and stopped; the others go on. %1").arg(reason) : words);
    for (int c = Step; c <= Lr; ++c)
        m_table->item(row, c)->setToolTip(m_table->item(row, c)->text());
    QFont font = item->font();
    const bool rising = status == RunStatus::Running && !warning.isEmpty();
    font.setBold(status == RunStatus::Diverged || status == RunStatus::Converged || rising);
    item->setFont(font);
    item->setForeground(status == RunStatus::Diverged ? QColor(0xB0, 0x00, 0x20)
                        : rising ? QColor(0xA0, 0x50, 0x00)
                        : status == RunStatus::Converged ? QColor(0x00, 0x70, 0x3C)
                                                          : palette().color(QPalette::Text));
}

RunId RunTable::selectedRun() const
{
    const auto items = m_table->selectedItems();
    return items.isEmpty() ? -1 : items.front()->data(idRole).toInt();
}

void RunTable::selectRun(RunId id)
{
    if (const int row = rowOf(id); row >= 0)
        m_table->selectRow(row);
}

bool RunTable::isRunVisible(RunId id) const
{
    const int row = rowOf(id);
    return row >= 0 && m_table->item(row, Shown)->checkState() == Qt::Checked;
}

QString RunTable::statusText(RunId id) const
{
    const int row = rowOf(id);
    return row >= 0 ? m_table->item(row, Status)->text() : QString();
}

} // namespace gdviz
