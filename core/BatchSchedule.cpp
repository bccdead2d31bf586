#include "BatchSchedule.h"

#include <algorithm>
#include <numeric>

namespace gdviz {

BatchSchedule::BatchSchedule(std::size_t sampleCount, long batchSize, bool shuffle, std::uint64_t seed)
    : m_sampleCount(sampleCount)
    , m_batchSize(batchSize == fullBatch ? sampleCount : std::min<std::size_t>(std::size_t(batchSize), sampleCount))
    , m_shuffle(shuffle)
    , m_engine(seed)
{
    if (m_batchSize == 0)
        m_batchSize = 1; // an empty data set never reaches here; keep the arithmetic safe anyway
    // m_order is filled by the first next(): a run that is made and never stepped (every restart of a
    // 100,000-sample run) pays nothing for it.
}

std::span<const SampleIndex> BatchSchedule::next()
{
    if (!m_started || m_position >= m_order.size()) {
        // A new epoch: each permutation starts from file order, so epoch k's order depends only on the
        // seed and k, never on where a previous epoch was interrupted.
        const bool shuffled = m_shuffle && !isFullBatch();
        if (!m_started || shuffled) {
            m_order.resize(m_sampleCount);
            std::iota(m_order.begin(), m_order.end(), SampleIndex(0));
        }
        if (shuffled)
            shuffleInPlace(m_order.begin(), m_order.end(), m_engine);
        m_position = 0;
        m_started = true;
    }
    const std::size_t count = std::min(m_batchSize, m_order.size() - m_position);
    std::span<const SampleIndex> batch(m_order.data() + m_position, count);
    m_position += count;
    return batch;
}

} // namespace gdviz
