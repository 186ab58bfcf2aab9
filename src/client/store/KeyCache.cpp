// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/store/KeyCache.h"

#include "client/store/LocalStore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QVariant>

namespace larch {

namespace {
QString epochRow(const QString &conversationId, qint64 epoch)
{
    return conversationId + QLatin1Char('/') + QString::number(epoch);
}

QString b64(const QByteArray &bytes) { return QString::fromLatin1(bytes.toBase64()); }
QByteArray unb64(const QJsonValue &v) { return QByteArray::fromBase64(v.toString().toLatin1()); }

QByteArray pinJson(const PracticePin &p)
{
    return QJsonDocument(QJsonObject{{"practiceName", p.practiceName},
                                     {"version", p.version},
                                     {"publicKey", b64(p.publicKey)},
                                     {"verified", p.verified},
                                     {"pinnedAt", p.pinnedAt},
                                     {"offeredVersion", p.offeredVersion},
                                     {"offeredKey", b64(p.offeredKey)},
                                     {"changedAt", p.changedAt},
                                     {"offeredMismatch", p.offeredMismatch}})
        .toJson(QJsonDocument::Compact);
}

std::optional<PracticePin> pinFrom(const QString &practiceId, const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    PracticePin p;
    p.practiceId = practiceId;
    p.practiceName = o.value(QLatin1String("practiceName")).toString();
    p.version = o.value(QLatin1String("version")).toInteger();
    p.publicKey = unb64(o.value(QLatin1String("publicKey")));
    p.verified = o.value(QLatin1String("verified")).toBool();
    p.pinnedAt = o.value(QLatin1String("pinnedAt")).toInteger();
    p.offeredVersion = o.value(QLatin1String("offeredVersion")).toInteger();
    p.offeredKey = unb64(o.value(QLatin1String("offeredKey")));
    p.changedAt = o.value(QLatin1String("changedAt")).toInteger();
    p.offeredMismatch = o.value(QLatin1String("offeredMismatch")).toBool();
    const bool trustsOne = p.version > 0 && p.publicKey.size() == 32;
    if (!trustsOne && !(p.version == 0 && p.changed()))
        return std::nullopt;
    return p;
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

void KeyCache::saveIdentitySeed(qint64 version, const SecretBytes &seed)
{
    const QByteArray sealed = m_local.sealBytes("identity_keys", QString::number(version), seed.bytes());
    if (sealed.isEmpty())
        return;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO identity_keys (version, seed) VALUES (?, ?) "
                             "ON CONFLICT(version) DO UPDATE SET seed = excluded.seed"));
    q.addBindValue(version);
    q.addBindValue(sealed);
    if (!q.exec())
        m_local.fail(QStringLiteral("saveIdentitySeed"), q);
}

QList<std::pair<qint64, SecretBytes>> KeyCache::identitySeeds() const
{
    QList<std::pair<qint64, SecretBytes>> list;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT version, seed FROM identity_keys ORDER BY version")))
        return list;
    while (q.next()) {
        const qint64 version = q.value(0).toLongLong();
        auto seed = m_local.unsealBytes("identity_keys", QString::number(version), q.value(1).toByteArray());
        if (seed)
            list.append({version, SecretBytes(std::move(*seed))});
    }
    return list;
}

void KeyCache::savePin(const PracticePin &pin)
{
    const QByteArray sealed = m_local.sealBytes("identity_pins", pin.practiceId, pinJson(pin));
    if (sealed.isEmpty())
        return;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO identity_pins (practice_id, pin) VALUES (?, ?) "
                             "ON CONFLICT(practice_id) DO UPDATE SET pin = excluded.pin"));
    q.addBindValue(pin.practiceId);
    q.addBindValue(sealed);
    if (!q.exec())
        m_local.fail(QStringLiteral("savePin"), q);
}

std::optional<PracticePin> KeyCache::pin(const QString &practiceId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT pin FROM identity_pins WHERE practice_id = ?"));
    q.addBindValue(practiceId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    const auto json = m_local.unsealBytes("identity_pins", practiceId, q.value(0).toByteArray());
    return json ? pinFrom(practiceId, *json) : std::nullopt;
}

QList<PracticePin> KeyCache::pins() const
{
    QList<PracticePin> list;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT practice_id, pin FROM identity_pins ORDER BY practice_id")))
        return list;
    while (q.next()) {
        const QString practiceId = q.value(0).toString();
        const auto json = m_local.unsealBytes("identity_pins", practiceId, q.value(1).toByteArray());
        if (auto p = json ? pinFrom(practiceId, *json) : std::nullopt)
            list.append(*p);
    }
    return list;
}

} // namespace larch
