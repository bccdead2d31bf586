// The file-safety unit (core/InputFile.h, core/AtomicFile.h) against the kernel's own answers: what a path is
// (a FIFO made here with mkfifo, /dev/null, a folder, a listening unix socket, links to each), which file it is
// (stat's device and inode), and what reading and atomic writing leave on disk, byte for byte.

#include "AtomicFile.h"
#include "FileTestSupport.h"
#include "InputFile.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>

using namespace gdviz;

namespace {

using test::local;
using test::readBytes;
using test::typeAt;
using test::writeBytes;

/// Runs what() and fails the test if it has not returned within a minute: a FIFO that blocks open() or read()
/// must fail the test, not hang it. When it hangs, a writer opens and closes the FIFO, which ends the read.
template <class F>
auto notBlocking(const QString &fifo, F what)
{
    auto result = std::async(std::launch::async, what);
    if (result.wait_for(std::chrono::minutes(1)) != std::future_status::ready) {
        const int writer = ::open(local(fifo).c_str(), O_WRONLY | O_NONBLOCK);
        if (writer >= 0)
            ::close(writer);
        result.wait();
        return std::make_pair(result.get(), false);
    }
    return std::make_pair(result.get(), true);
}

} // namespace

class TestInputFile : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void readsARegularFile_data();
    void readsARegularFile();
    void refusesWhatIsNotARegularFile_data();
    void refusesWhatIsNotARegularFile();
    void refusesAFileOverTheLimit_data();
    void refusesAFileOverTheLimit();
    void stopsAtTheLimitWhenAFileIsLargerThanItSaid();
    void missingFile();
    void readsTheFileItExaminedWhenTheNameMoves_data();
    void readsTheFileItExaminedWhenTheNameMoves();
    void identityFollowsLinks();
    void outputPathProblems_data();
    void outputPathProblems();
    void sameOutputFile();
    void atomicWriteNeverReplacesWhatIsNotARegularFile_data();
    void atomicWriteNeverReplacesWhatIsNotARegularFile();
    void streamedWriteReplacesOnlyOnCommit();
    void streamedWriteAbandonedLeavesNoTrace();
    void secondOutputTurnedFifoLeavesBothOldFiles();

private:
    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }
    QTemporaryDir m_dir;
    int m_socket = -1; // a unix socket bound at path("socket")
};

void TestInputFile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCOMPARE(::mkfifo(local(path("fifo")).c_str(), 0600), 0);
    QVERIFY(QDir(m_dir.path()).mkdir(QStringLiteral("folder")));
    m_socket = ::socket(AF_UNIX, SOCK_STREAM, 0);
    QVERIFY(m_socket >= 0);
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    const std::string socketPath = local(path("socket"));
    QVERIFY(socketPath.size() < sizeof address.sun_path);
    std::copy(socketPath.begin(), socketPath.end(), address.sun_path);
    QCOMPARE(::bind(m_socket, reinterpret_cast<const sockaddr *>(&address), sizeof address), 0);
    QCOMPARE(::listen(m_socket, 1), 0);
    QCOMPARE(typeAt(path("socket")), mode_t(S_IFSOCK));
    QVERIFY(writeBytes(path("regular.txt"), "x,y\n1,2\n"));
    QVERIFY(QFile::link(path("fifo"), path("link_to_fifo")));
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), path("link_to_zero")));
    QVERIFY(QFile::link(path("folder"), path("link_to_folder")));
    QVERIFY(QFile::link(path("regular.txt"), path("link_to_regular")));
    QCOMPARE(::link(local(path("regular.txt")).c_str(), local(path("hard_link")).c_str()), 0);
    QVERIFY(QFile::link(path("nowhere"), path("dangling")));
}

void TestInputFile::cleanupTestCase()
{
    if (m_socket >= 0)
        ::close(m_socket);
}

void TestInputFile::readsARegularFile_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("text") << QStringLiteral("a.txt") << QByteArray("x,y\n1,2\n");
    QTest::newRow("empty") << QStringLiteral("empty.txt") << QByteArray();
    QTest::newRow("NUL and high bytes") << QStringLiteral("binary.bin") << QByteArray("\0\xff\x01\n", 4);
    QTest::newRow("1 MiB + 1") << QStringLiteral("big.bin") << QByteArray((1 << 20) + 1, 'q');
}

