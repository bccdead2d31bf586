#include "LossHistory.h"

#include <algorithm>
#include <utility>

namespace gdviz {

LossHistory::LossHistory(std::size_t cap, std::size_t maxBuckets)
    : m_cap(std::max<std::size_t>(cap, 16))
    , m_maxBuckets(std::max<std::size_t>(maxBuckets, 2))
{
}

void LossHistory::clear()
{
    m_records.clear();
    m_changes.clear();
    m_buckets.clear();
    m_open = {};
    m_stride = 1;
    m_dropped = 0;
}

void LossHistory::append(const StepRecord &s)
{
    if (m_records.size() >= m_cap)
        thin();
    LossRecord r{s.step, s.epoch, s.loss, s.batchLoss, s.step, s.epoch, s.settingsChanged};
    if (!m_records.empty()) {
        r.previousStep = m_records.back().step;
        r.previousEpoch = m_records.back().epoch;
    }
    m_records.push_back(r);
    const std::size_t index = m_records.size() - 1;
    if (r.settingsChanged)
        m_changes.push_back(index);
    addToBuckets(index);
}

void LossHistory::absorb(Bucket &bucket, const Bucket &other) const
{
    if (bucket.count == 0) {
        bucket = other;
        return;
    }
    // Strict comparisons: a NaN (a diverged run's last loss) never becomes an extreme, and ties keep the earlier.
    if (m_records[other.minIndex].loss < m_records[bucket.minIndex].loss)
        bucket.minIndex = other.minIndex;
    if (m_records[other.maxIndex].loss > m_records[bucket.maxIndex].loss)
        bucket.maxIndex = other.maxIndex;
    bucket.count += other.count;
}

void LossHistory::addToBuckets(std::size_t index)
{
    absorb(m_open, Bucket{index, index, 1});
    if (m_open.count < m_stride)
        return;
    m_buckets.push_back(std::exchange(m_open, Bucket{}));
    if (m_buckets.size() <= m_maxBuckets)
        return;
    // Too many: pairs merge and the stride doubles. An odd last bucket is the start of the open one.
    std::size_t kept = 0;
    for (std::size_t k = 0; k + 1 < m_buckets.size(); k += 2) {
        Bucket merged = m_buckets[k];
        absorb(merged, m_buckets[k + 1]);
        m_buckets[kept++] = merged;
    }
    if (m_buckets.size() % 2)
        m_open = m_buckets.back();
    m_buckets.resize(kept);
    m_stride *= 2;
}

std::vector<std::size_t> LossHistory::drawnIndices() const
{
    std::vector<std::size_t> indices;
    if (m_records.empty())
        return indices;
    indices.reserve(2 * m_buckets.size() + 4);
    indices.push_back(0);
    auto add = [&](const Bucket &bucket) {
        if (bucket.count == 0)
            return;
        for (std::size_t i : {std::min(bucket.minIndex, bucket.maxIndex), std::max(bucket.minIndex, bucket.maxIndex)})
            if (i > indices.back())
                indices.push_back(i);
    };
    for (const Bucket &bucket : m_buckets)
        add(bucket);
    add(m_open);
    if (indices.back() != m_records.size() - 1)
        indices.push_back(m_records.size() - 1); // the current point is always drawn
    return indices;
}

void LossHistory::appendExtremes(std::size_t first, std::size_t last, std::size_t stride, std::vector<std::size_t> &out) const
{
    stride = std::max<std::size_t>(stride, 1);
    last = std::min(last, m_records.size() - 1);
    auto add = [&](std::size_t i) {
        if (out.empty() || i > out.back())
            out.push_back(i);
    };
    for (std::size_t begin = first; begin <= last; begin += stride) {
        const std::size_t end = std::min(begin + stride, last + 1);
        const auto [lo, hi] = extremes(begin, end);
        add(std::min(lo, hi));
        add(std::max(lo, hi));
    }
    add(last);
}

std::pair<std::size_t, std::size_t> LossHistory::extremes(std::size_t begin, std::size_t end) const
{
    std::size_t lo = begin, hi = begin;
    for (std::size_t i = begin + 1; i < end; ++i) {
        if (m_records[i].loss < m_records[lo].loss)
            lo = i;
        if (m_records[i].loss > m_records[hi].loss)
            hi = i;
    }
    return {lo, hi};
}

void LossHistory::thin()
{
    // The older half, after the start record, in groups of four: keep each group's least and greatest loss and
    // every settings change. The start and the newer half stay as they are.
    const std::size_t olderEnd = m_records.size() / 2;
    std::size_t out = 1;
    for (std::size_t begin = 1; begin < olderEnd; begin += 4) {
        const std::size_t end = std::min(begin + 4, olderEnd);
        const auto [lo, hi] = extremes(begin, end);
        for (std::size_t i = begin; i < end; ++i)
            if (i == lo || i == hi || m_records[i].settingsChanged)
                m_records[out++] = m_records[i];
    }
    m_dropped += olderEnd - out;
    m_records.erase(m_records.begin() + std::ptrdiff_t(out), m_records.begin() + std::ptrdiff_t(olderEnd));
    rebuildIndex();
}

void LossHistory::rebuildIndex()
{
    m_changes.clear();
    m_buckets.clear();
    m_open = {};
    m_stride = 1;
    for (std::size_t i = 0; i < m_records.size(); ++i) {
        if (m_records[i].settingsChanged)
            m_changes.push_back(i);
        addToBuckets(i);
    }
}

} // namespace gdviz
