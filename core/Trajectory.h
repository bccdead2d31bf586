#pragma once
// The recorded steps of one run, bounded in memory.
//
// Every step is kept up to a cap (a million by default). When the cap is reached, the older half is
// thinned: every second record of it is dropped, except the first record (the start point) and every
// record where a setting changed. Recent steps stay at full resolution; older ones get coarser each
// time the cap is reached again. The latest record is always kept.

#include "Run.h"

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
    /// and then kept with commit(made), the first `made` of them. Fewer than n when the cap comes first; at the
    /// cap, thins first. So the records kept are the ones append() would keep, without copying them.
    std::span<StepRecord> room(std::size_t n);
    void commit(std::size_t made);
    void clear();

    std::span<const StepRecord> records() const { return m_records; }
    bool isEmpty() const { return m_records.empty(); }
    const StepRecord &last() const { return m_records.back(); }
    /// How many records thinning has dropped so far.
    std::size_t droppedCount() const { return m_dropped; }

private:
    void thin();
    std::vector<StepRecord, UnwrittenAllocator<StepRecord>> m_records;
    std::size_t m_committed = 0; // m_records.size() outside room() ... commit()
    std::size_t m_cap;
    std::size_t m_dropped = 0;
};

} // namespace gdviz
