#pragma once
// Every run's recorded trajectory written to a CSV file off the GUI thread (the headless command line's columns,
// TrajectoryWriter.h), with its progress and a cancel: written on the GUI thread, a 418 MB export froze the
// window for 6.5 s, and even a plain copy of three capped runs' records into new memory took 0.85 s there.

#include "Run.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace gdviz {

/// How a TrajectoryExport writes (TrajectoryExport::Options).
struct TrajectoryExportOptions {
    /// Rows formatted and written between two looks at the cancel flag (and two progress reports).
    int rowsPerChunk = 16384;
    /// Called on the writing thread after each chunk has been written and its progress reported, before the next
    /// chunk; for tests that need an export to stand still at a known point. Null: nothing is called.
    std::function<void(qint64 rowsWritten)> afterChunk;
};

class TrajectoryExport : public QObject {
    Q_OBJECT
public:
    /// One run as the engine holds it at the moment it is read (on the GUI thread).
    struct RunView {
        std::string name;
        std::span<const StepRecord> records;
    };
    /// Every run's current records. Called on the GUI thread, twice: once for the sizes when the export starts,
    /// once for the copy. The engine goes on appending to and thinning its own records while the file is written.
    using Source = std::function<std::vector<RunView>()>;
    using Options = TrajectoryExportOptions;
    enum class Outcome { Written, Cancelled, Failed };
    Q_ENUM(Outcome)

    /// Starts exporting source's runs to path. First the memory for a copy of the records is taken and touched on
    /// workerPools::filesWithRoom() (for a million records a run that takes most of a second: the kernel hands out
    /// pages one at a time); then the records are copied into it on the GUI thread (a plain memory copy, some
    /// 20 ms for three runs of a million records); then the rows are written on the pool. The file is replaced
    /// only once every row has been written (QSaveFile): a cancelled or failed export leaves an old file as it
    /// was, and no temporary file behind.
    TrajectoryExport(const QString &path, Source source, Options options = {}, QObject *parent = nullptr);
    /// Cancels an export still in flight without waiting for it: the pool's thread notices within a run's memory
    /// or a chunk of rows, drops what it made and ends on its own (it shares nothing with this object but the
    /// cancel flag).
    ~TrajectoryExport() override;

    QString path() const { return m_path; }
    /// The rows to write: the runs' sizes when the export started, then those of the copy.
    qint64 totalRows() const { return m_totalRows; }
    bool isRunning() const { return m_stage != Stage::Done; }
    /// Asks the export to stop at its next look: finished() then reports Cancelled, or Written when the file had
    /// already been completed.
    void cancel();
    /// Blocks until the pool's work has ended: within a run's memory or a chunk of rows once cancelled. Without
    /// cancel(), only until the memory is ready (the copy and the writing start from the event loop).
    void waitForFinished();

signals:
    /// Rows written so far (header excluded) out of totalRows(); at most about 25 times a second.
    void progressed(qint64 rowsWritten, qint64 totalRows);
    /// error says why a failed export failed, in the system's words ("No space left on device"); empty otherwise.
    void finished(gdviz::TrajectoryExport::Outcome outcome, const QString &error);

private:
    struct RunRecords {
        std::string name;
        std::vector<StepRecord> records;
    };
    using Buffers = std::shared_ptr<std::vector<std::vector<StepRecord>>>;
    struct Result {
        Outcome outcome = Outcome::Failed;
        QString error;
    };
    enum class Stage { Preparing, Writing, Done };
    /// On the GUI thread once the memory is ready: the copy, then the writing.
    void copyAndWrite();
    void startWriting(std::vector<RunRecords> runs);
    QString m_path;
    Source m_source;
    Options m_options;
    Stage m_stage = Stage::Preparing;
    qint64 m_totalRows = 0;
    qint64 m_rowsPerProgressUnit = 1; // QFuture's progress is an int
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    QFutureWatcher<Buffers> m_memory;
    QFutureWatcher<Result> m_watcher;
};

} // namespace gdviz
