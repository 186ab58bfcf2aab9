// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/e2ee/EpochPlanner.h"

#include "client/e2ee/DeviceDirectory.h"
#include "client/e2ee/KeyRing.h"
#include "client/e2ee/PracticeKeyKeeper.h"
#include "client/net/ApiClient.h"
#include "core/crypto/PracticeIdentity.h"

#include <QJsonArray>
#include <QSet>

namespace larch {

namespace {
constexpr int Attempts = 4;
constexpr qsizetype ConversationKeyBytes = 32;

QString b64(const QByteArray &bytes) { return QString::fromLatin1(bytes.toBase64()); }

QString noPracticeKeySentence()
{
    return QStringLiteral("This message waits until the practice has set up its encryption key; it is sent then.");
}

QString practiceName(const ConversationKeyState &state)
{
    return state.identity && !state.identity->practiceName.isEmpty() ? state.identity->practiceName
                                                                     : QStringLiteral("your practice");
}
} // namespace

EpochPlanner::EpochPlanner(ApiClient *api, KeyRing *keys, DeviceDirectory *devices, PracticeKeyKeeper *keeper,
                           QObject *parent)
    : QObject(parent), m_api(api), m_keys(keys), m_devices(devices), m_keeper(keeper)
{ }

void EpochPlanner::prepare(const QString &conversationId, Done done) { attempt(conversationId, Attempts, done); }

void EpochPlanner::attempt(const QString &conversationId, int attemptsLeft, Done done)
{
    const quint64 generation = m_generation;
    auto withDevices = [this, generation, conversationId, attemptsLeft, done] {
        if (m_devices->isLoaded(conversationId)) {
            decide(conversationId, attemptsLeft, done);
            return;
        }
        m_devices->fetch(conversationId, [this, generation, conversationId, attemptsLeft, done](bool ok) {
            if (generation != m_generation)
                return;
            if (!ok)
                done(std::nullopt, {ErrorText::unreachable(), true});
            else
                decide(conversationId, attemptsLeft, done);
        });
    };
    if (m_keys->conversationState(conversationId)) {
        withDevices();
        return;
    }
    m_keys->refreshConversation(conversationId, [this, generation, withDevices, done](bool ok) {
        if (generation != m_generation)
            return;
        if (!ok)
            done(std::nullopt, {ErrorText::unreachable(), true});
        else
            withDevices();
    });
}

void EpochPlanner::decide(const QString &conversationId, int attemptsLeft, Done done)
{
    const ConversationKeyState *state = m_keys->conversationState(conversationId);
    if (!state) {
        attempt(conversationId, attemptsLeft, done);
        return;
    }
    if (const QString refusal = identityRefusal(*state); !refusal.isEmpty()) {
        done(std::nullopt, {refusal, true});
        return;
    }
    if (!state->epochs.isEmpty()) {
        const EpochInfo &current = state->epochs.first();
        QSet<QString> holders(current.deviceIds.cbegin(), current.deviceIds.cend());
        QSet<QString> active;
        for (const DeviceInfo &d : m_devices->activePatientDevices(conversationId))
            active.insert(d.id);
        const SecretBytes *key = m_keys->epochKey(conversationId, current.epoch);
        const bool practiceCurrent =
            state->practiceKeyVersion == 0 || current.practiceKeyVersion == state->practiceKeyVersion;
        if (key && practiceCurrent && holders == active && epochTrusted(conversationId, *state, current, *key)) {
            done(Ready{current.epoch, *key}, {});
            return;
        }
    }
    create(conversationId, attemptsLeft, done);
}

void EpochPlanner::create(const QString &conversationId, int attemptsLeft, Done done)
{
    const ConversationKeyState *state = m_keys->conversationState(conversationId);
    if (state->practiceKeyVersion == 0 || state->practicePublic.size() != 32) {
        if (m_keys->isStaff() && m_keeper && attemptsLeft > 1) {
            retryAfterConflict(conversationId, attemptsLeft, done);
            return;
        }
        done(std::nullopt, {noPracticeKeySentence(), true});
        return;
    }
    // Staff hold the practice key: a public key the server lists that is not the one held is refused.
    if (const PracticeKey *held = m_keys->practiceKey(state->practiceKeyVersion);
        m_keys->isStaff() && held && held->boxPublic != state->practicePublic) {
        qWarning("larch keys: the server listed a practice public key that does not match the practice key held");
        done(std::nullopt,
             {QStringLiteral("The server offered an encryption key that does not belong to the "
                             "practice, so the message was not sent."),
              false});
        return;
    }
    const qint64 epoch = state->currentEpoch + 1;
    SecretBytes key = SecretBytes::random(ConversationKeyBytes);
    QJsonArray deviceGrants;
    for (const DeviceInfo &d : m_devices->activePatientDevices(conversationId))
        deviceGrants.append(QJsonObject{{"deviceId", d.id}, {"sealedKey", b64(sealTo(d.boxPublic, key.bytes()))}});
    QJsonObject body{{"epoch", epoch},
                     {"practiceKeyVersion", state->practiceKeyVersion},
                     {"practiceGrant", b64(sealTo(state->practicePublic, key.bytes()))},
                     {"deviceGrants", deviceGrants}};
    // Signed so the other side can tell it from one the server made up: by the practice identity (staff), by this
    // device (a patient). Staff without the identity's seed leave it unsigned, and patients then start their own.
    const QByteArray statement =
        IdentityStatement::epoch(conversationId, epoch, state->practiceKeyVersion, key.bytes());
    if (!m_keys->isStaff()) {
        body.insert(QStringLiteral("signature"),
                    b64(IdentityStatement::signWithDevice(m_keys->device().signSecret.bytes(), statement)));
    } else if (const IdentityVersion *listed = state->identity ? state->identity->current() : nullptr) {
        if (const PracticeIdentityKey *held = m_keys->identityKey(listed->version);
            held && held->signPublic == listed->publicKey) {
            body.insert(QStringLiteral("identityVersion"), held->version);
            body.insert(QStringLiteral("signature"), b64(held->sign(statement)));
        }
    }
    const quint64 generation = m_generation;
    m_api->createEpoch(
        conversationId, body, this,
        [this, generation, conversationId, epoch, key, attemptsLeft, done](const ApiResult &result) {
            if (generation != m_generation)
                return;
            if (result.ok()) {
                m_keys->addEpochKey(conversationId, epoch, key);
                m_keys->invalidateConversation(conversationId);
                done(Ready{epoch, key}, {});
                return;
            }
            if (result.error.kind == ApiError::Kind::Conflict && attemptsLeft > 1) {
                retryAfterConflict(conversationId, attemptsLeft, done);
                return;
            }
            // A patient cannot rotate the practice key; until staff do, the current epoch still reaches everyone
            // the practice key and its own grants cover.
            if (result.error.kind == ApiError::Kind::Conflict) {
                if (const ConversationKeyState *s = m_keys->conversationState(conversationId);
                    s && !s->epochs.isEmpty()) {
                    if (const SecretBytes *held = m_keys->epochKey(conversationId, s->epochs.first().epoch)) {
                        done(Ready{s->epochs.first().epoch, *held}, {});
                        return;
                    }
                }
            }
            const bool later = result.error.isTransient() || result.error.kind == ApiError::Kind::Conflict
                || result.error.httpStatus == 403 || result.error.kind == ApiError::Kind::SessionEnded;
            done(std::nullopt, {result.error.sentence, later});
        });
}

QString EpochPlanner::identityRefusal(const ConversationKeyState &state) const
{
    if (m_keys->isStaff())
        return {};
    switch (state.trust.state) {
    case IdentityTrust::State::Legacy: return {};
    case IdentityTrust::State::Changed:
        return QStringLiteral("This message waits: %1's security identity changed. Check it with the practice "
                              "(see the warning in this conversation) and it is sent then.")
            .arg(practiceName(state));
    case IdentityTrust::State::Trusted: break;
    }
    // The practice key new epochs are sealed to must carry the pinned identity's signature.
    const bool signedKey = state.practiceKeyVersion > 0 && state.practiceKeyIdentityVersion == state.trust.version
        && IdentityStatement::verify(state.trust.publicKey,
                                     IdentityStatement::practiceKey(state.practiceId, state.practiceKeyVersion,
                                                                    state.practicePublic,
                                                                    state.practiceKeyIdentityVersion),
                                     state.practiceKeySignature);
    if (signedKey || state.practiceKeyVersion == 0)
        return {};
    qWarning("larch keys: the server listed a practice key the pinned practice identity did not sign");
    return QStringLiteral("This message waits: the server offered an encryption key that %1 did not sign. It is sent "
                          "once the practice's own key is back.")
        .arg(practiceName(state));
}

bool EpochPlanner::epochTrusted(const QString &conversationId, const ConversationKeyState &state,
                                const EpochInfo &epoch, const SecretBytes &key) const
{
    // Before the practice had an identity (and a patient who never pinned one): epochs are used as listed.
    const bool identityKnown =
        m_keys->isStaff() ? state.identity.has_value() : state.trust.state == IdentityTrust::State::Trusted;
    if (!identityKnown)
        return true;
    if (epoch.signature.isEmpty())
        return false;
    const QByteArray statement =
        IdentityStatement::epoch(conversationId, epoch.epoch, epoch.practiceKeyVersion, key.bytes());
    if (epoch.identityVersion > 0) {
        QByteArray signer;
        if (!m_keys->isStaff()) {
            if (epoch.identityVersion == state.trust.version)
                signer = state.trust.publicKey;
        } else if (const PracticeIdentityKey *held = m_keys->identityKey(epoch.identityVersion)) {
            signer = held->signPublic;
        }
        return IdentityStatement::verify(signer, statement, epoch.signature);
    }
    // Started by a patient's device (the device list is the server's: safety codes check it).
    const auto device = m_devices->patientDevice(conversationId, epoch.createdByDevice);
    return device && IdentityStatement::verify(device->signPublic, statement, epoch.signature);
}

void EpochPlanner::retryAfterConflict(const QString &conversationId, int attemptsLeft, Done done)
{
    m_keys->invalidateConversation(conversationId);
    const quint64 generation = m_generation;
    auto again = [this, generation, conversationId, attemptsLeft, done] {
        if (generation != m_generation)
            return;
        m_devices->fetch(conversationId, [this, generation, conversationId, attemptsLeft, done](bool) {
            if (generation == m_generation)
                attempt(conversationId, attemptsLeft - 1, done);
        });
    };
    if (m_keys->isStaff() && m_keeper) {
        // The practice key may need making or rotating first (a staff member was removed).
        m_keeper->ensureCurrent([again](bool, const QString &) { again(); });
        return;
    }
    again();
}

} // namespace larch
