// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Counts sign-in attempts per email and per remote address over a sliding minute, to slow password guessing.
#pragma once

#include <deque>
#include <mutex>
#include <QHash>
#include <QString>

namespace larch::server {

/// Sign-in attempts of the last minute that did not succeed, or are still being checked, by email and by address
/// (docs/protocol.md, POST /v1/sessions).
class SignInLimiter {
public:
    SignInLimiter(int perEmail = 10, int perAddress = 30) : m_perEmail(perEmail), m_perAddress(perAddress) { }

    /// Counts an attempt before its password is checked, so guesses sent at once cannot all slip through while the
    /// first are being checked; false (nothing counted) when the email or the address used up its attempts for the
    /// current minute.
    bool begin(const QString &email, const QString &address, qint64 nowMs);
    /// The attempt begun at beganAtMs had the right password: it no longer counts against the limit.
    void succeeded(const QString &email, const QString &address, qint64 beganAtMs);

private:
    using Window = std::deque<qint64>;
    static int countRecent(QHash<QString, Window> &map, const QString &key, qint64 nowMs);
    static void forget(QHash<QString, Window> &map, const QString &key, qint64 atMs);
    void prune(qint64 nowMs);

    const int m_perEmail;
    const int m_perAddress;
    std::mutex m_mutex;
    QHash<QString, Window> m_byEmail;
    QHash<QString, Window> m_byAddress;
    qint64 m_lastPrune = 0;
};

} // namespace larch::server
