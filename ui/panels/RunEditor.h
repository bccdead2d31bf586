#pragma once
// The selected run's settings: optimizer and only the hyperparameters that optimizer has (torch's
// names and defaults), the learning rate on a logarithmic slider coupled to a spin box, the batch size
// (full / 1 / k), shuffle and seed for data objectives, the schedule, and the start point.
// Every change is applied live through the engine by whoever listens.

#include "EngineTypes.h"

#include <QWidget>

#include <optional>

#include <memory>

namespace gdviz {

class RunEditor : public QWidget {
    Q_OBJECT
public:
    explicit RunEditor(QWidget *parent = nullptr);
    ~RunEditor() override;

    /// Data objectives show batch size, shuffle and seed; sampleCount bounds the batch size.
    void setDataObjective(bool data, std::size_t sampleCount);
    /// Shows a run's settings without emitting anything.
    void setRun(RunId id, const RunSettings &settings);
    /// The largest stable rate near the run's point, marked on the learning-rate slider (nullopt: none claimed).
    void setStableLimit(std::optional<double> limit, bool fullBatch);
    /// No run selected: the editor is disabled and empty.
    void clearRun();
    RunId runId() const;
    RunSettings settings() const;

signals:
    /// Any valid change but a learning-rate drag: the run's complete new settings.
    void settingsEdited(gdviz::RunId id, const gdviz::RunSettings &settings);
    /// The learning rate slider or spin box moved (often, while dragging).
    void learningRateEdited(gdviz::RunId id, double lr);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gdviz