void TestInputFile::readsARegularFile()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    const QString file = m_dir.filePath(name);
    QVERIFY(writeBytes(file, bytes));
    std::string error;
    FileIdentity identity;
    const auto read = readInputFile(local(file), 2 << 20, &error, &identity);
    QVERIFY2(read, error.c_str());
    QCOMPARE(QByteArray::fromStdString(*read), bytes);
    struct stat st {};
    QCOMPARE(::stat(local(file).c_str(), &st), 0);
    QCOMPARE(identity.device, std::uint64_t(st.st_dev));
    QCOMPARE(identity.inode, std::uint64_t(st.st_ino));
}

void TestInputFile::refusesWhatIsNotARegularFile_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    const QString fifo = QStringLiteral("is a FIFO (named pipe), not a regular file");
    QTest::newRow("FIFO") << path("fifo") << fifo;
    QTest::newRow("link to a FIFO") << path("link_to_fifo") << fifo;
    QTest::newRow("/dev/zero") << QStringLiteral("/dev/zero") << QStringLiteral("is a character device, not a regular file");
    QTest::newRow("/dev/urandom") << QStringLiteral("/dev/urandom") << QStringLiteral("is a character device, not a regular file");
    QTest::newRow("/dev/null") << QStringLiteral("/dev/null") << QStringLiteral("is a character device, not a regular file");
    QTest::newRow("link to /dev/zero") << path("link_to_zero") << QStringLiteral("is a character device, not a regular file");
    QTest::newRow("folder") << path("folder") << QStringLiteral("is a folder, not a regular file");
    QTest::newRow("link to a folder") << path("link_to_folder") << QStringLiteral("is a folder, not a regular file");
    QTest::newRow("unix socket") << path("socket") << QStringLiteral("is a socket, not a regular file");
}

void TestInputFile::refusesWhatIsNotARegularFile()
{
    QFETCH(QString, path);
    QFETCH(QString, message);
    const auto [result, returned] = notBlocking(this->path("fifo"), [&] {
        std::string error;
        const bool read = readInputFile(local(path), 1 << 20, &error).has_value();
        return std::make_pair(read, error);
    });
    QVERIFY2(returned, "blocked on the FIFO");
    QVERIFY(!result.first);
    QCOMPARE(QString::fromStdString(result.second), message);
    QCOMPARE(QString::fromStdString(nonRegularFileKind(local(path))), message.section(QLatin1String(", not"), 0, 0).mid(3));
}

void TestInputFile::refusesAFileOverTheLimit_data()
{
    QTest::addColumn<qint64>("size");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<QString>("message"); // empty: read
    QTest::newRow("at the limit") << qint64(100) << qint64(100) << QString();
    QTest::newRow("one byte over") << qint64(101) << qint64(100) << QStringLiteral("is 101 bytes; at most 100 bytes are read");
    QTest::newRow("empty, limit 0") << qint64(0) << qint64(0) << QString();
    QTest::newRow("16 MiB + 1, limit 16 MiB") << (qint64(16) << 20) + 1 << (qint64(16) << 20)
                                              << QStringLiteral("is 16.0 MiB (16777217 bytes); at most 16 MiB are read");
    QTest::newRow("1 GiB sparse, limit 512 MiB") << (qint64(1) << 30) << (qint64(512) << 20)
                                                 << QStringLiteral("is 1024 MiB; at most 512 MiB are read");
}

void TestInputFile::refusesAFileOverTheLimit()
{
    QFETCH(qint64, size);
    QFETCH(qint64, limit);
    QFETCH(QString, message);
    const QString file = path("sized.bin");
    QFile::remove(file);
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(size)); // sparse: no disk used
    }
    std::string error;
    const auto read = readInputFile(local(file), limit, &error);
    if (message.isEmpty()) {
        QVERIFY2(read, error.c_str());
        QCOMPARE(qint64(read->size()), size);
    } else {
        QVERIFY(!read);
        QCOMPARE(QString::fromStdString(error), message);
    }
}

