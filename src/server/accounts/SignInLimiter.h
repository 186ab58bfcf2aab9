// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Counts failed sign-ins per email and per remote address over a sliding minute, to slow password guessing.
#pragma once

#include <deque>
#include <mutex>
#include <QHash>
#include <QString>

namespace larch::server {

/// Failed sign-in attempts in the last minute, by email and by address (docs/protocol.md, POST /v1/sessions).
class SignInLimiter {
public:
    SignInLimiter(int perEmail = 10, int perAddress = 30) : m_perEmail(perEmail), m_perAddress(perAddress) { }

    /// False when either the email or the address used up its failures for the current minute.
    bool allowed(const QString &email, const QString &address, qint64 nowMs);
    void recordFailure(const QString &email, const QString &address, qint64 nowMs);

private:
    using Window = std::deque<qint64>;
    static int countRecent(QHash<QString, Window> &map, const QString &key, qint64 nowMs);
    void prune(qint64 nowMs);

    const int m_perEmail;
    const int m_perAddress;
    std::mutex m_mutex;
    QHash<QString, Window> m_byEmail;
    QHash<QString, Window> m_byAddress;
    qint64 m_lastPrune = 0;
};

} // namespace larch::server
