// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/store/AccountCache.h"

#include "client/store/LocalStore.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace larch {

namespace {
const QString SessionSetting = QStringLiteral("session");
} // namespace

AccountCache::AccountCache(LocalStore &local) : m_local(local), m_db(local.connection()) { }

bool AccountCache::hasStoredSession() const { return !m_local.setting(SessionSetting).isEmpty(); }

std::optional<Session> AccountCache::session() const
{
    const QByteArray sealed = QByteArray::fromBase64(m_local.setting(SessionSetting).toLatin1());
    const auto json = m_local.unsealBytes("settings", SessionSetting, sealed);
    if (!json)
        return std::nullopt;
    return Session::fromJson(QJsonDocument::fromJson(*json).object());
}

void AccountCache::saveSession(const Session &session)
{
    const QByteArray sealed =
        m_local.sealBytes("settings", SessionSetting, QJsonDocument(session.toJson()).toJson(QJsonDocument::Compact));
    if (sealed.isEmpty())
        return; // no storage key: the token is never written in the clear
    m_local.setSetting(SessionSetting, QString::fromLatin1(sealed.toBase64()));
}

void AccountCache::clearSession()
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM settings WHERE key = ?"));
    q.addBindValue(SessionSetting);
    q.exec();
}

qint64 AccountCache::lastEventSeq() const
{
    return m_local.setting(QStringLiteral("lastEventSeq"), QStringLiteral("0")).toLongLong();
}

void AccountCache::setLastEventSeq(qint64 seq)
{
    m_local.setSetting(QStringLiteral("lastEventSeq"), QString::number(seq));
}

} // namespace larch
