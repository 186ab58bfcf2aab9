// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The key handling of Larch's apps, played over HTTP for tests with the real larch-core crypto.
#include "TestKeyring.h"

#include "core/crypto/MessageEnvelope.h"

#include <QJsonArray>
#include <QtDebug>

namespace {

QString b64(const QByteArray &bytes) { return QString::fromLatin1(bytes.toBase64()); }
QByteArray unb64(const QJsonValue &v) { return QByteArray::fromBase64(v.toString().toLatin1()); }
QString keyName(const QString &conversationId, qint64 epoch)
{
    return conversationId + QLatin1Char('/') + QString::number(epoch);
}

} // namespace

const larch::PracticeKey *TestKeyring::practiceKey(const QString &practiceId, qint64 version) const
{
    const auto it = m_practices.find(practiceId);
    if (it == m_practices.end())
        return nullptr;
    const auto v = it->versions.find(version);
    return v == it->versions.end() ? nullptr : &v->second;
}

void TestKeyring::addPracticeKey(const QString &practiceId, const larch::PracticeKey &key)
{
    m_practices[practiceId].versions[key.version] = key;
}

void TestKeyring::addConversationKey(const QString &conversationId, qint64 epoch, const QByteArray &key)
{
    m_conversationKeys.insert(keyName(conversationId, epoch), key);
    m_currentEpochs[conversationId] = std::max(m_currentEpochs.value(conversationId), epoch);
}

TestMember TestKeyring::enroll(const QString &token, const QString &deviceName)
{
    TestMember m;
    const HttpReply me = m_http->get(QStringLiteral("/v1/me"), token);
    if (me.status != 200) {
        qWarning() << "enroll: /v1/me answered" << me.status;
        return m;
    }
    m.token = token;
    m.userId = me.json.value("id").toString();
    m.practiceId = me.json.value("practiceId").toString();
    m.role = me.json.value("role").toString();
    auto keys = std::make_shared<larch::DeviceKeys>(larch::DeviceKeys::generate());
    const HttpReply r = m_http->post(QStringLiteral("/v1/devices"),
                                     {{"deviceId", keys->deviceId},
                                      {"name", deviceName},
                                      {"boxPublicKey", b64(keys->boxPublic)},
                                      {"signPublicKey", b64(keys->signPublic)}},
                                     token);
    if (r.status != 201) {
        qWarning() << "enroll: POST /v1/devices answered" << r.status << r.body;
        return m;
    }
    m.deviceState = r.json.value("state").toString();
    m.keys = keys;
    m_signKeys.insert(keys->deviceId, keys->signPublic);
    if (!m.isStaff())
        return m;

    PracticeState &practice = m_practices[m.practiceId];
    if (m.deviceState == QLatin1String("active") && practice.versions.empty()) {
        // The practice's first staff device makes version 1, sealed to every active staff device (itself).
        larch::PracticeKey key = larch::PracticeKey::generate(1);
        const QJsonArray grants{QJsonObject{{"deviceId", m.deviceId()},
                                            {"sealedKey", b64(larch::sealTo(keys->boxPublic, key.boxSecret.bytes()))}}};
        const HttpReply made =
            m_http->post(QStringLiteral("/v1/practices/%1/keys").arg(m.practiceId),
                         {{"version", 1}, {"publicKey", b64(key.boxPublic)}, {"grants", grants}}, token);
        if (made.status != 201) {
            qWarning() << "enroll: creating the practice key answered" << made.status << made.body;
            m.keys.reset();
            return m;
        }
        practice.versions[1] = key;
        practice.approver = m;
    } else if (m.deviceState == QLatin1String("pending")) {
        if (!practice.approver.keys) {
            qWarning() << "enroll: a pending staff device and no approver in this keyring";
            m.keys.reset();
            return m;
        }
        QJsonArray grants;
        for (const auto &[version, key] : practice.versions)
            grants.append(QJsonObject{{"version", version},
                                      {"sealedKey", b64(larch::sealTo(keys->boxPublic, key.boxSecret.bytes()))}});
        const HttpReply approved = m_http->post(QStringLiteral("/v1/devices/%1/approve").arg(m.deviceId()),
                                                {{"grants", grants}}, practice.approver.token);
        if (approved.status != 200) {
            qWarning() << "enroll: approval answered" << approved.status << approved.body;
            m.keys.reset();
            return m;
        }
        m.deviceState = approved.json.value("state").toString();
    }
    return m;
}

