#pragma once
// The data of a regression objective: the samples, and each run's current model in its colour (the line
// w*x + b, or the sigmoid of it for logistic regression), moving as it learns.

#include "DataSet.h"
#include "EngineTypes.h"

#include <QColor>
#include <QWidget>

#include <memory>

class QCustomPlot;

namespace gdviz {

class DataView : public QWidget {
    Q_OBJECT
public:
    explicit DataView(QWidget *parent = nullptr);
    ~DataView() override;

    QCustomPlot *plot() const;

    /// logistic: labels 0/1 and sigmoid models. An empty data set clears the view.
    void setData(std::shared_ptr<const DataSet> data, bool logistic);
    void addRun(RunId id, const QString &name, const QColor &color);
    void removeRun(RunId id);
    void clearRuns();
    void setRunColor(RunId id, const QColor &color);
    void setRunVisible(RunId id, bool visible);
    /// The run's current parameters theta = (w, b).
    void setModel(RunId id, const Vec2 &theta);
    /// Rings, in color, around the samples of a batch (the selected run's next update's, when it is not all of
    /// them); an empty batch clears them. Graph "batch"; at most the first 2,000 samples of a batch are ringed.
    void setBatch(const std::vector<SampleIndex> &batch, const QColor &color);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gdviz
