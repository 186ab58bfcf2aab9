// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// How times and days read in the conversation list and the thread; one place so every screen agrees.
#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>

namespace larch::TimeText {

/// Conversation list: "14:05" today, "Mon" within the last week, "12 Nov" this year, "12 Nov 2023" before.
QString listTime(const QDateTime &when, const QDateTime &now = QDateTime::currentDateTime());
/// Thread bubble: "14:05".
QString timeOfDay(const QDateTime &when);
/// Thread day separator: "Today", "Yesterday", "Monday 23 November", or with the year when it is not this year.
QString dayText(const QDate &day, const QDate &today = QDate::currentDate());
/// Local date/time of a protocol timestamp (ms since the epoch).
QDateTime fromMs(qint64 ms);

} // namespace larch::TimeText
