#pragma once
// Every run's recorded trajectory written to a CSV file off the GUI thread (the headless command line's columns,
// TrajectoryWriter.h), with its progress and a cancel: written on the GUI thread, a 418 MB export froze the
// window for 6.5 s.

#include "Run.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
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
    /// One run's records, copied on the GUI thread when the export starts (one copy of memory, fast next to
    /// formatting the numbers): the engine goes on appending to and thinning its own while the file is written.
    struct RunRecords {
        std::string name;
        std::vector<StepRecord> records;
    };
    using Options = TrajectoryExportOptions;
    enum class Outcome { Written, Cancelled, Failed };
    Q_ENUM(Outcome)

    /// Starts writing the runs to path, on workerPools::files(). The file is replaced only once every row has
    /// been written (QSaveFile): a cancelled or failed export leaves an old file as it was, and no temporary
    /// file behind.
    TrajectoryExport(const QString &path, std::vector<RunRecords> runs, Options options = {}, QObject *parent = nullptr);
    /// Cancels an export still in flight without waiting for it: the writing thread notices within a chunk,
    /// drops its temporary file and ends on its own (it shares nothing with this object but the cancel flag).
    ~TrajectoryExport() override;

    QString path() const { return m_path; }
    qint64 totalRows() const { return m_totalRows; }
    bool isRunning() const { return m_watcher.isRunning(); }
    /// Asks the writing thread to stop after its current chunk. finished() then reports Cancelled, or Written when
    /// the file had already been completed.
    void cancel();
    /// Blocks until the writing thread has ended: within a chunk once cancelled (a chunk is 16,384 rows).
    void waitForFinished();

signals:
    /// Rows written so far (header excluded) out of totalRows(); at most about 25 times a second.
    void progressed(qint64 rowsWritten, qint64 totalRows);
    /// error says why a failed export failed, in the system's words ("No space left on device"); empty otherwise.
    void finished(gdviz::TrajectoryExport::Outcome outcome, const QString &error);

private:
    struct Result {
        Outcome outcome = Outcome::Failed;
        QString error;
    };
    QString m_path;
    qint64 m_totalRows = 0;
    qint64 m_rowsPerProgressUnit = 1; // QFuture's progress is an int
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    QFutureWatcher<Result> m_watcher;
};

} // namespace gdviz
