#pragma once
// The recorded steps of one run, bounded in memory, keeping the shape of the whole run however long it goes.
//
// Every record is kept up to a cap (a million by default). Past it, the record is thinned uniformly over the
// whole run: what stays is
// - the start (the first record) and every record where a setting changed;
// - in the older part, every k-th step (step % k == 0), one stride k for the whole of it;
// - the latest records at full resolution: at each thinning the newest cap/4 records stay whole, and every
//   record appended after it is kept until the next thinning. So the newest cap/4 records (all of them when
//   there are fewer) are always consecutive steps, and the latest record is always there.
// k is a power of two, 1 until the first thinning. At a thinning it becomes the least power of two, never less than
// before, for which the start and the older part's every-k-th steps fit in cap/4 records: it doubles about once each
// time the run's length doubles, and the older part holds about cap/8 to cap/4 records evenly spread from the first
// update to the latest records, however many updates that is (500 million at the default cap: every 2,048th or
// 4,096th step, 120,000 to 250,000 records).
// Thinning waits until the cap is reached again, so appending stays a plain push_back (and room() a place to
// write in), and each thinning, a pass over the records since the last one (and over the older part when k
// doubles), comes after at least cap/2 new records (settings changes aside): O(1) amortized per record.
// Settings changes are never dropped, so a run with more than cap/4 of them in its older part may hold more than the
// cap: at most the cap plus those changes (each thinning then waits for cap/4 new records).
// Steps are assumed increasing, as a run makes them (0, 1, 2, ...).

#include "Run.h"

#include <array>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace gdviz {

/// std::allocator, except that value-initialization (vector::resize) writes nothing, so that Trajectory::room()
/// costs no pass over the memory the run is about to write. For implicit-lifetime types such as StepRecord (an
/// aggregate), whose objects the allocation itself creates.
template <class T>
struct UnwrittenAllocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = UnwrittenAllocator<U>;
    };
    template <class U, class... Args>
    void construct(U *p, Args &&...args)
    {
        if constexpr (sizeof...(Args) > 0)
            ::new (static_cast<void *>(p)) U(std::forward<Args>(args)...);
    }
};

class Trajectory {
public:
    static constexpr std::size_t defaultCap = 1'000'000;
    /// Records reserved up front (5 MB of address space): short runs never reallocate.
    static constexpr std::size_t initialReserve = 65'536;
    explicit Trajectory(std::size_t cap = defaultCap);

    void append(const StepRecord &record);
    /// The same as appending each record in turn.
    void append(std::span<const StepRecord> records);
    /// Recording in place (Race::advance into a trajectory): room for up to n records at the end, to be written
    /// and then kept with commit(made), the first `made` of them. Fewer than n (never none) when the next
    /// thinning comes first; at it, thins first. So the records kept are the ones append() would keep, without
    /// copying them.
    std::span<StepRecord> room(std::size_t n);
    void commit(std::size_t made);
    void clear();

    std::span<const StepRecord> records() const { return m_records; }
    /// Every stride()-th step is kept in the older part (records before fullResolutionFrom()); a power of two.
    std::size_t stride() const { return std::size_t(1) << m_strideLog2; }
    /// The index of the first of the latest records kept whole: from it on, every step appended is there.
    std::size_t fullResolutionFrom() const { return m_wholeFrom; }
    bool isEmpty() const { return m_records.empty(); }
    const StepRecord &last() const { return m_records.back(); }
    /// How many records thinning has dropped so far.
    std::size_t droppedCount() const { return m_dropped; }

private:
    void thin();
    /// Room at the end before the next thinning; the vector reserved for it.
    std::size_t roomBeforeThinning();
    void reserveToThinning();
    std::vector<StepRecord, UnwrittenAllocator<StepRecord>> m_records;
    std::size_t m_committed = 0; // m_records.size() outside room() ... commit()
    std::size_t m_cap;
    std::size_t m_thinAt; // thin when the size reaches it: the cap, unless settings changes held a thinning up
    std::size_t m_dropped = 0;
    int m_strideLog2 = 0;
    std::size_t m_wholeFrom = 0; // records [1, m_wholeFrom) are the older part, already at the stride
    /// The older part's records that are not settings changes, by the trailing zero bits of their step (step 0:
    /// 64): the ones kept at stride 2^z are those of counts z and up.
    std::array<std::size_t, 65> m_zeroBitCounts{};
};

} // namespace gdviz