void TestInputFile::stopsAtTheLimitWhenAFileIsLargerThanItSaid()
{
    // /proc/self/status is a regular file whose size says 0 while it holds a page of text: as a file that grows
    // while it is read, the read must stop at the limit, not at what fstat said.
    struct stat st {};
    QCOMPARE(::stat("/proc/self/status", &st), 0);
    QVERIFY(S_ISREG(st.st_mode));
    QCOMPARE(st.st_size, off_t(0));
    std::string error;
    QVERIFY(!readInputFile("/proc/self/status", 100, &error));
    QCOMPARE(QString::fromStdString(error), QStringLiteral("grew past 100 bytes while being read; at most 100 bytes are read"));
    const auto whole = readInputFile("/proc/self/status", 1 << 20, &error);
    QVERIFY2(whole, error.c_str());
    QVERIFY(whole->size() > 100);
    QVERIFY(QByteArray::fromStdString(*whole).startsWith("Name:"));
}

void TestInputFile::missingFile()
{
    std::string error;
    QVERIFY(!readInputFile(local(path("no_such_file")), 100, &error));
    QCOMPARE(QString::fromStdString(error), QStringLiteral("cannot read the file: No such file or directory"));
    QVERIFY(!readInputFile(local(path("dangling")), 100, &error));
    QCOMPARE(QString::fromStdString(error), QStringLiteral("cannot read the file: No such file or directory"));
    QVERIFY(!fileIdentity(local(path("no_such_file"))));
    QCOMPARE(nonRegularFileKind(local(path("no_such_file"))), std::string());
}

void TestInputFile::readsTheFileItExaminedWhenTheNameMoves_data()
{
    QTest::addColumn<QString>("change"); // what happens to the name between examining and reading
    QTest::newRow("another file renamed over it") << QStringLiteral("file");
    QTest::newRow("replaced by a FIFO") << QStringLiteral("fifo");
    QTest::newRow("replaced by a link to /dev/zero") << QStringLiteral("device");
    QTest::newRow("removed") << QStringLiteral("removed");
}

void TestInputFile::readsTheFileItExaminedWhenTheNameMoves()
{
    QFETCH(QString, change);
    const QString name = m_dir.filePath(QStringLiteral("moving_%1.csv").arg(change));
    const QByteArray examined = "x,y\n1,2\n";
    QVERIFY(writeBytes(name, examined));
    const auto examinedIdentity = fileIdentity(local(name));
    QVERIFY(examinedIdentity);
    const std::string target = local(name);
    const std::string other = local(m_dir.filePath(QStringLiteral("other_%1.csv").arg(change)));
    int changed = -1;
    detail::afterExaminingInputFile = [&] {
        ::unlink(target.c_str());
        if (change == QLatin1String("file")) {
            QFile::remove(QString::fromStdString(other));
            writeBytes(QString::fromStdString(other), "x,y\n9,9\n");
            changed = ::rename(other.c_str(), target.c_str());
        } else if (change == QLatin1String("fifo")) {
            changed = ::mkfifo(target.c_str(), 0600);
        } else if (change == QLatin1String("device")) {
            changed = ::symlink("/dev/zero", target.c_str());
        } else {
            changed = 0;
        }
    };
    const auto resetHook = qScopeGuard([] { detail::afterExaminingInputFile = nullptr; });
    std::string error;
    FileIdentity identity;
    const auto [bytes, returned] = notBlocking(name, [&] { return readInputFile(target, 100, &error, &identity); });
    QVERIFY(returned);
    QCOMPARE(changed, 0); // the name did move
    QVERIFY2(bytes, error.c_str());
    QCOMPARE(QByteArray::fromStdString(*bytes), examined); // the file examined, not what the name now shows
    QCOMPARE(identity, *examinedIdentity);
}

void TestInputFile::identityFollowsLinks()
{
    const auto regular = fileIdentity(local(path("regular.txt")));
    QVERIFY(regular);
    QCOMPARE(fileIdentity(local(path("link_to_regular"))), regular); // a symbolic link
    QCOMPARE(fileIdentity(local(path("hard_link"))), regular); // a hard link
    QCOMPARE(fileIdentity(local(m_dir.path() + QStringLiteral("/folder/../regular.txt"))), regular); // another spelling
    QVERIFY(fileIdentity(local(path("fifo"))) != regular);
    const auto fromRead = [&] {
        FileIdentity identity;
        std::string error;
        return readInputFile(local(path("hard_link")), 100, &error, &identity) ? std::optional(identity) : std::nullopt;
    }();
    QCOMPARE(fromRead, regular);
}

