#include "Trajectory.h"

#include <algorithm>
#include <bit>

namespace gdviz {

Trajectory::Trajectory(std::size_t cap)
    : m_cap(std::max<std::size_t>(cap, 8))
    , m_thinAt(m_cap)
{
    // Room for the first records up front, and for the whole cap once those are full (append): growing a
    // vector one doubling at a time copied every record again and again and cost more than the updates
    // themselves (a Rosenbrock update takes ~20 ns, appending its record took ~120 ns; see bench
    // analytic_steps vs analytic_updates), and held two copies (up to 120 MB) for a moment. A reservation is
    // address space: memory pages are backed only as records reach them.
    m_records.reserve(std::min(m_cap, initialReserve));
}

void Trajectory::reserveToThinning()
{
    // The cap at once (see the constructor). Past it (settings changes hold thinning up, and each thinning moves
    // the next a little further), geometrically, or every thinning would copy every record.
    m_records.reserve(m_thinAt == m_cap ? m_cap : std::max(m_thinAt, m_records.capacity() / 2 * 3));
}

std::size_t Trajectory::roomBeforeThinning()
{
    if (m_records.size() >= m_thinAt)
        thin();
    return m_thinAt - m_records.size(); // > 0: thinning leaves at least cap/4 of room
}

void Trajectory::append(const StepRecord &record)
{
    if (m_records.size() >= m_thinAt)
        thin();
    else if (m_records.size() == m_records.capacity())
        reserveToThinning();
    m_records.push_back(record);
}

void Trajectory::append(std::span<const StepRecord> records)
{
    // Whole runs of records up to the next thinning at once (one copy, no per-record checks).
    while (!records.empty()) {
        const std::size_t count = std::min(roomBeforeThinning(), records.size());
        if (m_records.size() + count > m_records.capacity())
            reserveToThinning();
        m_records.insert(m_records.end(), records.begin(), records.begin() + std::ptrdiff_t(count));
        records = records.subspan(count);
    }
}

std::span<StepRecord> Trajectory::room(std::size_t n)
{
    n = std::min(n, roomBeforeThinning());
    m_committed = m_records.size();
    if (m_committed + n > m_records.capacity())
        reserveToThinning();
    m_records.resize(m_committed + n); // writes nothing (UnwrittenAllocator)
    return std::span(m_records).subspan(m_committed);
}

void Trajectory::commit(std::size_t made)
{
    m_records.resize(std::min(m_committed + made, m_records.size()));
    m_committed = m_records.size();
}

void Trajectory::clear()
{
    m_records.clear();
    m_thinAt = m_cap;
    m_dropped = 0;
    m_strideLog2 = 0;
    m_wholeFrom = 0;
    m_zeroBitCounts.fill(0);
}

namespace {

int zeroBits(long step)
{
    return std::countr_zero(static_cast<unsigned long>(step)); // 64 for step 0
}

} // namespace

void Trajectory::thin()
{
    // The newest cap/4 records stay whole; records [1, end) are thinned to the stride.
    const std::size_t size = m_records.size();
    const std::size_t end = size - m_cap / 4;
    const std::size_t budget = m_cap / 4 - 1; // for the older part's every-k-th steps, the start aside
    const auto keeps = [](const StepRecord &r, unsigned long mask) {
        return r.settingsChanged || (static_cast<unsigned long>(r.step) & mask) == 0;
    };
    // First the records kept whole since the last thinning, to the stride they join (whatever the new stride,
    // the steps off this one go), counting the trailing zero bits of the steps they keep.
    std::size_t out = std::max<std::size_t>(m_wholeFrom, 1);
    unsigned long mask = (1ul << m_strideLog2) - 1;
    for (std::size_t i = out; i < end; ++i) {
        const StepRecord &r = m_records[i];
        if (!keeps(r, mask))
            continue;
        if (!r.settingsChanged)
            ++m_zeroBitCounts[std::size_t(zeroBits(r.step))];
        m_records[out++] = r;
    }
    // Then the stride: the least power of two, no less than before, that fits the budget.
    std::size_t kept = 0;
    for (int z = 64; z >= m_strideLog2; --z)
        kept += m_zeroBitCounts[std::size_t(z)];
    const int wasLog2 = m_strideLog2;
    while (kept > budget && m_strideLog2 < 63)
        kept -= m_zeroBitCounts[std::size_t(m_strideLog2++)];
    if (m_strideLog2 != wasLog2) {
        // A coarser stride: the whole older part again (this happens once per doubling of the run's length).
        mask = (1ul << m_strideLog2) - 1;
        std::size_t to = 1;
        for (std::size_t i = 1; i < out; ++i)
            if (keeps(m_records[i], mask))
                m_records[to++] = m_records[i];
        out = to;
        std::fill(m_zeroBitCounts.begin(), m_zeroBitCounts.begin() + m_strideLog2, 0);
    }
    // The newest cap/4, down next to the older part.
    std::copy(m_records.begin() + std::ptrdiff_t(end), m_records.end(), m_records.begin() + std::ptrdiff_t(out));
    m_records.resize(out + (size - end));
    m_dropped += end - out;
    m_wholeFrom = out;
    m_thinAt = std::max(m_cap, m_records.size() + m_cap / 4);
}

} // namespace gdviz
