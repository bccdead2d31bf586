#pragma once
// Numbers in messages people read: the shortest text that reads back to the same double ("0.1", not
// "0.10000000000000001"). Trajectory files use 17 significant digits instead (TrajectoryWriter.h).

#include <charconv>
#include <string>

namespace gdviz {

inline std::string shortestNumber(double value)
{
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

} // namespace gdviz
