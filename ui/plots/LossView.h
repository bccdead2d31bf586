#pragma once
// Loss curves: one curve per run of the full-data loss, against updates, epochs or samples seen (the
// lesson of BGD vs SGD vs mini-batch: per update BGD wins, per epoch SGD wins), on a linear or
// logarithmic y axis; the noisy batch loss faintly under the full loss for stochastic and mini-batch
// runs; a marker where a setting changed mid-run.

#include "EngineTypes.h"

#include <QColor>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QCustomPlot;

namespace gdviz {

class LossView : public QWidget {
    Q_OBJECT
public:
    enum class XAxis { Updates, Epochs, Samples };

    explicit LossView(QWidget *parent = nullptr);
    ~LossView() override;

    QCustomPlot *plot() const;

    /// sampleCount: n of the data set (0 for analytic objectives, where epochs and samples do not apply).
    void setSampleCount(std::size_t sampleCount);
    void addRun(RunId id, const QString &name, const QColor &color);
    void removeRun(RunId id);
    void clearRuns();
    void setRunColor(RunId id, const QColor &color);
    /// The name the legend shows.
    void setRunName(RunId id, const QString &name);
    void setRunVisible(RunId id, bool visible);
    void restartCurve(RunId id, const StepRecord &start);
    void appendSteps(RunId id, const QList<StepRecord> &steps);

    void setXAxis(XAxis axis);
    XAxis xAxis() const;
    /// Asks for a logarithmic loss axis. It is drawn only while every shown loss is positive; otherwise the
    /// axis is linear, and its label says why (isLogarithmicShown()).
    void setLogarithmic(bool logarithmic);
    bool isLogarithmic() const;
    bool isLogarithmicShown() const;
    QString yAxisLabel() const;
    /// f*, the objective's least value where it is known (named functions, least squares); nullopt: unknown.
    void setMinimumValue(std::optional<double> fStar);
    /// Plots the loss above the minimum, f - f*, where f* is known: on a log axis linear convergence is then a
    /// straight line. Where f* is unknown the plain loss is shown.
    void setAboveMinimum(bool above);
    /// The legend's entries, in order (its grid may have empty cells: this lists only entries).
    QStringList legendNames() const;
    /// The text hover shows for a run's record (run, step, epoch, theta, loss, lr; for a settings marker, what
    /// changed): the view keeps only losses, the window has the rest.
    using RecordDescriber = std::function<QString(RunId id, long step, bool settingsMarker)>;
    void setRecordDescriber(RecordDescriber describe);
    void setBatchLossVisible(bool visible);

    /// The points of a run's full-loss curve as drawn (x in the current axis unit, y the loss): for tests.
    QList<QPointF> curvePoints(RunId id) const;

signals:
    void xAxisChanged(gdviz::LossView::XAxis axis);
    void logarithmicChanged(bool logarithmic);
    /// The user switched the batch-loss band from its legend entry.
    void batchLossVisibilityChanged(bool visible);

private:
    void showValuesAt(const QPointF &pos);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gdviz
