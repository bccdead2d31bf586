#include "AtomicFile.h"

#include <QSaveFile>

namespace gdviz {

bool writeFileAtomically(const QString &path, QByteArrayView bytes, QString *reason)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(bytes.data(), bytes.size()) == bytes.size() && file.flush()
        && file.error() == QFileDevice::NoError) {
        if (file.commit())
            return true;
        *reason = file.errorString();
        return false;
    }
    *reason = file.errorString(); // before cancelling, which would replace it
    file.cancelWriting();
    return false;
}

} // namespace gdviz
