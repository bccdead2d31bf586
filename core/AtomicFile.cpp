#include "AtomicFile.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <streambuf>

namespace gdviz {

namespace {

/// Refuses a path that names something other than a regular file; empty otherwise.
QString notRegularProblem(const QString &path)
{
    const std::string kind = nonRegularFileKind(QFile::encodeName(path).toStdString());
    return kind.empty() ? QString() : QStringLiteral("is %1, not a regular file").arg(QString::fromStdString(kind));
}

} // namespace

QString outputPathProblem(const QString &path, const std::vector<RunInput> &inputs)
{
    if (QString problem = notRegularProblem(path); !problem.isEmpty())
        return problem;
    if (const auto identity = fileIdentity(QFile::encodeName(path).toStdString()))
        for (const RunInput &input : inputs)
            if (input.identity == *identity)
                return QStringLiteral("is %1; it would be overwritten").arg(input.what);
    return {};
}

std::vector<RunInput> scenarioInputs(const QString &scenarioPath, const QString &csvPath)
{
    std::vector<RunInput> inputs;
    if (const auto scenario = fileIdentity(QFile::encodeName(scenarioPath).toStdString()))
        inputs.push_back({*scenario, QStringLiteral("the scenario file")});
    if (!csvPath.isEmpty()) {
        // As the reader resolves it (buildObjective): relative to the scenario's folder.
        const QString csv = QFileInfo(scenarioPath).dir().filePath(csvPath);
        if (const auto data = fileIdentity(QFile::encodeName(csv).toStdString()))
            inputs.push_back({*data, QStringLiteral("the scenario's data CSV")});
    }
    return inputs;
}

bool sameOutputFile(const QString &a, const QString &b)
{
    const auto ia = fileIdentity(QFile::encodeName(a).toStdString()), ib = fileIdentity(QFile::encodeName(b).toStdString());
    if (ia && ib)
        return *ia == *ib;
    auto resolved = [](const QString &path) {
        const QFileInfo info(path);
        const QString folder = info.absoluteDir().canonicalPath();
        return folder.isEmpty() ? info.absoluteFilePath() : QDir(folder).filePath(info.fileName());
    };
    return resolved(a) == resolved(b);
}

bool writeFileAtomically(const QString &path, QByteArrayView bytes, QString *reason)
{
    AtomicFileWriter writer(path);
    if (!writer.open(reason))
        return false;
    writer.stream().write(bytes.data(), std::streamsize(bytes.size()));
    return writer.commit(reason);
}

/// The stream's buffer: 64 KiB at a time into the QSaveFile, remembering a failed write.
class AtomicFileWriter::Buffer : public std::streambuf {
public:
    explicit Buffer(QSaveFile &file)
        : m_file(file)
        , m_data(std::size_t(1) << 16)
    {
        setp(m_data.data(), m_data.data() + m_data.size());
    }
    bool failed() const { return m_failed; }

protected:
    int_type overflow(int_type ch) override
    {
        if (!drain())
            return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }
    std::streamsize xsputn(const char *s, std::streamsize n) override
    {
        if (n > epptr() - pptr()) { // a large block goes straight through
            if (!drain())
                return 0;
            if (n >= std::streamsize(m_data.size())) {
                if (m_file.write(s, n) != n)
                    m_failed = true;
                return m_failed ? 0 : n;
            }
        }
        std::copy(s, s + n, pptr());
        pbump(int(n));
        return n;
    }
    int sync() override { return drain() ? 0 : -1; }

private:
    bool drain()
    {
        const qint64 n = pptr() - pbase();
        if (n > 0 && !m_failed && m_file.write(pbase(), n) != n)
            m_failed = true;
        setp(m_data.data(), m_data.data() + m_data.size());
        return !m_failed;
    }

    QSaveFile &m_file;
    std::vector<char> m_data;
    bool m_failed = false;
};

AtomicFileWriter::AtomicFileWriter(const QString &path)
    : m_path(path)
{
}

AtomicFileWriter::~AtomicFileWriter()
{
    m_stream.reset();
    m_buffer.reset();
    // An uncommitted QSaveFile removes its temporary when destroyed; path is untouched.
}

bool AtomicFileWriter::open(QString *reason)
{
    if (QString problem = notRegularProblem(m_path); !problem.isEmpty()) {
        *reason = problem;
        return false;
    }
    m_file = std::make_unique<QSaveFile>(m_path);
    if (!m_file->open(QIODevice::WriteOnly)) {
        *reason = m_file->errorString();
        m_file.reset();
        return false;
    }
    m_buffer = std::make_unique<Buffer>(*m_file);
    m_stream = std::make_unique<std::ostream>(m_buffer.get());
    return true;
}

std::ostream &AtomicFileWriter::stream()
{
    return *m_stream;
}

bool AtomicFileWriter::finishWriting(QString *reason)
{
    if (!m_file) {
        *reason = QStringLiteral("the file is not open");
        return false;
    }
    m_stream->flush();
    if (!m_buffer->failed() && bool(*m_stream) && m_file->flush() && m_file->error() == QFileDevice::NoError)
        return true;
    *reason = m_file->errorString(); // before cancelling, which would replace it
    m_file->cancelWriting();
    m_file.reset(); // removes the temporary
    return false;
}

bool AtomicFileWriter::readyToReplace(QString *reason)
{
    if (!finishWriting(reason))
        return false;
    // Checked again just before the rename: the name may have been given to a device or a FIFO since open().
    if (QString problem = notRegularProblem(m_path); !problem.isEmpty()) {
        *reason = problem;
        m_file->cancelWriting();
        m_file.reset();
        return false;
    }
    return true;
}

bool AtomicFileWriter::commit(QString *reason)
{
    if (!readyToReplace(reason))
        return false;
    const bool ok = m_file->commit();
    if (!ok)
        *reason = m_file->errorString();
    m_file.reset();
    return ok;
}

} // namespace gdviz
