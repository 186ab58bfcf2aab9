// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/attachments/AttachmentText.h"

#include <cmath>
#include <QLocale>

namespace larch::AttachmentText {

QString sizeText(qint64 bytes)
{
    const QLocale locale;
    if (bytes < 1024)
        return bytes == 1 ? QStringLiteral("1 byte")
                          : QStringLiteral("%1 bytes").arg(locale.toString(std::max<qint64>(bytes, 0)));
    static const char *const units[] = {"KB", "MB", "GB", "TB"};
    double value = double(bytes) / 1024.0;
    int unit = 0;
    while (value >= 1024.0 && unit < 3) {
        value /= 1024.0;
        ++unit;
    }
    // One decimal while it says something ("2.4 MB"), none from 10 up ("140 MB") or when it is ".0" ("100 MB").
    const double tenths = std::round(value * 10.0) / 10.0;
    const bool whole = value >= 10.0 || tenths == std::floor(tenths);
    const QString number = whole ? locale.toString(qint64(std::llround(value))) : locale.toString(tenths, 'f', 1);
    return QStringLiteral("%1 %2").arg(number, QLatin1String(units[unit]));
}

QString durationText(qint64 ms)
{
    if (ms <= 0)
        return {};
    const qint64 total = (ms + 500) / 1000;
    const qint64 hours = total / 3600, minutes = (total / 60) % 60, seconds = total % 60;
    if (hours > 0)
        return QStringLiteral("%1:%2:%3")
            .arg(hours)
            .arg(minutes, 2, 10, QLatin1Char('0'))
            .arg(seconds, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(minutes).arg(seconds, 2, 10, QLatin1Char('0'));
}

} // namespace larch::AttachmentText
