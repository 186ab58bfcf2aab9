// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/e2ee/KeyRing.h"

#include "client/e2ee/PracticeIdentityPins.h"
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "core/crypto/KeyBackupPayload.h"

#include <QSet>

namespace larch {

namespace {
constexpr qsizetype ConversationKeyBytes = 32;
} // namespace

KeyRing::KeyRing(LocalStore *store, ApiClient *api, QObject *parent) : QObject(parent), m_store(store), m_api(api) { }

void KeyRing::start(const DeviceKeys &device, const QString &userId, const QString &practiceId, bool staff)
{
    stop();
    m_device = device;
    m_userId = userId;
    m_practiceId = practiceId;
    m_staff = staff;
    for (auto &[conversationId, epoch, key] : m_store->keys().epochKeys())
        m_epochKeys[conversationId].insert(epoch, key);
    for (auto &[version, secret] : m_store->keys().practiceKeys()) {
        if (auto key = PracticeKey::fromSecret(version, secret.bytes()))
            m_practiceKeys.insert(version, *key);
    }
    for (auto &[version, seed] : m_store->keys().identitySeeds()) {
        if (auto key = PracticeIdentityKey::fromSeed(version, seed.bytes()))
            m_identityKeys.insert(version, *key);
    }
}

void KeyRing::stop()
{
    ++m_generation;
    m_device = DeviceKeys();
    m_userId.clear();
    m_practiceId.clear();
    m_staff = false;
    m_epochKeys.clear();
    m_practiceKeys.clear();
    m_identityKeys.clear();
    m_practiceState = PracticeKeyState();
    m_conversations.clear();
    m_conversationWaiting.clear();
    m_practiceWaiting.clear();
}

const SecretBytes *KeyRing::epochKey(const QString &conversationId, qint64 epoch) const
{
    const auto conversation = m_epochKeys.constFind(conversationId);
    if (conversation == m_epochKeys.cend())
        return nullptr;
    const auto key = conversation->constFind(epoch);
    return key == conversation->cend() ? nullptr : &key.value();
}

QList<qint64> KeyRing::heldEpochs(const QString &conversationId) const
{
    return m_epochKeys.value(conversationId).keys();
}

void KeyRing::addEpochKey(const QString &conversationId, qint64 epoch, const SecretBytes &key)
{
    if (key.size() != ConversationKeyBytes)
        return;
    const SecretBytes *held = epochKey(conversationId, epoch);
    if (held && *held == key)
        return;
    m_epochKeys[conversationId].insert(epoch, key);
    m_store->keys().saveEpochKey(conversationId, epoch, key);
    emit keysAdded(conversationId);
}

const PracticeKey *KeyRing::practiceKey(qint64 version) const
{
    const auto it = m_practiceKeys.constFind(version);
    return it == m_practiceKeys.cend() ? nullptr : &it.value();
}

void KeyRing::addPracticeKey(const PracticeKey &key)
{
    const PracticeKey *held = practiceKey(key.version);
    if (held && held->boxSecret == key.boxSecret)
        return;
    m_practiceKeys.insert(key.version, key);
    m_store->keys().savePracticeKey(key.version, key.boxSecret);
    emit keysAdded(QString());
}

const PracticeIdentityKey *KeyRing::identityKey(qint64 version) const
{
    const auto it = m_identityKeys.constFind(version);
    return it == m_identityKeys.cend() ? nullptr : &it.value();
}

const PracticeIdentityKey *KeyRing::currentIdentity() const
{
    if (m_practiceState.identity.isEmpty())
        return nullptr;
    const IdentityVersion &current = m_practiceState.identity.last();
    const PracticeIdentityKey *held = identityKey(current.version);
    // A seed whose public half is not the listed one is not the practice's current identity.
    return held && held->signPublic == current.publicKey ? held : nullptr;
}

void KeyRing::addIdentityKey(const PracticeIdentityKey &key)
{
    const PracticeIdentityKey *held = identityKey(key.version);
    if (held && held->seed == key.seed)
        return;
    m_identityKeys.insert(key.version, key);
    m_store->keys().saveIdentitySeed(key.version, key.seed);
    emit identityKeysChanged();
}

void KeyRing::setCurrentPracticeKey(const PracticeKey &key)
{
    m_practiceState.known = true;
    m_practiceState.currentVersion = key.version;
    m_practiceState.currentPublic = key.boxPublic;
    m_practiceState.rotationNeeded = false;
    addPracticeKey(key);
    // Conversation states carry the current version: they must be fetched again before a new epoch.
    m_conversations.clear();
}

void KeyRing::refreshPracticeKeys(Done done)
{
    if (!m_staff || m_practiceId.isEmpty()) {
        done(false);
        return;
    }
    m_practiceWaiting.append(std::move(done));
    if (m_practiceWaiting.size() > 1)
        return;
    const quint64 generation = m_generation;
    m_api->fetchPracticeKeys(m_practiceId, this, [this, generation](const ApiResult &result) {
        if (generation != m_generation)
            return;
        const QList<Done> waiting = std::exchange(m_practiceWaiting, {});
        if (!result.ok()) {
            for (const Done &d : waiting)
                d(false);
            return;
        }
        applyPracticeKeys(result.body);
        for (const Done &d : waiting)
            d(true);
    });
}

void KeyRing::applyPracticeKeys(const QJsonObject &body)
{
    const PracticeKeyListing listing = PracticeKeyListing::fromJson(body);
    m_practiceState.known = true;
    m_practiceState.currentVersion = listing.currentVersion;
    m_practiceState.currentPublic = listing.currentPublic;
    m_practiceState.rotationNeeded = listing.rotationNeeded;
    const QByteArray listedBefore =
        m_practiceState.identity.isEmpty() ? QByteArray() : m_practiceState.identity.last().publicKey;
    m_practiceState.identity = listing.identity ? listing.identity->versions : QList<IdentityVersion>();
    // A new current version changes what a Practice Link's fingerprint should be, even before its seed is opened.
    bool identityAdded =
        listedBefore != (m_practiceState.identity.isEmpty() ? QByteArray() : m_practiceState.identity.last().publicKey);
    for (const KeyGrant &g : listing.identityGrants) {
        if (identityKey(g.version))
            continue;
        auto seed = openSealed(m_device.boxPublic, m_device.boxSecret.bytes(), g.sealedKey);
        if (!seed)
            continue;
        auto key = PracticeIdentityKey::fromSeed(g.version, *seed);
        SecretBytes::wipe(*seed);
        if (!key)
            continue;
        m_identityKeys.insert(g.version, *key);
        m_store->keys().saveIdentitySeed(g.version, key->seed);
        identityAdded = true;
    }
    if (identityAdded)
        emit identityKeysChanged();
    bool added = false;
    for (const KeyGrant &g : listing.grants) {
        if (practiceKey(g.version))
            continue;
        auto secret = openSealed(m_device.boxPublic, m_device.boxSecret.bytes(), g.sealedKey);
        if (!secret)
            continue;
        auto key = PracticeKey::fromSecret(g.version, *secret);
        SecretBytes::wipe(*secret);
        if (!key)
            continue;
        m_practiceKeys.insert(g.version, *key);
        m_store->keys().savePracticeKey(g.version, key->boxSecret);
        added = true;
    }
    if (added)
        emit keysAdded(QString());
}

const ConversationKeyState *KeyRing::conversationState(const QString &conversationId) const
{
    const auto it = m_conversations.constFind(conversationId);
    return it == m_conversations.cend() ? nullptr : &it.value();
}

void KeyRing::refreshConversation(const QString &conversationId, Done done)
{
    auto &waiting = m_conversationWaiting[conversationId];
    waiting.append(std::move(done));
    if (waiting.size() > 1)
        return;
    const quint64 generation = m_generation;
    m_api->fetchConversationKeys(conversationId, this, [this, conversationId, generation](const ApiResult &result) {
        if (generation != m_generation)
            return;
        if (!result.ok()) {
            finishConversation(conversationId, false);
            return;
        }
        ConversationKeyState state =
            ConversationKeyState::fromJson(result.body, m_store->conversations().practice(conversationId));
        if (m_pins && !m_staff && !state.practiceId.isEmpty())
            state.trust = m_pins->evaluate(conversationId, state.practiceId, state.identity);
        m_conversations.insert(conversationId, state);
        bool missingVersion = false;
        openConversationGrants(conversationId, &missingVersion);
        if (!missingVersion || !m_staff) {
            finishConversation(conversationId, true);
            return;
        }
        // Sealed to a practice key version this device has not opened yet (a rotation happened): fetch it.
        refreshPracticeKeys([this, conversationId, generation](bool) {
            if (generation != m_generation)
                return;
            bool stillMissing = false;
            openConversationGrants(conversationId, &stillMissing);
            finishConversation(conversationId, true);
        });
    });
}

void KeyRing::openConversationGrants(const QString &conversationId, bool *missingPracticeVersion)
{
    const auto it = m_conversations.constFind(conversationId);
    if (it == m_conversations.cend())
        return;
    for (const EpochInfo &e : it->epochs) {
        if (e.sealedKey.isEmpty() || epochKey(conversationId, e.epoch))
            continue;
        std::optional<QByteArray> key;
        if (m_staff) {
            const PracticeKey *practice = practiceKey(e.practiceKeyVersion);
            if (!practice) {
                *missingPracticeVersion = true;
                continue;
            }
            key = openSealed(practice->boxPublic, practice->boxSecret.bytes(), e.sealedKey);
        } else {
            key = openSealed(m_device.boxPublic, m_device.boxSecret.bytes(), e.sealedKey);
        }
        if (key && key->size() == ConversationKeyBytes)
            addEpochKey(conversationId, e.epoch, SecretBytes(std::move(*key)));
        else if (key)
            SecretBytes::wipe(*key);
    }
}

void KeyRing::finishConversation(const QString &conversationId, bool ok)
{
    const QList<Done> waiting = m_conversationWaiting.take(conversationId);
    for (const Done &d : waiting)
        d(ok);
}

QStringList KeyRing::keyNames() const
{
    QStringList names;
    for (auto it = m_practiceKeys.cbegin(); it != m_practiceKeys.cend(); ++it)
        names.append(QStringLiteral("p:%1").arg(it.key()));
    for (auto it = m_identityKeys.cbegin(); it != m_identityKeys.cend(); ++it)
        names.append(QStringLiteral("i:%1").arg(it.key()));
    for (auto c = m_epochKeys.cbegin(); c != m_epochKeys.cend(); ++c) {
        for (auto e = c->cbegin(); e != c->cend(); ++e)
            names.append(QStringLiteral("e:%1:%2").arg(e.key()).arg(c.key()));
    }
    return names;
}

QByteArray KeyRing::exportBackup(const QStringList &names) const
{
    KeyBackupPayload payload;
    for (const QString &name : names) {
        const QStringList parts = name.split(QLatin1Char(':'));
        if (parts.size() == 2 && parts[0] == QLatin1String("p")) {
            if (const PracticeKey *key = practiceKey(parts[1].toLongLong()))
                payload.practiceKeys.append({key->version, key->boxSecret});
        } else if (parts.size() == 2 && parts[0] == QLatin1String("i")) {
            if (const PracticeIdentityKey *key = identityKey(parts[1].toLongLong()))
                payload.identityKeys.append({key->version, key->seed});
        } else if (parts.size() == 3 && parts[0] == QLatin1String("e")) {
            if (const SecretBytes *key = epochKey(parts[2], parts[1].toLongLong()))
                payload.epochKeys.append({parts[2], parts[1].toLongLong(), *key});
        }
    }
    return payload.toBytes();
}

int KeyRing::importBackup(const QByteArray &bytes)
{
    const auto payload = KeyBackupPayload::fromBytes(bytes);
    if (!payload)
        return -1;
    int added = 0;
    for (const KeyBackupPayload::PracticeKeyItem &item : payload->practiceKeys) {
        if (practiceKey(item.version))
            continue;
        auto key = PracticeKey::fromSecret(item.version, item.secret.bytes());
        if (!key)
            continue;
        m_practiceKeys.insert(item.version, *key);
        m_store->keys().savePracticeKey(item.version, key->boxSecret);
        ++added;
    }
    bool identityAdded = false;
    for (const KeyBackupPayload::IdentityKeyItem &item : payload->identityKeys) {
        if (identityKey(item.version))
            continue;
        auto key = PracticeIdentityKey::fromSeed(item.version, item.seed.bytes());
        if (!key)
            continue;
        m_identityKeys.insert(item.version, *key);
        m_store->keys().saveIdentitySeed(item.version, key->seed);
        identityAdded = true;
        ++added;
    }
    if (identityAdded)
        emit identityKeysChanged();
    QSet<QString> conversations;
    for (const KeyBackupPayload::EpochKeyItem &item : payload->epochKeys) {
        if (epochKey(item.conversationId, item.epoch))
            continue;
        m_epochKeys[item.conversationId].insert(item.epoch, item.key);
        m_store->keys().saveEpochKey(item.conversationId, item.epoch, item.key);
        conversations.insert(item.conversationId);
        ++added;
    }
    for (const QString &c : std::as_const(conversations))
        emit keysAdded(c);
    if (added > 0)
        emit keysAdded(QString());
    return added;
}

} // namespace larch
