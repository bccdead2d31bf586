#pragma once
// The one way a fuzz target reports a broken invariant: a message on stderr, then abort(), which libFuzzer
// records as a crash and saves the input for.

#include <cstdio>
#include <cstdlib>
#include <string>

namespace gdviz::fuzz {

inline void check(bool holds, const std::string &what)
{
    if (holds)
        return;
    std::fprintf(stderr, "invariant broken: %s\n", what.c_str());
    std::abort();
}

} // namespace gdviz::fuzz