void TestInputFile::outputPathProblems_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("problem"); // empty: may be written
    QTest::newRow("absent") << path("new.csv") << QString();
    QTest::newRow("regular") << path("regular.txt") << QString();
    QTest::newRow("dangling link") << path("dangling") << QString();
    QTest::newRow("FIFO") << path("fifo") << QStringLiteral("is a FIFO (named pipe), not a regular file");
    QTest::newRow("link to a FIFO") << path("link_to_fifo") << QStringLiteral("is a FIFO (named pipe), not a regular file");
    QTest::newRow("/dev/null") << QStringLiteral("/dev/null") << QStringLiteral("is a character device, not a regular file");
    QTest::newRow("/dev/full") << QStringLiteral("/dev/full") << QStringLiteral("is a character device, not a regular file");
    QTest::newRow("folder") << path("folder") << QStringLiteral("is a folder, not a regular file");
    QTest::newRow("socket") << path("socket") << QStringLiteral("is a socket, not a regular file");
    QTest::newRow("the input") << path("input.json") << QStringLiteral("is the input; it would be overwritten");
    QTest::newRow("symbolic link to the input") << path("input_link") << QStringLiteral("is the input; it would be overwritten");
    QTest::newRow("hard link of the input") << path("input_hard") << QStringLiteral("is the input; it would be overwritten");
    QTest::newRow("the input, spelled otherwise") << m_dir.path() + QStringLiteral("/./folder/../input.json")
                                                  << QStringLiteral("is the input; it would be overwritten");
}

void TestInputFile::outputPathProblems()
{
    QFETCH(QString, path);
    QFETCH(QString, problem);
    const QString input = this->path("input.json");
    if (!QFile::exists(input)) {
        QVERIFY(writeBytes(input, "{}"));
        QVERIFY(QFile::link(input, this->path("input_link")));
        QCOMPARE(::link(local(input).c_str(), local(this->path("input_hard")).c_str()), 0);
    }
    struct stat st {};
    QCOMPARE(::stat(local(input).c_str(), &st), 0);
    const std::vector<RunInput> inputs{{{std::uint64_t(st.st_dev), std::uint64_t(st.st_ino)}, QStringLiteral("the input")}};
    QCOMPARE(outputPathProblem(path, inputs), problem);
}

void TestInputFile::sameOutputFile()
{
    QVERIFY(gdviz::sameOutputFile(path("regular.txt"), path("hard_link")));
    QVERIFY(gdviz::sameOutputFile(path("regular.txt"), path("link_to_regular")));
    QVERIFY(gdviz::sameOutputFile(path("a_new_file"), m_dir.path() + QStringLiteral("/folder/../a_new_file")));
    QVERIFY(gdviz::sameOutputFile(path("folder/x.csv"), path("link_to_folder") + QStringLiteral("/x.csv")));
    QVERIFY(!gdviz::sameOutputFile(path("a.csv"), path("b.csv")));
    QVERIFY(!gdviz::sameOutputFile(path("regular.txt"), path("empty.txt")));
}

void TestInputFile::atomicWriteNeverReplacesWhatIsNotARegularFile_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("named"); // what lstat must still find there
    QTest::addColumn<int>("type");
    QTest::newRow("FIFO") << path("fifo") << path("fifo") << int(S_IFIFO);
    QTest::newRow("link to a FIFO") << path("link_to_fifo") << path("fifo") << int(S_IFIFO);
    QTest::newRow("socket") << path("socket") << path("socket") << int(S_IFSOCK);
    QTest::newRow("folder") << path("folder") << path("folder") << int(S_IFDIR);
}

void TestInputFile::atomicWriteNeverReplacesWhatIsNotARegularFile()
{
    QFETCH(QString, path);
    QFETCH(QString, named);
    QFETCH(int, type);
    const QStringList before = QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot);
    QString reason;
    QVERIFY(!writeFileAtomically(path, "replaced", &reason));
    QCOMPARE(reason, outputPathProblem(path));
    QVERIFY(reason.endsWith(QLatin1String(", not a regular file")));
    QCOMPARE(int(typeAt(named)), type);
    AtomicFileWriter writer(path);
    QVERIFY(!writer.open(&reason));
    QCOMPARE(reason, outputPathProblem(path));
    QCOMPARE(int(typeAt(named)), type);
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot), before); // no temporary
}

