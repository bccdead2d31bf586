#pragma once
// Writing output files so that a failure never loses a file: either the new file is all there or the old one is
// untouched; a device, FIFO, socket or folder is never replaced; an input of the run is never written over.

#include "InputFile.h"

#include <QByteArrayView>
#include <QString>

#include <memory>
#include <ostream>
#include <vector>

class QSaveFile;

namespace gdviz {

/// A file the run reads, and what it is called in a message ("the scenario file", "the scenario's data CSV").
struct RunInput {
    FileIdentity identity;
    QString what;
};

/// Why path cannot be an output, as words for after the path; empty when it can. An output may be absent or an
/// existing regular file (or a symbolic link to one: its target is replaced, the link stays). Refused: anything
/// else that exists ("is a character device, not a regular file": a rename over /dev/full would replace the
/// device node itself) and any of inputs, compared by identity (device and inode), so a symbolic link to an input
/// or a hard link of it is caught: "is the scenario file; it would be overwritten".
QString outputPathProblem(const QString &path, const std::vector<RunInput> &inputs = {});

/// The inputs of a scenario read from scenarioPath whose data CSV (may be empty) is csvPath as written in the
/// file (relative to the scenario's folder): the ones that exist, for outputPathProblem().
std::vector<RunInput> scenarioInputs(const QString &scenarioPath, const QString &csvPath);

/// Whether two output paths name the same file: by identity when both exist, else by their absolute paths with
/// the folders' links resolved.
bool sameOutputFile(const QString &a, const QString &b);

/// Writes bytes to path through a temporary file that replaces path only when everything was written
/// (QSaveFile). On failure the old file, if any, is left as it was, no temporary is left behind, and
/// reason says why (the system's words, e.g. "No space left on device", or outputPathProblem()'s when path
/// is not a regular file).
/// Qt 6.4's QSaveFile::commit() can report success after its final buffered write failed (seen on a full
/// file system: the old file was replaced by an empty one), so the buffer is flushed and checked first.
bool writeFileAtomically(const QString &path, QByteArrayView bytes, QString *reason);

/// An output streamed to a temporary file beside path, which replaces path only on commit(): a CSV of millions of
/// rows is written as it is made, never held whole in memory, and a run that fails leaves the old file as it was.
/// Destroyed without commit(), the temporary is removed and path is untouched.
class AtomicFileWriter {
public:
    explicit AtomicFileWriter(const QString &path);
    ~AtomicFileWriter();
    AtomicFileWriter(const AtomicFileWriter &) = delete;
    AtomicFileWriter &operator=(const AtomicFileWriter &) = delete;

    /// Creates the temporary. False with *reason when path is not a regular file (outputPathProblem()) or the
    /// folder cannot take the temporary.
    bool open(QString *reason);
    /// Where to write; a failed write is remembered and reported by commit().
    std::ostream &stream();
    /// Flushes and checks that every byte reached the temporary. False with *reason (the temporary removed, path
    /// untouched) otherwise. Lets a caller with several outputs find every failure before replacing any file.
    bool finishWriting(QString *reason);
    /// finishWriting(), then checks that path is still a regular file or absent (the name may have been given to a
    /// device or a FIFO since open()). False with *reason (path untouched, temporary removed) otherwise. A caller
    /// with several outputs asks each before committing any, so that a problem with the last leaves the first as it
    /// was too.
    bool readyToReplace(QString *reason);
    /// readyToReplace(), then renames the temporary over path. False with *reason (path untouched, temporary
    /// removed) otherwise.
    bool commit(QString *reason);

private:
    class Buffer;
    QString m_path;
    std::unique_ptr<QSaveFile> m_file;
    std::unique_ptr<Buffer> m_buffer;
    std::unique_ptr<std::ostream> m_stream;
};

} // namespace gdviz
