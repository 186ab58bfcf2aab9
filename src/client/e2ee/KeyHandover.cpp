// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/e2ee/KeyHandover.h"

#include "client/e2ee/DeviceDirectory.h"
#include "client/e2ee/KeyRing.h"
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"

#include <QJsonArray>

namespace larch {

KeyHandover::KeyHandover(LocalStore *store, ApiClient *api, KeyRing *keys, DeviceDirectory *devices, QObject *parent)
    : QObject(parent), m_store(store), m_api(api), m_keys(keys), m_devices(devices)
{ }

void KeyHandover::stop()
{
    ++m_generation;
    m_running = false;
    m_again = false;
    m_inFlight = 0;
}

void KeyHandover::answerAll()
{
    if (!m_keys->isStaff())
        return;
    if (m_running) {
        m_again = true;
        return;
    }
    m_running = true;
    m_again = false;
    const quint64 generation = m_generation;
    m_api->fetchKeyRequests(this, [this, generation](const ApiResult &result) {
        if (generation != m_generation)
            return;
        const QList<PendingKeyRequest> requests =
            result.ok() ? PendingKeyRequest::listFromJson(result.body) : QList<PendingKeyRequest>();
        m_inFlight = 1; // held until every answer has started, so finishOne cannot end the run early
        for (const PendingKeyRequest &r : requests) {
            ++m_inFlight;
            answer(r.conversationId, r.deviceId, r.userId);
        }
        finishOne();
    });
}

void KeyHandover::finishOne()
{
    if (--m_inFlight > 0)
        return;
    m_running = false;
    if (m_again)
        answerAll();
}

void KeyHandover::answer(const QString &conversationId, const QString &deviceId, const QString &userId)
{
    const QString patient = m_store->conversations().patient(conversationId);
    if (patient.isEmpty() || patient != userId) {
        finishOne();
        return;
    }
    const quint64 generation = m_generation;
    // The list is fetched fresh: the device must be the patient's own and active right now.
    m_devices->fetch(conversationId, [this, generation, conversationId, deviceId, patient](bool ok) {
        if (generation != m_generation)
            return;
        const auto device = ok ? m_devices->device(conversationId, deviceId) : std::nullopt;
        if (!device || device->userId != patient || !device->isActive()) {
            if (ok && device)
                qWarning("larch keys: a key request for a device that is not the patient's active device was refused");
            finishOne();
            return;
        }
        m_keys->refreshConversation(conversationId, [this, generation, conversationId, device = *device](bool ok) {
            if (generation != m_generation)
                return;
            const ConversationKeyState *state = m_keys->conversationState(conversationId);
            QJsonArray grants;
            if (ok && state) {
                for (const EpochInfo &e : state->epochs) {
                    const SecretBytes *key = m_keys->epochKey(conversationId, e.epoch);
                    // Epochs the device holds already go again: the server keeps the first grant and
                    // closes the request only once the device holds every epoch.
                    if (!key)
                        continue;
                    grants.append(QJsonObject{
                        {"epoch", e.epoch},
                        {"deviceId", device.id},
                        {"sealedKey", QString::fromLatin1(sealTo(device.boxPublic, key->bytes()).toBase64())}});
                }
            }
            if (grants.isEmpty()) {
                finishOne();
                return;
            }
            m_api->handOverKeys(conversationId, grants, this,
                                [this, generation, conversationId, deviceId = device.id](const ApiResult &result) {
                                    if (generation != m_generation)
                                        return;
                                    if (result.ok()) {
                                        m_keys->invalidateConversation(conversationId);
                                        emit handedOver(conversationId, deviceId);
                                    }
                                    finishOne();
                                });
        });
    });
}

} // namespace larch
