#include "TrajectoryExport.h"

#include "AtomicFile.h"

#include "TrajectoryWriter.h"
#include "WorkerPools.h"

#include <QPromise>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <climits>
#include <sstream>

namespace gdviz {

TrajectoryExport::TrajectoryExport(const QString &path, Source source, Options options, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_source(std::move(source))
    , m_options(std::move(options))
{
    std::vector<std::size_t> sizes;
    for (const RunView &run : m_source()) {
        sizes.push_back(run.records.size());
        m_totalRows += qint64(run.records.size());
    }
    connect(&m_watcher, &QFutureWatcher<Result>::progressValueChanged, this, [this](int value) {
        emit progressed(std::min(m_totalRows, qint64(value) * m_rowsPerProgressUnit), m_totalRows);
    });
    connect(&m_watcher, &QFutureWatcher<Result>::finished, this, [this] {
        const Result result = m_watcher.future().resultCount() > 0 ? m_watcher.result() : Result{};
        m_stage = Stage::Done;
        emit finished(result.outcome, result.error);
    });
    connect(&m_memory, &QFutureWatcher<Buffers>::finished, this, &TrajectoryExport::copyAndWrite);
    // Room for what the runs gain meanwhile, so that the copy rarely has to grow a buffer (which would take
    // fresh pages on the GUI thread).
    m_memory.setFuture(QtConcurrent::run(&workerPools::filesWithRoom(), [sizes, cancel = m_cancel] {
        auto buffers = std::make_shared<std::vector<std::vector<StepRecord>>>();
        for (std::size_t n : sizes) {
            if (cancel->load())
                break;
            buffers->emplace_back(n + n / 16 + 1024); // value-initialized: every page is touched here
        }
        return buffers;
    }));
}

void TrajectoryExport::copyAndWrite()
{
    if (m_cancel->load()) {
        m_stage = Stage::Done;
        emit finished(Outcome::Cancelled, {}); // nothing was written: the file is as it was
        return;
    }
    const Buffers buffers = m_memory.result(); // the pointer, not the memory
    std::vector<RunRecords> runs;
    m_totalRows = 0;
    const std::vector<RunView> views = m_source();
    for (std::size_t i = 0; i < views.size(); ++i) {
        std::vector<StepRecord> records = i < buffers->size() ? std::move((*buffers)[i]) : std::vector<StepRecord>();
        const std::span<const StepRecord> from = views[i].records;
        records.resize(from.size()); // smaller than the memory taken: no new pages
        std::copy(from.begin(), from.end(), records.begin());
        m_totalRows += qint64(records.size());
        runs.push_back({views[i].name, std::move(records)});
    }
    startWriting(std::move(runs));
}

void TrajectoryExport::startWriting(std::vector<RunRecords> runs)
{
    m_stage = Stage::Writing;
    m_rowsPerProgressUnit = std::max<qint64>(1, m_totalRows / INT_MAX + 1);
    const int rowsPerChunk = std::max(1, m_options.rowsPerChunk);
    // The task owns everything it touches: the records, the path, the options and its share of the cancel flag.
    auto write = [path = m_path, runs = std::move(runs), options = m_options, rowsPerChunk, cancel = m_cancel,
                  unit = m_rowsPerProgressUnit, total = m_totalRows](QPromise<Result> &promise) {
        promise.setProgressRange(0, int(total / unit));
        QSaveFile file(path);
        auto failed = [&promise, &file] {
            promise.addResult(Result{Outcome::Failed, file.errorString()}); // before cancelling, which replaces it
            file.cancelWriting();
        };
        auto cancelled = [&promise, &file] {
            file.cancelWriting();
            promise.addResult(Result{Outcome::Cancelled, {}});
        };
        if (!file.open(QIODevice::WriteOnly))
            return failed();
        std::ostringstream text;
        TrajectoryCsvWriter writer(text);
        writer.writeHeader();
        // Writes what has been formatted so far; false when the file refused it.
        auto flush = [&text, &file] {
            const std::string bytes = text.str();
            text.str({});
            return file.write(bytes.data(), qint64(bytes.size())) == qint64(bytes.size());
        };
        qint64 rows = 0;
        int inChunk = 0;
        for (const RunRecords &run : runs) {
            for (const StepRecord &record : run.records) {
                writer.writeRow(run.name, record);
                ++rows;
                if (++inChunk < rowsPerChunk)
                    continue;
                inChunk = 0;
                if (!flush())
                    return failed();
                promise.setProgressValue(int(rows / unit));
                if (options.afterChunk)
                    options.afterChunk(rows);
                if (cancel->load())
                    return cancelled();
            }
        }
        // Qt 6.4's QSaveFile::commit() can report success after its last buffered write failed (AtomicFile.h), so
        // the buffer is flushed and checked first.
        if (!flush() || !file.flush() || file.error() != QFileDevice::NoError)
            return failed();
        promise.setProgressValue(int(rows / unit));
        if (cancel->load())
            return cancelled();
        // The path may have become a FIFO or a device while the export ran: never rename over one.
        if (const QString problem = outputPathProblem(path); !problem.isEmpty()) {
            file.cancelWriting();
            promise.addResult(Result{Outcome::Failed, problem});
            return;
        }
        if (!file.commit()) {
            promise.addResult(Result{Outcome::Failed, file.errorString()});
            return;
        }
        promise.addResult(Result{Outcome::Written, {}});
    };
    m_watcher.setFuture(QtConcurrent::run(&workerPools::filesWithRoom(), std::move(write)));
}

TrajectoryExport::~TrajectoryExport()
{
    cancel();
}

void TrajectoryExport::waitForFinished()
{
    m_memory.waitForFinished();
    m_watcher.waitForFinished();
}

void TrajectoryExport::cancel()
{
    m_cancel->store(true);
}

} // namespace gdviz
