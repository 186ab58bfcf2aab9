// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/conversations/TimeText.h"

#include <QLocale>

namespace larch::TimeText {

QDateTime fromMs(qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms); }

QString timeOfDay(const QDateTime &when) { return QLocale().toString(when.time(), QStringLiteral("HH:mm")); }

QString listTime(const QDateTime &when, const QDateTime &now)
{
    const QDate day = when.date();
    const QDate today = now.date();
    if (day == today)
        return timeOfDay(when);
    const qint64 daysAgo = day.daysTo(today);
    if (daysAgo > 0 && daysAgo < 7)
        return QLocale().toString(day, QStringLiteral("ddd"));
    if (day.year() == today.year())
        return QLocale().toString(day, QStringLiteral("d MMM"));
    return QLocale().toString(day, QStringLiteral("d MMM yyyy"));
}

QString dayText(const QDate &day, const QDate &today)
{
    if (day == today)
        return QStringLiteral("Today");
    if (day.daysTo(today) == 1)
        return QStringLiteral("Yesterday");
    if (day.year() == today.year())
        return QLocale().toString(day, QStringLiteral("dddd d MMMM"));
    return QLocale().toString(day, QStringLiteral("dddd d MMMM yyyy"));
}

} // namespace larch::TimeText
