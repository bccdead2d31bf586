#pragma once
// Small file helpers shared by the suites that try hostile files (tst_inputfile, tst_hostilefiles).

#include <QByteArray>
#include <QFile>
#include <QString>

#include <sys/stat.h>

#include <string>

namespace gdviz::test {

/// The path in the system's encoding, for POSIX calls.
inline std::string local(const QString &path)
{
    return QFile::encodeName(path).toStdString();
}

inline bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

inline QByteArray readBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

/// The file type lstat() sees at path (the name itself, not a link's target): S_IFIFO, S_IFREG, ...
inline mode_t typeAt(const QString &path)
{
    struct stat st {};
    return ::lstat(local(path).c_str(), &st) == 0 ? (st.st_mode & S_IFMT) : 0;
}

} // namespace gdviz::test
