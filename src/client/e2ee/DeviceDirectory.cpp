// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/e2ee/DeviceDirectory.h"

#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"

#include <QSet>

namespace larch {

DeviceDirectory::DeviceDirectory(LocalStore *store, ApiClient *api, QObject *parent)
    : QObject(parent), m_store(store), m_api(api)
{ }

void DeviceDirectory::fetch(const QString &conversationId, Done done)
{
    auto &waiting = m_waiting[conversationId];
    waiting.append(std::move(done));
    if (waiting.size() > 1)
        return;
    const quint64 generation = m_generation;
    m_api->fetchConversationDevices(conversationId, this, [this, conversationId, generation](const ApiResult &result) {
        if (generation != m_generation)
            return;
        const QList<Done> callbacks = m_waiting.take(conversationId);
        const bool ok = result.ok();
        if (ok) {
            m_lists.insert(conversationId, DeviceInfo::listFromJson(result.body));
            emit devicesChanged(conversationId);
        }
        for (const Done &callback : callbacks)
            callback(ok);
    });
}

std::optional<DeviceInfo> DeviceDirectory::device(const QString &conversationId, const QString &deviceId) const
{
    for (const DeviceInfo &d : m_lists.value(conversationId)) {
        if (d.id == deviceId)
            return d;
    }
    return std::nullopt;
}

std::optional<DeviceInfo> DeviceDirectory::anyDevice(const QString &deviceId) const
{
    for (auto it = m_lists.cbegin(); it != m_lists.cend(); ++it) {
        for (const DeviceInfo &d : it.value()) {
            if (d.id == deviceId)
                return d;
        }
    }
    return std::nullopt;
}

std::optional<DeviceInfo> DeviceDirectory::patientDevice(const QString &conversationId, const QString &deviceId) const
{
    const auto d = device(conversationId, deviceId);
    if (!d || d->userId != m_store->conversations().patient(conversationId))
        return std::nullopt;
    return d;
}

QList<DeviceInfo> DeviceDirectory::activePatientDevices(const QString &conversationId) const
{
    const QString patient = m_store->conversations().patient(conversationId);
    QList<DeviceInfo> out;
    for (const DeviceInfo &d : m_lists.value(conversationId)) {
        if (d.userId == patient && d.isActive())
            out.append(d);
    }
    return out;
}

QList<DeviceInfo> DeviceDirectory::staffDevices(const QString &state) const
{
    QList<DeviceInfo> out;
    QSet<QString> seen;
    for (auto it = m_lists.cbegin(); it != m_lists.cend(); ++it) {
        const QString patient = m_store->conversations().patient(it.key());
        for (const DeviceInfo &d : it.value()) {
            if (d.userId != patient && d.state == state && !seen.contains(d.id)) {
                seen.insert(d.id);
                out.append(d);
            }
        }
    }
    std::sort(out.begin(), out.end(),
              [](const DeviceInfo &a, const DeviceInfo &b) { return a.createdAt < b.createdAt; });
    return out;
}

QStringList DeviceDirectory::apply(const DeviceInfo &device)
{
    QStringList changed;
    for (auto it = m_lists.begin(); it != m_lists.end(); ++it) {
        QList<DeviceInfo> &list = it.value();
        bool member = false;
        for (const Member &m : m_store->conversations().members(it.key()))
            member = member || m.userId == device.userId;
        // Staff belong to every conversation of their practice; a list holding the user's devices counts too.
        for (const DeviceInfo &d : list)
            member = member || d.userId == device.userId;
        if (!member)
            continue;
        bool replaced = false;
        for (DeviceInfo &d : list) {
            if (d.id == device.id) {
                d = device;
                replaced = true;
            }
        }
        if (!replaced)
            list.append(device);
        changed.append(it.key());
    }
    if (changed.isEmpty()) {
        // A user none of the lists knows (e.g. staff added since they were fetched): fetch anew when needed.
        m_lists.clear();
    }
    for (const QString &id : std::as_const(changed))
        emit devicesChanged(id);
    return changed;
}

void DeviceDirectory::clear()
{
    ++m_generation;
    m_lists.clear();
    m_waiting.clear();
}

} // namespace larch