QByteArray TestKeyring::conversationKey(const TestMember &member, const QString &conversationId, qint64 epoch)
{
    const QString name = keyName(conversationId, epoch);
    if (m_conversationKeys.contains(name))
        return m_conversationKeys.value(name);
    const HttpReply r = m_http->get(QStringLiteral("/v1/conversations/%1/keys").arg(conversationId), member.token);
    for (const QJsonValue &v : r.json.value("epochs").toArray()) {
        const QJsonObject e = v.toObject();
        if (e.value("epoch").toInteger() != epoch || !e.value("sealedKey").isString())
            continue;
        std::optional<QByteArray> key;
        if (member.isStaff()) {
            if (const auto *pk = practiceKey(member.practiceId, e.value("practiceKeyVersion").toInteger()))
                key = larch::openSealed(pk->boxPublic, pk->boxSecret.bytes(), unb64(e.value("sealedKey")));
        } else if (member.keys) {
            key =
                larch::openSealed(member.keys->boxPublic, member.keys->boxSecret.bytes(), unb64(e.value("sealedKey")));
        }
        if (key) {
            addConversationKey(conversationId, epoch, *key);
            return *key;
        }
    }
    return {};
}

qint64 TestKeyring::ensureEpoch(const TestMember &by, const QString &conversationId)
{
    // An epoch this keyring made or opened is still accepted by the server, so no round trip is needed.
    if (const qint64 known = m_currentEpochs.value(conversationId); known > 0)
        return known;
    const HttpReply keys = m_http->get(QStringLiteral("/v1/conversations/%1/keys").arg(conversationId), by.token);
    if (keys.status != 200)
        return 0;
    const qint64 current = keys.json.value("currentEpoch").toInteger();
    if (current > 0)
        return current;
    const QJsonObject practiceKey = keys.json.value("practiceKey").toObject();
    const QString patientId = m_http->get(QStringLiteral("/v1/conversations/%1").arg(conversationId), by.token)
                                  .json.value("patientId")
                                  .toString();
    const QByteArray key = larch::SecretBytes::random(32).bytes();
    QJsonArray deviceGrants;
    const HttpReply devices = m_http->get(QStringLiteral("/v1/conversations/%1/devices").arg(conversationId), by.token);
    for (const QJsonValue &v : devices.json.value("devices").toArray()) {
        const QJsonObject d = v.toObject();
        if (d.value("userId").toString() == patientId && d.value("state").toString() == QLatin1String("active"))
            deviceGrants.append(QJsonObject{{"deviceId", d.value("id").toString()},
                                            {"sealedKey", b64(larch::sealTo(unb64(d.value("boxPublicKey")), key))}});
    }
    const HttpReply made =
        m_http->post(QStringLiteral("/v1/conversations/%1/epochs").arg(conversationId),
                     {{"epoch", 1},
                      {"practiceKeyVersion", practiceKey.value("version").toInteger()},
                      {"practiceGrant", b64(larch::sealTo(unb64(practiceKey.value("publicKey")), key))},
                      {"deviceGrants", deviceGrants}},
                     by.token);
    if (made.status != 201) {
        qWarning() << "ensureEpoch: POST epochs answered" << made.status << made.body;
        return 0;
    }
    addConversationKey(conversationId, 1, key);
    return 1;
}

QJsonObject TestKeyring::seal(const TestMember &from, const QString &conversationId, const QString &clientId,
                              const QString &text)
{
    if (!from.keys)
        return {};
    const qint64 epoch = ensureEpoch(from, conversationId);
    const QByteArray key = epoch > 0 ? conversationKey(from, conversationId, epoch) : QByteArray();
    if (key.isEmpty())
        return {};
    return larch::sealMessage(key, conversationId, epoch, clientId, from.deviceId(), from.keys->signSecret.bytes(),
                              text)
        .toJson();
}

HttpReply TestKeyring::send(const TestMember &from, const QString &conversationId, const QString &text,
                            const QString &clientId)
{
    return m_http->post(QStringLiteral("/v1/conversations/%1/messages").arg(conversationId),
                        {{"clientId", clientId}, {"envelope", seal(from, conversationId, clientId, text)}}, from.token);
}

QString TestKeyring::open(const QJsonObject &message) const
{
    const auto envelope = larch::MessageEnvelope::fromJson(message.value("envelope").toObject());
    if (!envelope)
        return {};
    const QString conversationId = message.value("conversationId").toString();
    const QByteArray key = m_conversationKeys.value(keyName(conversationId, envelope->epoch));
    const auto opened = larch::openMessage(key, conversationId, message.value("clientId").toString(),
                                           m_signKeys.value(envelope->senderDeviceId), *envelope);
    return opened.check == larch::MessageCheck::Ok ? opened.text : QString();
}
