#pragma once
// Reading a file the user named (a scenario, a data CSV) without hanging or running out of memory, and telling
// files apart by identity rather than by name.
//
// A path from a scenario found on the internet may name /dev/zero (never ends), /dev/urandom, a FIFO (open()
// blocks until a writer comes, and may never return), a socket or a folder. Every user file is therefore read
// here: opened without blocking, examined through the open descriptor (so what is checked is what is read: no
// check-then-open race), refused at once unless it is a regular file, and read with a bound, so a file that grows
// while it is read stops at the limit too. Qt's QFile cannot do this: it has no non-blocking open, so a FIFO
// blocks inside QFile::open() before any check could run, and QFileInfo's checks are made on the name, before
// the open. This file is the one place that uses POSIX calls for it (gdviz is built for Debian).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace gdviz {

/// The largest scenario file read: 16 MiB. The lessons are a few KB, and 64 runs with long names and a long formula
/// stay far below 1 MiB; a file of 16 MiB still parses in well under a second.
inline constexpr std::int64_t maxScenarioFileBytes = std::int64_t(16) << 20;
/// The largest data CSV read: 512 MiB, so that the largest data set gdviz takes (10 million rows) fits when
/// written at full precision (two 17-digit numbers with exponents, about 48 bytes a row, 480 MB), as gdviz's own
/// CSV writer writes numbers. The whole file is held in memory once while it is parsed.
inline constexpr std::int64_t maxDataCsvBytes = std::int64_t(512) << 20;

/// Which file a path names, whatever the name: (device, inode), as stat() gives them after following links. Two
/// paths name the same file exactly when their identities are equal: "./a.csv" and "a.csv", a symbolic link
/// and its target, and two hard links of one file.
struct FileIdentity {
    std::uint64_t device = 0, inode = 0;
    bool operator==(const FileIdentity &) const = default;
};

/// The identity of the file path names (links followed); nullopt when it does not exist or cannot be examined.
std::optional<FileIdentity> fileIdentity(const std::string &path);

/// What kind of file path names, following links: "" for a regular file (and when path does not exist or cannot
/// be examined), else words for a message: "a FIFO (named pipe)", "a character device", "a block device",
/// "a socket", "a folder".
std::string nonRegularFileKind(const std::string &path);

/// The whole of the regular file at path (links followed), at most maxBytes bytes. Never blocks: the file is
/// opened with O_NONBLOCK and examined through the descriptor (fstat), so a FIFO, a device, a socket or a folder is
/// refused at once, before anything is read from it. On failure returns nullopt and sets *error (may be null) to
/// one message for after the path, e.g. "is a FIFO (named pipe), not a regular file", "cannot read the file: No
/// such file or directory", "is 20.0 MiB (20971520 bytes); at most 16 MiB are read". If identity is not null it
/// receives the identity of the file that was read.
std::optional<std::string> readInputFile(const std::string &path, std::int64_t maxBytes, std::string *error,
                                         FileIdentity *identity = nullptr);

namespace detail {
/// For tests only: when set, readInputFile calls it between examining the file and opening it for reading, the
/// moment at which another program could point the name elsewhere. Set it only while no file is being read.
extern std::function<void()> afterExaminingInputFile;
} // namespace detail

/// A size for a message: "16 MiB" when a whole number of MiB, else "20.5 MiB (21495808 bytes)"; under 1 MiB in
/// bytes ("512 bytes").
std::string byteSizeText(std::int64_t bytes);

} // namespace gdviz
