#pragma once
// Writing a whole file so that it is either all there or the old one is untouched.

#include <QByteArrayView>
#include <QString>

namespace gdviz {

/// Writes bytes to path through a temporary file that replaces path only when everything was written
/// (QSaveFile). On failure the old file, if any, is left as it was, no temporary is left behind, and
/// reason says why (the system's words, e.g. "No space left on device").
/// Qt 6.4's QSaveFile::commit() can report success after its final buffered write failed (seen on a full
/// file system: the old file was replaced by an empty one), so the buffer is flushed and checked first.
bool writeFileAtomically(const QString &path, QByteArrayView bytes, QString *reason);

} // namespace gdviz
