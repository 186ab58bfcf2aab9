// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/store/KeyCache.h"

#include "client/store/LocalStore.h"

#include <QSqlQuery>
#include <QVariant>

namespace larch {

namespace {
QString epochRow(const QString &conversationId, qint64 epoch)
{
    return conversationId + QLatin1Char('/') + QString::number(epoch);
}
} // namespace

KeyCache::KeyCache(LocalStore &local) : m_local(local), m_db(local.connection()) { }

void KeyCache::saveEpochKey(const QString &conversationId, qint64 epoch, const SecretBytes &key)
{
    const QByteArray sealed = m_local.sealBytes("epoch_keys", epochRow(conversationId, epoch), key.bytes());
    if (sealed.isEmpty())
        return;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO epoch_keys (conversation_id, epoch, key) VALUES (?, ?, ?) "
                             "ON CONFLICT(conversation_id, epoch) DO UPDATE SET key = excluded.key"));
    q.addBindValue(conversationId);
    q.addBindValue(epoch);
    q.addBindValue(sealed);
    if (!q.exec())
        m_local.fail(QStringLiteral("saveEpochKey"), q);
}

QList<std::tuple<QString, qint64, SecretBytes>> KeyCache::epochKeys() const
{
    QList<std::tuple<QString, qint64, SecretBytes>> list;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT conversation_id, epoch, key FROM epoch_keys")))
        return list;
    while (q.next()) {
        const QString conversationId = q.value(0).toString();
        const qint64 epoch = q.value(1).toLongLong();
        auto key = m_local.unsealBytes("epoch_keys", epochRow(conversationId, epoch), q.value(2).toByteArray());
        if (key)
            list.append({conversationId, epoch, SecretBytes(std::move(*key))});
    }
    return list;
}

void KeyCache::savePracticeKey(qint64 version, const SecretBytes &secret)
{
    const QByteArray sealed = m_local.sealBytes("practice_keys", QString::number(version), secret.bytes());
    if (sealed.isEmpty())
        return;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO practice_keys (version, secret) VALUES (?, ?) "
                             "ON CONFLICT(version) DO UPDATE SET secret = excluded.secret"));
    q.addBindValue(version);
    q.addBindValue(sealed);
    if (!q.exec())
        m_local.fail(QStringLiteral("savePracticeKey"), q);
}

QList<std::pair<qint64, SecretBytes>> KeyCache::practiceKeys() const
{
    QList<std::pair<qint64, SecretBytes>> list;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT version, secret FROM practice_keys ORDER BY version")))
        return list;
    while (q.next()) {
        const qint64 version = q.value(0).toLongLong();
        auto secret = m_local.unsealBytes("practice_keys", QString::number(version), q.value(1).toByteArray());
        if (secret)
            list.append({version, SecretBytes(std::move(*secret))});
    }
    return list;
}

} // namespace larch
