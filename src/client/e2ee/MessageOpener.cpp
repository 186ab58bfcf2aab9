// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/e2ee/MessageOpener.h"

#include "client/e2ee/DeviceDirectory.h"
#include "client/e2ee/KeyRing.h"

namespace larch {

namespace {
QString pairKey(const QString &conversationId, const QString &deviceId) { return conversationId + u'/' + deviceId; }
} // namespace

MessageOpener::MessageOpener(LocalStore *store, KeyRing *keys, DeviceDirectory *devices, QObject *parent)
    : QObject(parent), m_store(store), m_keys(keys), m_devices(devices)
{ }

void MessageOpener::stop()
{
    ++m_generation;
    m_waiting.clear();
    m_devicesTried.clear();
    m_keysTried.clear();
}

StoredMessage MessageOpener::open(const Message &message)
{
    Missing missing = Missing::Nothing;
    StoredMessage opened = decide(message, &missing);
    if (missing != Missing::Nothing)
        wait(message.conversationId, message, missing);
    return opened;
}

StoredMessage MessageOpener::decide(const Message &m, Missing *missing)
{
    StoredMessage out{m, Verification::Unverifiable, MessageCheck::Malformed};
    out.message.body.clear();
    // Every conversation is end-to-end encrypted: a message without an envelope is never shown as genuine.
    const auto envelope = m.envelope ? MessageEnvelope::fromJson(*m.envelope) : std::nullopt;
    if (!envelope)
        return out;
    const QString &conversationId = m.conversationId;
    const auto device = m_devices->device(conversationId, envelope->senderDeviceId);
    if (!device && !m_devicesTried.contains(pairKey(conversationId, envelope->senderDeviceId))) {
        *missing = Missing::Devices;
        out.verification = Verification::Unopened;
        return out;
    }
    QByteArray signPublic;
    if (device && device->userId == m.senderId && !(device->revokedAt && m.sentAt > *device->revokedAt))
        signPublic = device->signPublic;
    const SecretBytes *key = m_keys->epochKey(conversationId, envelope->epoch);
    if (!key && !signPublic.isEmpty() && !m_keysTried.contains(conversationId)) {
        *missing = Missing::Key;
        out.verification = Verification::Unopened;
        return out;
    }
    QSet<QString> seen;
    if (m_store->messages().clientIdSeen(conversationId, m.clientId, m.id))
        seen.insert(m.clientId);
    const OpenedMessage opened =
        openMessage(key ? key->bytes() : QByteArray(), conversationId, m.clientId, signPublic, *envelope, seen);
    out.check = opened.check;
    if (opened.check == MessageCheck::Ok) {
        out.verification = Verification::Verified;
        out.message.body = opened.text;
        out.attachments = opened.attachments;
    } else if (opened.check == MessageCheck::WrongEpochKey && !key) {
        out.verification = Verification::KeyPending;
    }
    return out;
}

void MessageOpener::wait(const QString &conversationId, const Message &message, Missing missing)
{
    Waiting &w = m_waiting[conversationId];
    for (const Message &queued : std::as_const(w.messages)) {
        if (queued.id == message.id)
            return;
    }
    w.messages.append(message);
    w.needDevices = w.needDevices || missing == Missing::Devices;
    w.needKeys = w.needKeys || missing == Missing::Key;
    if (!w.fetching)
        fetchFor(conversationId);
}

void MessageOpener::fetchFor(const QString &conversationId)
{
    Waiting &w = m_waiting[conversationId];
    w.fetching = true;
    const quint64 generation = m_generation;
    auto fail = [this, conversationId] {
        // Offline: the messages stay Unopened in the store and are opened again when the connection is back.
        m_waiting.remove(conversationId);
    };
    if (w.needDevices) {
        w.needDevices = false;
        m_devices->fetch(conversationId, [this, generation, conversationId, fail](bool ok) {
            if (generation != m_generation)
                return;
            if (!ok)
                return fail();
            for (const Message &m : m_waiting.value(conversationId).messages) {
                if (const auto e = m.envelope ? MessageEnvelope::fromJson(*m.envelope) : std::nullopt)
                    m_devicesTried.insert(pairKey(conversationId, e->senderDeviceId));
            }
            fetchFor(conversationId);
        });
        return;
    }
    if (w.needKeys) {
        w.needKeys = false;
        m_keys->refreshConversation(conversationId, [this, generation, conversationId, fail](bool ok) {
            if (generation != m_generation)
                return;
            if (!ok)
                return fail();
            m_keysTried.insert(conversationId);
            fetchFor(conversationId);
        });
        return;
    }
    w.fetching = false;
    retryWaiting(conversationId);
}

void MessageOpener::retryWaiting(const QString &conversationId)
{
    const QList<Message> messages = m_waiting.take(conversationId).messages;
    m_store->beginBatch();
    for (const Message &m : messages) {
        Missing missing = Missing::Nothing;
        const StoredMessage opened = decide(m, &missing);
        if (missing != Missing::Nothing)
            wait(conversationId, m, missing);
        else
            record(opened);
    }
    m_store->endBatch();
}

void MessageOpener::record(const StoredMessage &opened)
{
    const auto stored = m_store->messages().messageById(opened.message.id);
    if (!stored || stored->verification == Verification::Verified
        || (stored->verification == opened.verification && stored->check == opened.check))
        return;
    const bool previewMoved = m_store->messages().setMessageOpened(opened.message.id, opened.verification, opened.check,
                                                                   opened.message.body, opened.attachments);
    emit messageOpened(opened);
    if (previewMoved)
        emit previewChanged(opened.message.conversationId);
}

void MessageOpener::reopen(const QString &conversationId, bool includeKeyPending)
{
    if (conversationId.isEmpty()) {
        m_keysTried.clear();
        m_devicesTried.clear();
    } else {
        m_keysTried.remove(conversationId);
    }
    const QList<StoredMessage> toOpen = m_store->messages().messagesToOpen(conversationId, includeKeyPending);
    m_store->beginBatch();
    for (const StoredMessage &stored : toOpen) {
        Missing missing = Missing::Nothing;
        const StoredMessage opened = decide(stored.message, &missing);
        if (missing != Missing::Nothing)
            wait(stored.message.conversationId, stored.message, missing);
        else
            record(opened);
    }
    m_store->endBatch();
}

} // namespace larch
