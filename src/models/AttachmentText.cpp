#include "AttachmentText.h"

namespace larch::AttachmentText {

QString sizeText(qint64 bytes)
{
    if (bytes < 1000)
        return bytes == 1 ? QStringLiteral("1 byte") : QStringLiteral("%1 bytes").arg(std::max<qint64>(bytes, 0));
    if (bytes < 999500)  // 999.6 KB reads better as "1.0 MB" than "1000 KB"
        return QStringLiteral("%1 KB").arg(qRound(bytes / 1000.0));
    const double mb = bytes / 1e6;
    if (mb < 1000)
        // One decimal below 100 MB tells 2.4 from 2.9; whole numbers above it are precise enough.
        return mb < 100 ? QStringLiteral("%1 MB").arg(mb, 0, 'f', 1) : QStringLiteral("%1 MB").arg(qRound(mb));
    return QStringLiteral("%1 GB").arg(bytes / 1e9, 0, 'f', 1);
}

QString durationText(qint64 ms)
{
    if (ms <= 0)
        return {};
    const qint64 total = (ms + 500) / 1000;
    const qint64 hours = total / 3600, minutes = (total / 60) % 60, seconds = total % 60;
    if (hours > 0)
        return QStringLiteral("%1:%2:%3").arg(hours).arg(minutes, 2, 10, QLatin1Char('0')).arg(seconds, 2, 10,
                                                                                               QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(minutes).arg(seconds, 2, 10, QLatin1Char('0'));
}

} // namespace larch::AttachmentText
