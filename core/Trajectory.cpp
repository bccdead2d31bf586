#include "Trajectory.h"

#include <algorithm>

namespace gdviz {

Trajectory::Trajectory(std::size_t cap)
    : m_cap(std::max<std::size_t>(cap, 8))
{
    // Room for the first records up front, and for the whole cap once those are full (append): growing a
    // vector one doubling at a time copied every record again and again and cost more than the updates
    // themselves (a Rosenbrock update takes ~20 ns, appending its record took ~120 ns; see bench
    // analytic_steps vs analytic_updates), and held two copies (up to 120 MB) for a moment. A reservation is
    // address space: memory pages are backed only as records reach them.
    m_records.reserve(std::min(m_cap, initialReserve));
}

void Trajectory::append(const StepRecord &record)
{
    if (m_records.size() >= m_cap)
        thin();
    else if (m_records.size() == m_records.capacity())
        m_records.reserve(m_cap);
    m_records.push_back(record);
}

void Trajectory::append(std::span<const StepRecord> records)
{
    // Whole runs of records up to the cap at once (one copy, no per-record checks); thinning, when the cap
    // is reached, one record at a time as above.
    while (!records.empty()) {
        const std::size_t room = m_records.size() < m_cap ? m_cap - m_records.size() : 0;
        if (room == 0) {
            append(records.front());
            records = records.subspan(1);
            continue;
        }
        const std::size_t count = std::min(room, records.size());
        if (m_records.size() + count > m_records.capacity())
            m_records.reserve(m_cap);
        m_records.insert(m_records.end(), records.begin(), records.begin() + std::ptrdiff_t(count));
        records = records.subspan(count);
    }
}

std::span<StepRecord> Trajectory::room(std::size_t n)
{
    m_committed = m_records.size();
    if (m_committed >= m_cap) {
        thin();
        m_committed = m_records.size();
    }
    // Up to the cap; past it (thinning removed nothing: every record a settings change) one at a time, as append.
    n = m_committed < m_cap ? std::min(n, m_cap - m_committed) : std::min<std::size_t>(n, 1);
    if (m_committed + n > m_records.capacity())
        m_records.reserve(m_cap);
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
    m_dropped = 0;
}

void Trajectory::thin()
{
    const std::size_t olderEnd = m_records.size() / 2;
    std::size_t out = 1; // record 0, the start point, always stays
    for (std::size_t i = 1; i < olderEnd; ++i) {
        if (i % 2 == 0 || m_records[i].settingsChanged)
            m_records[out++] = m_records[i];
    }
    const std::size_t removed = olderEnd - out;
    m_records.erase(m_records.begin() + std::ptrdiff_t(out), m_records.begin() + std::ptrdiff_t(olderEnd));
    m_dropped += removed;
}

} // namespace gdviz
