// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/e2ee/PracticeKeyKeeper.h"

#include "client/e2ee/DeviceDirectory.h"
#include "client/e2ee/KeyRing.h"
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"

#include <QJsonArray>

namespace larch {

namespace {
constexpr int Attempts = 3;

QString b64(const QByteArray &bytes) { return QString::fromLatin1(bytes.toBase64()); }
} // namespace

PracticeKeyKeeper::PracticeKeyKeeper(LocalStore *store, ApiClient *api, KeyRing *keys, DeviceDirectory *devices,
                                     QObject *parent)
    : QObject(parent), m_store(store), m_api(api), m_keys(keys), m_devices(devices)
{ }

void PracticeKeyKeeper::ensureCurrent(Done done)
{
    if (!m_keys->isStaff()) {
        done(true, {});
        return;
    }
    if (m_busy) {
        done(true, {}); // the run under way does the same work
        return;
    }
    m_busy = true;
    const quint64 generation = m_generation;
    auto finish = [this, generation, done](bool ok, const QString &error) {
        if (generation != m_generation)
            return;
        m_busy = false;
        done(ok, error);
    };
    m_keys->refreshPracticeKeys([this, generation, finish](bool ok) {
        if (generation != m_generation)
            return;
        if (!ok) {
            finish(false, ErrorText::unreachable());
            return;
        }
        decide(Attempts, finish);
    });
}

void PracticeKeyKeeper::decide(int attemptsLeft, Done done)
{
    const PracticeKeyState &state = m_keys->practiceState();
    const bool hasIdentity = !state.identity.isEmpty();
    // An administrator's device gives a practice without an identity its first one, with the next key version.
    const IdentityStep step = !hasIdentity && m_admin ? IdentityStep::Create
        : hasIdentity && state.rotationNeeded         ? IdentityStep::Rotate
                                                      : IdentityStep::Keep;
    if (state.currentVersion == 0 || state.rotationNeeded || step == IdentityStep::Create)
        makeVersion(state.currentVersion + 1, step, attemptsLeft, done);
    else
        done(true, {});
}

void PracticeKeyKeeper::replaceIdentity(Done done)
{
    if (!m_keys->isStaff() || !m_admin) {
        done(false, QStringLiteral("Only an administrator can replace the practice's security identity."));
        return;
    }
    const quint64 generation = m_generation;
    m_keys->refreshPracticeKeys([this, generation, done](bool ok) {
        if (generation != m_generation)
            return;
        if (!ok) {
            done(false, ErrorText::unreachable());
            return;
        }
        const PracticeKeyState &state = m_keys->practiceState();
        makeVersion(state.currentVersion + 1, state.identity.isEmpty() ? IdentityStep::Create : IdentityStep::Replace,
                    1, done);
    });
}

void PracticeKeyKeeper::makeVersion(qint64 version, IdentityStep step, int attemptsLeft, Done done)
{
    // Every active staff device must get the new version: list them fresh, from a conversation's devices
    // (staff belong to every conversation of their practice) or, without one, from this user's devices.
    const quint64 generation = m_generation;
    const QList<ConversationSummary> conversations = m_store->conversations().summaries();
    if (!conversations.isEmpty()) {
        const QString conversationId = conversations.first().id;
        m_devices->fetch(conversationId,
                         [this, generation, version, step, attemptsLeft, done, conversationId](bool ok) {
                             if (generation != m_generation)
                                 return;
                             if (!ok) {
                                 done(false, ErrorText::unreachable());
                                 return;
                             }
                             const QString patient = m_store->conversations().patient(conversationId);
                             QList<DeviceInfo> staff;
                             for (const DeviceInfo &d : m_devices->devices(conversationId)) {
                                 if (d.userId != patient && d.isActive())
                                     staff.append(d);
                             }
                             sealToStaff(version, step, staff, attemptsLeft, done);
                         });
        return;
    }
    m_api->fetchUserDevices(m_keys->userId(), this,
                            [this, generation, version, step, attemptsLeft, done](const ApiResult &r) {
                                if (generation != m_generation)
                                    return;
                                if (!r.ok()) {
                                    done(false, r.error.sentence);
                                    return;
                                }
                                const QList<DeviceInfo> listed = DeviceInfo::listFromJson(r.body);
                                QList<DeviceInfo> staff;
                                for (const DeviceInfo &d : listed) {
                                    if (d.isActive())
                                        staff.append(d);
                                }
                                sealToStaff(version, step, staff, attemptsLeft, done);
                            });
}

void PracticeKeyKeeper::sealToStaff(qint64 version, IdentityStep step, const QList<DeviceInfo> &staff, int attemptsLeft,
                                    Done done)
{
    const PracticeKey key = PracticeKey::generate(version);
    QJsonArray grants;
    for (const DeviceInfo &d : staff)
        grants.append(QJsonObject{{"deviceId", d.id}, {"sealedKey", b64(sealTo(d.boxPublic, key.boxSecret.bytes()))}});
    QJsonObject body{{"version", version}, {"publicKey", b64(key.boxPublic)}, {"grants", grants}};

    // The identity that signs the key: a new version made with it, else the current one held.
    const QList<IdentityVersion> &listed = m_keys->practiceState().identity;
    const PracticeIdentityKey *current = m_keys->currentIdentity();
    std::optional<PracticeIdentityKey> made;
    if (step != IdentityStep::Keep) {
        if (step == IdentityStep::Rotate && !current) {
            done(false,
                 QStringLiteral("This device does not hold the practice's security identity, so it cannot "
                                "rotate it. Another staff device will."));
            return;
        }
        made = PracticeIdentityKey::generate(listed.isEmpty() ? 1 : listed.last().version + 1);
        QJsonArray identityGrants;
        for (const DeviceInfo &d : staff)
            identityGrants.append(
                QJsonObject{{"deviceId", d.id}, {"sealedKey", b64(sealTo(d.boxPublic, made->seed.bytes()))}});
        QJsonObject identity{{"version", made->version},
                             {"publicKey", b64(made->signPublic)},
                             {"grants", identityGrants},
                             {"rotationSignature", QJsonValue()}};
        if (step == IdentityStep::Rotate)
            identity.insert(QStringLiteral("rotationSignature"),
                            b64(current->sign(IdentityStatement::rotation(m_keys->practiceId(), made->version,
                                                                          current->signPublic, made->signPublic))));
        body.insert(QStringLiteral("identity"), identity);
    } else if (!listed.isEmpty() && !current) {
        done(false,
             QStringLiteral("This device does not hold the practice's security identity, so it cannot sign "
                            "a new practice key. Another staff device will."));
        return;
    }
    if (const PracticeIdentityKey *signer = made ? &*made : current) {
        body.insert(QStringLiteral("identityVersion"), signer->version);
        body.insert(QStringLiteral("signature"),
                    b64(signer->sign(IdentityStatement::practiceKey(m_keys->practiceId(), version, key.boxPublic,
                                                                    signer->version))));
    }
    const quint64 generation = m_generation;
    m_api->createPracticeKey(m_keys->practiceId(), body, this,
                             [this, generation, key, made, attemptsLeft, done](const ApiResult &result) {
                                 if (generation != m_generation)
                                     return;
                                 if (result.ok()) {
                                     if (made)
                                         m_keys->addIdentityKey(*made);
                                     m_keys->setCurrentPracticeKey(key);
                                     m_keys->applyPracticeKeys(result.body);
                                     done(true, {});
                                     return;
                                 }
                                 if (result.error.kind != ApiError::Kind::Conflict || attemptsLeft <= 1) {
                                     done(false, result.error.sentence);
                                     return;
                                 }
                                 // Another staff device made this version first, or the staff devices changed meanwhile: look again.
                                 m_keys->refreshPracticeKeys([this, generation, attemptsLeft, done](bool ok) {
                                     if (generation != m_generation)
                                         return;
                                     if (!ok)
                                         done(false, ErrorText::unreachable());
                                     else
                                         decide(attemptsLeft - 1, done);
                                 });
                             });
}

void PracticeKeyKeeper::approve(const QString &deviceId, Done done)
{
    const auto device = m_devices->anyDevice(deviceId);
    if (!device || !device->isPending()) {
        done(false, QStringLiteral("This device is no longer waiting for approval."));
        return;
    }
    const quint64 generation = m_generation;
    m_keys->refreshPracticeKeys([this, generation, device = *device, done](bool ok) {
        if (generation != m_generation)
            return;
        const QList<qint64> versions = m_keys->practiceVersions();
        if (!ok || versions.isEmpty()) {
            done(false,
                 ok ? QStringLiteral("This device does not hold the practice key yet, so it cannot approve "
                                     "another one.")
                    : ErrorText::unreachable());
            return;
        }
        QJsonArray grants;
        for (qint64 version : versions) {
            const PracticeKey *key = m_keys->practiceKey(version);
            grants.append(QJsonObject{{"version", version},
                                      {"sealedKey", b64(sealTo(device.boxPublic, key->boxSecret.bytes()))}});
        }
        // The colleague's device also gets every identity version: to sign keys and epochs, and the next rotation.
        QJsonArray identityGrants;
        for (qint64 version : m_keys->identityVersions())
            identityGrants.append(
                QJsonObject{{"version", version},
                            {"sealedKey", b64(sealTo(device.boxPublic, m_keys->identityKey(version)->seed.bytes()))}});
        m_api->approveDevice(device.id, grants, identityGrants, this,
                             [this, generation, done](const ApiResult &result) {
                                 if (generation != m_generation)
                                     return;
                                 if (!result.ok()) {
                                     done(false, result.error.sentence);
                                     return;
                                 }
                                 if (auto approved = DeviceInfo::fromJson(result.body))
                                     m_devices->apply(*approved);
                                 done(true, {});
                             });
    });
}

} // namespace larch
