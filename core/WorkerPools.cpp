#include "WorkerPools.h"

#include <QThread>

#include <algorithm>

namespace gdviz::workerPools {

namespace {

// Objective builds rarely overlap (an edit, then the next edit); two threads let a quick build (a named function)
// go ahead of a slow one it replaces (a long formula) rather than queue behind it.
constexpr int kObjectiveThreads = 2;
// Reads are rare and mostly wait on the disk; one more thread is added whenever all of them are busy.
constexpr int kInitialFileThreads = 2;

/// A pool with a name (shown by debuggers) and a thread count.
struct NamedPool : QThreadPool {
    NamedPool(const char *name, int threads)
    {
        setObjectName(QString::fromLatin1(name));
        setMaxThreadCount(threads);
    }
};

} // namespace

QThreadPool &surfaces()
{
    static NamedPool pool("gdviz surfaces", std::max(1, QThread::idealThreadCount()));
    return pool;
}

QThreadPool &objectives()
{
    static NamedPool pool("gdviz objectives", kObjectiveThreads);
    return pool;
}

QThreadPool &files()
{
    // Never deleted: QThreadPool's destructor waits for every task, and a read blocked in open() would hold the
    // program's exit for good. The pointer stays reachable, so leak checkers do not report it.
    static QThreadPool *const pool = new NamedPool("gdviz files", kInitialFileThreads);
    return *pool;
}

QThreadPool &filesWithRoom()
{
    QThreadPool &pool = files();
    if (pool.activeThreadCount() >= pool.maxThreadCount())
        pool.setMaxThreadCount(pool.activeThreadCount() + 1);
    return pool;
}

} // namespace gdviz::workerPools
