#pragma once
// The one way a fuzz target reports a broken invariant: a message on stderr, then abort(), which libFuzzer
// records as a crash and saves the input for.

#include <QByteArray>
#include <QString>

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

/// A message fit for a terminal and the banner whatever the input was: at most maxBytes, valid UTF-8 (checked with
/// Qt's decoder, independent of gdviz's excerpt()), no control character (README "Limits").
inline void checkMessage(const std::string &message, std::size_t maxBytes)
{
    check(message.size() <= maxBytes, "a message is short: " + std::to_string(message.size()) + " bytes");
    for (const char c : message)
        check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f, "a message holds no control character");
    const QByteArray bytes = QByteArray::fromStdString(message);
    check(QString::fromUtf8(bytes).toUtf8() == bytes, "a message is valid UTF-8");
}

} // namespace gdviz::fuzz
