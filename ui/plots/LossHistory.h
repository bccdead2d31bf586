#pragma once
// What the loss view keeps of one run, bounded in memory, and which of it to draw.
//
// Keeping. Every record up to a cap (262,144 by default: 14 MB). When the cap is reached, the older half is
// thinned: in each group of four consecutive records only the one with the least and the one with the
// greatest full loss stay, with the first record (the start), every record where a setting changed and the
// latest record. Recent records stay exact; older ones get coarser each time the cap is reached again; the
// lowest and highest loss ever recorded are never dropped, so the curve keeps its envelope. The exact
// trajectory stays in the engine (CSV export).
//
// Drawing. The records are grouped into buckets of `stride` consecutive records, at most maxBuckets of them
// (the stride doubles when there would be more), and each bucket is drawn as its least and greatest loss, in
// order: a long noisy curve keeps its whole band, a converging one its shape, with at most 2 maxBuckets + 2
// points whatever the length. Amortized O(1) per record.

#include "EngineTypes.h"

#include <utility>
#include <vector>

namespace gdviz {

struct LossRecord {
    long step = 0;
    double epoch = 0;
    double loss = 0;
    double batchLoss = 0;
    long previousStep = 0; // the record this update started from: the batch loss is drawn there
    double previousEpoch = 0;
    bool settingsChanged = false;
};

class LossHistory {
public:
    static constexpr std::size_t defaultCap = std::size_t(1) << 18;
    static constexpr std::size_t defaultMaxBuckets = 2000;
    explicit LossHistory(std::size_t cap = defaultCap, std::size_t maxBuckets = defaultMaxBuckets);

    void clear();
    void append(const StepRecord &record);

    const std::vector<LossRecord> &records() const { return m_records; }
    bool isEmpty() const { return m_records.empty(); }
    /// Indices of the records where a setting changed.
    const std::vector<std::size_t> &changes() const { return m_changes; }
    /// Records per bucket (1 while every record is drawn).
    std::size_t stride() const { return m_stride; }
    /// How many records thinning has dropped so far.
    std::size_t droppedCount() const { return m_dropped; }

    /// The records to draw, increasing: the first, each bucket's least and greatest loss, and the last.
    std::vector<std::size_t> drawnIndices() const;
    /// The same within records [first, last] at a finer stride: each group of `stride` records from first on
    /// as its least and greatest loss, and last itself. stride 1 gives every record.
    void appendExtremes(std::size_t first, std::size_t last, std::size_t stride, std::vector<std::size_t> &out) const;

private:
    struct Bucket {
        std::size_t minIndex = 0, maxIndex = 0;
        std::size_t count = 0; // records in it (only the open bucket may have fewer than the stride)
    };
    void addToBuckets(std::size_t index);
    void absorb(Bucket &bucket, const Bucket &other) const;
    /// The indices of the least and the greatest loss among records [begin, end) (the first of equals).
    std::pair<std::size_t, std::size_t> extremes(std::size_t begin, std::size_t end) const;
    void thin();
    void rebuildIndex(); // changes and buckets, after thinning moved the records

    std::vector<LossRecord> m_records;
    std::vector<std::size_t> m_changes;
    std::vector<Bucket> m_buckets; // full ones, in order
    Bucket m_open; // the bucket the next record joins
    std::size_t m_stride = 1;
    std::size_t m_cap;
    std::size_t m_maxBuckets;
    std::size_t m_dropped = 0;
};

} // namespace gdviz