void TestInputFile::streamedWriteReplacesOnlyOnCommit()
{
    const QString out = path("streamed.csv");
    QVERIFY(writeBytes(out, "old contents\n"));
    QByteArray expected;
    {
        AtomicFileWriter writer(out);
        QString reason;
        QVERIFY2(writer.open(&reason), qPrintable(reason));
        for (int i = 0; i < 200000; ++i) { // 3 MB: many times the stream's buffer
            const QByteArray row = QByteArray::number(i) + ",row\n";
            writer.stream() << row.constData();
            expected += row;
        }
        QByteArray block(300000, 'b'); // one write larger than the buffer
        writer.stream().write(block.constData(), block.size());
        expected += block;
        QCOMPARE(readBytes(out), QByteArray("old contents\n")); // nothing replaced before commit
        QVERIFY2(writer.finishWriting(&reason), qPrintable(reason));
        QCOMPARE(readBytes(out), QByteArray("old contents\n"));
        QVERIFY2(writer.commit(&reason), qPrintable(reason));
    }
    QCOMPARE(readBytes(out), expected);
    // Through a symbolic link: the target gets the bytes, the link stays a link.
    QVERIFY(QFile::link(out, path("streamed_link")));
    QString reason;
    QVERIFY2(writeFileAtomically(path("streamed_link"), "new\n", &reason), qPrintable(reason));
    QCOMPARE(typeAt(path("streamed_link")), mode_t(S_IFLNK));
    QCOMPARE(readBytes(out), QByteArray("new\n"));
}

void TestInputFile::streamedWriteAbandonedLeavesNoTrace()
{
    const QString out = path("abandoned.csv");
    QVERIFY(writeBytes(out, "keep me\n"));
    const QStringList before = QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot);
    {
        AtomicFileWriter writer(out);
        QString reason;
        QVERIFY(writer.open(&reason));
        writer.stream() << QByteArray(200000, 'h').constData(); // more than the stream's buffer: the temporary has it
        QCOMPARE(readBytes(out), QByteArray("keep me\n"));
    }
    QCOMPARE(readBytes(out), QByteArray("keep me\n"));
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot), before);
}


// What --headless does with several outputs: every one asked readyToReplace() before any is committed, so when the
// second output's name has become a FIFO meanwhile, the first output's old file is still there too.
void TestInputFile::secondOutputTurnedFifoLeavesBothOldFiles()
{
    const QString first = path("first_output.csv"), second = path("second_output.json");
    QVERIFY(writeBytes(first, "old first\n"));
    QVERIFY(writeBytes(second, "old second\n"));
    AtomicFileWriter a(first), b(second);
    QString reason;
    QVERIFY2(a.open(&reason), qPrintable(reason));
    QVERIFY2(b.open(&reason), qPrintable(reason));
    a.stream() << "new first\n";
    b.stream() << "new second\n";
    QVERIFY(QFile::remove(second));
    QCOMPARE(::mkfifo(local(second).c_str(), 0600), 0);
    QVERIFY2(a.readyToReplace(&reason), qPrintable(reason));
    QVERIFY(!b.readyToReplace(&reason));
    QCOMPARE(reason, QStringLiteral("is a FIFO (named pipe), not a regular file"));
    // The caller stops here: nothing is committed, and each writer's temporary goes with it.
    QCOMPARE(readBytes(first), QByteArray("old first\n"));
    QCOMPARE(typeAt(second), mode_t(S_IFIFO));
    QVERIFY(!b.commit(&reason)); // a writer that gave up stays given up
    const QStringList left = QDir(m_dir.path()).entryList({QStringLiteral("first_output*"), QStringLiteral("second_output*")},
                                                          QDir::Files | QDir::System | QDir::Hidden);
    QCOMPARE(left, QStringList({QStringLiteral("first_output.csv"), QStringLiteral("second_output.json")}));
}

QTEST_GUILESS_MAIN(TestInputFile)
#include "tst_inputfile.moc"
