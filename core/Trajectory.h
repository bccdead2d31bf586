#pragma once
// The recorded steps of one run, bounded in memory.
//
// Every step is kept up to a cap (a million by default). When the cap is reached, the older half is
// thinned: every second record of it is dropped, except the first record (the start point) and every
// record where a setting changed. Recent steps stay at full resolution; older ones get coarser each
// time the cap is reached again. The latest record is always kept.

#include "Run.h"

#include <span>
#include <vector>

namespace gdviz {

class Trajectory {
public:
    static constexpr std::size_t defaultCap = 1'000'000;
    /// Records reserved up front (5 MB of address space): short runs never reallocate.
    static constexpr std::size_t initialReserve = 65'536;
    explicit Trajectory(std::size_t cap = defaultCap);

    void append(const StepRecord &record);
    /// The same as appending each record in turn.
    void append(std::span<const StepRecord> records);
    void clear();

    const std::vector<StepRecord> &records() const { return m_records; }
    bool isEmpty() const { return m_records.empty(); }
    const StepRecord &last() const { return m_records.back(); }
    /// How many records thinning has dropped so far.
    std::size_t droppedCount() const { return m_dropped; }

private:
    void thin();
    std::vector<StepRecord> m_records;
    std::size_t m_cap;
    std::size_t m_dropped = 0;
};

} // namespace gdviz
