#include "InputFile.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gdviz {

namespace {

/// Closes a descriptor when it goes out of scope.
class Descriptor {
public:
    explicit Descriptor(int fd)
        : m_fd(fd)
    {
    }
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor &) = delete;
    Descriptor &operator=(const Descriptor &) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

/// "" for a regular file, else what it is, in words.
std::string kindName(mode_t mode)
{
    if (S_ISREG(mode))
        return {};
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISDIR(mode))
        return "a folder";
    return "not a regular file";
}

std::string notRegular(mode_t mode)
{
    return "is " + kindName(mode) + ", not a regular file";
}

FileIdentity identityOf(const struct stat &st)
{
    return {std::uint64_t(st.st_dev), std::uint64_t(st.st_ino)};
}

bool fail(std::string *error, const std::string &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

std::function<void()> detail::afterExaminingInputFile;

std::optional<FileIdentity> fileIdentity(const std::string &path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return std::nullopt;
    return identityOf(st);
}

std::string nonRegularFileKind(const std::string &path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return {};
    return kindName(st.st_mode);
}

std::string byteSizeText(std::int64_t bytes)
{
    constexpr std::int64_t mib = std::int64_t(1) << 20;
    if (bytes < mib)
        return std::to_string(bytes) + " bytes";
    if (bytes % mib == 0)
        return std::to_string(bytes / mib) + " MiB";
    char text[64];
    std::snprintf(text, sizeof text, "%.1f MiB (%lld bytes)", double(bytes) / double(mib), static_cast<long long>(bytes));
    return text;
}

std::optional<std::string> readInputFile(const std::string &path, std::int64_t maxBytes, std::string *error,
                                         FileIdentity *identity)
{
    auto refuse = [&](const std::string &message) -> std::optional<std::string> {
        fail(error, message);
        return std::nullopt;
    };
    auto cannotRead = [&](int code) { return refuse("cannot read the file: " + std::string(std::strerror(code))); };

    // First a descriptor that only names the file (O_PATH): opening it runs no driver code, so a device is never
    // opened for reading (a tape rewinds, a watchdog starts, a terminal could become ours), and it never blocks.
    const Descriptor named(::open(path.c_str(), O_PATH | O_CLOEXEC));
    if (named.get() < 0)
        return cannotRead(errno);
    struct stat st {};
    if (::fstat(named.get(), &st) != 0)
        return cannotRead(errno);
    if (!S_ISREG(st.st_mode))
        return refuse(notRegular(st.st_mode));
    // Then the descriptor that reads, opened through the first one (/proc/self/fd/N names exactly the file it
    // holds), so a name pointed elsewhere in between changes nothing. Where /proc is not mounted, by name, and
    // what that opened must be the very file examined above. Either way O_NONBLOCK (a FIFO swapped in returns at
    // once instead of waiting for a writer) and O_NOCTTY (a terminal never becomes ours).
    if (detail::afterExaminingInputFile)
        detail::afterExaminingInputFile();
    constexpr int readFlags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    const std::string held = "/proc/self/fd/" + std::to_string(named.get());
    int reopened = ::open(held.c_str(), readFlags);
    if (reopened < 0 && errno == ENOENT)
        reopened = ::open(path.c_str(), readFlags);
    const Descriptor file(reopened);
    if (file.get() < 0)
        return cannotRead(errno);
    struct stat opened {};
    if (::fstat(file.get(), &opened) != 0)
        return cannotRead(errno);
    if (!S_ISREG(opened.st_mode) || !(identityOf(opened) == identityOf(st)))
        return refuse("cannot read the file: it was replaced while being opened");
    if (opened.st_size > maxBytes)
        return refuse("is " + byteSizeText(opened.st_size) + "; at most " + byteSizeText(maxBytes) + " are read");

    // Read to the end, but never past the limit: one byte more than the limit proves the file grew too large.
    std::string bytes;
    bytes.resize(std::size_t(opened.st_size) + 1);
    std::size_t size = 0;
    for (;;) {
        if (size == bytes.size()) {
            if (std::int64_t(size) > maxBytes)
                break;
            bytes.resize(std::size_t(std::min<std::int64_t>(std::int64_t(size) * 2 + 4096, maxBytes + 1)));
        }
        const ssize_t n = ::read(file.get(), bytes.data() + size, bytes.size() - size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return cannotRead(errno);
        }
        if (n == 0)
            break;
        size += std::size_t(n);
    }
    if (std::int64_t(size) > maxBytes)
        return refuse("grew past " + byteSizeText(maxBytes) + " while being read; at most " + byteSizeText(maxBytes)
                      + " are read");
    bytes.resize(size);
    if (identity)
        *identity = identityOf(opened);
    return bytes;
}

} // namespace gdviz
