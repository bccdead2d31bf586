#pragma once
// Which samples each update of a data objective uses, as Keras fit(batch_size, epochs, shuffle).
//
// An epoch visits every sample exactly once, in batches of batch_size, the last one possibly smaller,
// so an epoch is ceil(n / batch_size) updates. With shuffle, each epoch draws a new permutation from the
// run's seed (same seed, same order, on every machine: see Random.h); without, samples go in file order.

#include "Objective.h"
#include "Random.h"

#include <span>
#include <vector>

namespace gdviz {

/// batch_size as a scenario says it: 0 means "full" (batch gradient descent).
constexpr long fullBatch = 0;

class BatchSchedule {
public:
    BatchSchedule(std::size_t sampleCount, long batchSize, bool shuffle, std::uint64_t seed);

    /// The samples of the next update. Valid until the next call.
    std::span<const SampleIndex> next();

    /// True when every update uses every sample (batch "full" or batch_size >= n).
    bool isFullBatch() const { return m_batchSize >= m_sampleCount; }
    std::size_t batchSize() const { return m_batchSize; }
    std::size_t updatesPerEpoch() const { return (m_sampleCount + m_batchSize - 1) / m_batchSize; }

private:
    std::size_t m_sampleCount;
    std::vector<SampleIndex> m_order; // this epoch's visiting order (empty until the first next())
    std::size_t m_batchSize;
    std::size_t m_position = 0; // next sample of m_order to visit
    bool m_shuffle;
    RandomEngine m_engine;
    bool m_started = false;
};

} // namespace gdviz
