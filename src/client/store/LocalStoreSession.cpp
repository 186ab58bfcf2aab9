// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// LocalStore: settings, the encrypted session, thread notices and the encrypted key cache.
#include "client/store/LocalStore.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace larch {

namespace {
const QString SessionSetting = QStringLiteral("session");

QString epochRow(const QString &conversationId, qint64 epoch)
{
    return conversationId + QLatin1Char('/') + QString::number(epoch);
}
} // namespace

QString LocalStore::setting(const QString &key, const QString &fallback) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(key);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return fallback;
}

void LocalStore::setSetting(const QString &key, const QString &value)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(key);
    q.addBindValue(value.isNull() ? QStringLiteral("") : value); // a null QString binds as SQL NULL
    if (!q.exec())
        fail(QStringLiteral("setSetting"), q);
}

bool LocalStore::hasStoredSession() const { return !setting(SessionSetting).isEmpty(); }

std::optional<Session> LocalStore::session() const
{
    const QByteArray sealed = QByteArray::fromBase64(setting(SessionSetting).toLatin1());
    const auto json = unsealBytes("settings", SessionSetting, sealed);
    if (!json)
        return std::nullopt;
    return Session::fromJson(QJsonDocument::fromJson(*json).object());
}

void LocalStore::saveSession(const Session &session)
{
    const QByteArray sealed =
        sealBytes("settings", SessionSetting, QJsonDocument(session.toJson()).toJson(QJsonDocument::Compact));
    if (sealed.isEmpty())
        return; // no storage key: the token is never written in the clear
    setSetting(SessionSetting, QString::fromLatin1(sealed.toBase64()));
}

void LocalStore::clearSession()
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM settings WHERE key = ?"));
    q.addBindValue(SessionSetting);
    q.exec();
}

qint64 LocalStore::lastEventSeq() const
{
    return setting(QStringLiteral("lastEventSeq"), QStringLiteral("0")).toLongLong();
}

void LocalStore::setLastEventSeq(qint64 seq) { setSetting(QStringLiteral("lastEventSeq"), QString::number(seq)); }

void LocalStore::clearAccountData()
{
    beginBatch();
    for (const char *table : {"conversations", "members", "messages", "notices", "drafts", "outbox", "uploads",
                              "epoch_keys", "practice_keys"})
        exec(QStringLiteral("DELETE FROM %1").arg(QLatin1String(table)));
    exec(QStringLiteral("DELETE FROM settings WHERE key IN ('session', 'lastEventSeq')"));
    endBatch();
}

QStringList LocalStore::conversationsWithMember(const QString &userId) const
{
    QStringList list;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT conversation_id FROM members WHERE user_id = ? ORDER BY conversation_id"));
    q.addBindValue(userId);
    if (q.exec()) {
        while (q.next())
            list.append(q.value(0).toString());
    }
    return list;
}

QString LocalStore::memberName(const QString &userId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT name FROM members WHERE user_id = ? AND name <> '' LIMIT 1"));
    q.addBindValue(userId);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

std::optional<ThreadNotice> LocalStore::addNotice(const QString &conversationId, const QString &key,
                                                  const QString &noticeText, qint64 createdAt)
{
    const auto summary = conversationSummary(conversationId);
    if (!summary || !hasStorageKey())
        return std::nullopt;
    ThreadNotice notice{0, conversationId, summary->lastSeq, createdAt, noticeText};
    beginBatch();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO notices (conversation_id, notice_key, after_seq, created_at, text)"
                             " VALUES (?, ?, ?, ?, x'')"));
    q.addBindValue(conversationId);
    q.addBindValue(key);
    q.addBindValue(notice.afterSeq);
    q.addBindValue(createdAt);
    if (!q.exec() || q.numRowsAffected() == 0) {
        endBatch();
        return std::nullopt;
    }
    notice.id = q.lastInsertId().toLongLong();
    // The row id is the associated data, so the text is sealed once the id exists.
    QSqlQuery update(m_db);
    update.prepare(QStringLiteral("UPDATE notices SET text = ? WHERE id = ?"));
    update.addBindValue(seal("notices", QString::number(notice.id), noticeText));
    update.addBindValue(notice.id);
    if (!update.exec())
        fail(QStringLiteral("addNotice"), update);
    endBatch();
    return notice;
}

QList<ThreadNotice> LocalStore::notices(const QString &conversationId, qint64 fromSeq, qint64 toSeq) const
{
    QList<ThreadNotice> list;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, after_seq, created_at, text FROM notices WHERE conversation_id = ?"
                             " AND after_seq >= ? AND after_seq <= ? ORDER BY after_seq DESC, id DESC"));
    q.addBindValue(conversationId);
    q.addBindValue(fromSeq);
    q.addBindValue(toSeq);
    if (!q.exec())
        return list;
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        list.append(ThreadNotice{id, conversationId, q.value(1).toLongLong(), q.value(2).toLongLong(),
                                 unseal("notices", QString::number(id), q.value(3).toByteArray())});
    }
    return list;
}

void LocalStore::saveEpochKey(const QString &conversationId, qint64 epoch, const SecretBytes &key)
{
    const QByteArray sealed = sealBytes("epoch_keys", epochRow(conversationId, epoch), key.bytes());
    if (sealed.isEmpty())
        return;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO epoch_keys (conversation_id, epoch, key) VALUES (?, ?, ?) "
                             "ON CONFLICT(conversation_id, epoch) DO UPDATE SET key = excluded.key"));
    q.addBindValue(conversationId);
    q.addBindValue(epoch);
    q.addBindValue(sealed);
    if (!q.exec())
        fail(QStringLiteral("saveEpochKey"), q);
}

QList<std::tuple<QString, qint64, SecretBytes>> LocalStore::epochKeys() const
{
    QList<std::tuple<QString, qint64, SecretBytes>> list;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT conversation_id, epoch, key FROM epoch_keys")))
        return list;
    while (q.next()) {
        const QString conversationId = q.value(0).toString();
        const qint64 epoch = q.value(1).toLongLong();
        auto key = unsealBytes("epoch_keys", epochRow(conversationId, epoch), q.value(2).toByteArray());
        if (key)
            list.append({conversationId, epoch, SecretBytes(std::move(*key))});
    }
    return list;
}

void LocalStore::savePracticeKey(qint64 version, const SecretBytes &secret)
{
    const QByteArray sealed = sealBytes("practice_keys", QString::number(version), secret.bytes());
    if (sealed.isEmpty())
        return;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO practice_keys (version, secret) VALUES (?, ?) "
                             "ON CONFLICT(version) DO UPDATE SET secret = excluded.secret"));
    q.addBindValue(version);
    q.addBindValue(sealed);
    if (!q.exec())
        fail(QStringLiteral("savePracticeKey"), q);
}

QList<std::pair<qint64, SecretBytes>> LocalStore::practiceKeys() const
{
    QList<std::pair<qint64, SecretBytes>> list;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT version, secret FROM practice_keys ORDER BY version")))
        return list;
    while (q.next()) {
        const qint64 version = q.value(0).toLongLong();
        auto secret = unsealBytes("practice_keys", QString::number(version), q.value(1).toByteArray());
        if (secret)
            list.append({version, SecretBytes(std::move(*secret))});
    }
    return list;
}

} // namespace larch
