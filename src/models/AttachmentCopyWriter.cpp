#include "AttachmentCopyWriter.h"

#include <QFile>
#include <QSaveFile>

namespace larch {

AttachmentCopyWriter::AttachmentCopyWriter(QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

AttachmentCopyWriter::~AttachmentCopyWriter() { m_pool.waitForDone(); }

bool AttachmentCopyWriter::start(const QString &destination, const QByteArray &bytes, const QString &sourcePath)
{
    if (m_busy)
        return false;
    m_busy = true;
    m_pool.start([this, destination, bytes, sourcePath] {
        const QString error = write(destination, bytes, sourcePath);
        // Back on this object's thread; the pool is waited for before this object goes, so `this` is alive here.
        QMetaObject::invokeMethod(
            this,
            [this, destination, error] {
                m_busy = false;
                emit finished(destination, error);
            },
            Qt::QueuedConnection);
    });
    return true;
}

QString AttachmentCopyWriter::write(const QString &destination, const QByteArray &bytes, const QString &sourcePath)
{
    QSaveFile out(destination);
    if (!out.open(QIODevice::WriteOnly))
        return out.errorString();
    if (!bytes.isEmpty()) {
        if (out.write(bytes) != bytes.size())
            return out.errorString();
    } else {
        QFile in(sourcePath);
        if (!in.open(QIODevice::ReadOnly))
            return in.errorString();
        QByteArray piece;
        for (;;) {
            piece.resize(PieceBytes);
            const qint64 got = in.read(piece.data(), PieceBytes);
            if (got < 0)
                return in.errorString();
            if (got == 0)
                break;
            if (out.write(piece.constData(), got) != got)
                return out.errorString();
        }
    }
    if (!out.commit())
        return out.errorString();
    return {};
}

} // namespace larch
