#pragma once
// gdviz's own thread pools. Nothing of gdviz's runs on QThreadPool::globalInstance(): Qt's raster engine draws
// large images there from the GUI thread and waits for them, so a long surface or a read that never ends on
// the global pool freezes painting (issue 14: two stuck reads filled a two-thread global pool for good).

#include <QThreadPool>

namespace gdviz::workerPools {

/// Sampling cost surfaces (SurfaceGrid): one thread per core. Its tasks end within a row of the grid once
/// cancelled; the pool is joined when the program ends.
QThreadPool &surfaces();

/// Building objectives that read no file (formulas, generated data, named functions): bounded computations.
/// The window waits for the one in flight when it closes.
QThreadPool &objectives();

/// Reading and writing the files the user names (scenarios, data CSV, exported trajectories): a read may never
/// end (a FIFO, a stalled network drive), so nothing ever waits for this pool without a time limit, and it is
/// never joined: the pool object lives until the process ends, and a read still blocked then ends with it.
QThreadPool &files();

/// files() with a thread free for one more task, started at once: the pool grows by a thread when every thread
/// is busy, since a stuck read keeps its thread for good and must not hold up the next one. Call it from the
/// GUI thread (the check and the start are not atomic together).
QThreadPool &filesWithRoom();

} // namespace gdviz::workerPools
