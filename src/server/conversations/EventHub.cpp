// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/conversations/EventHub.h"

namespace larch::server {

void EventHub::subscribe(const QString &userId, const std::shared_ptr<EventSink> &sink)
{
    std::lock_guard lock(m_mutex);
    m_sinks[userId].push_back(sink);
}

void EventHub::unsubscribe(const QString &userId, const EventSink *sink)
{
    std::lock_guard lock(m_mutex);
    auto it = m_sinks.find(userId);
    if (it == m_sinks.end())
        return;
    auto &list = it.value();
    std::erase_if(list, [sink](const std::weak_ptr<EventSink> &w) {
        auto s = w.lock();
        return !s || s.get() == sink;
    });
    if (list.empty())
        m_sinks.erase(it);
}

std::vector<std::shared_ptr<EventSink>> EventHub::sinksLocked(const QString &userId)
{
    std::vector<std::shared_ptr<EventSink>> out;
    auto it = m_sinks.find(userId);
    if (it == m_sinks.end())
        return out;
    out.reserve(it.value().size());
    for (const auto &w : it.value())
        if (auto s = w.lock())
            out.push_back(std::move(s));
    return out;
}

void EventHub::publishLocked(const QList<StoredEvent> &events)
{
    for (const StoredEvent &e : events) {
        auto sinks = sinksLocked(e.userId);
        if (sinks.empty())
            continue;
        // Serialized once per recipient user, then shared by all of that user's sockets.
        const QByteArray wire = e.wire();
        auto frame = std::make_shared<const std::string>(wire.constData(), static_cast<std::size_t>(wire.size()));
        for (auto &s : sinks)
            s->deliver(e.seq, frame);
    }
}

void EventHub::closeUser(const QString &userId, std::uint16_t code)
{
    std::lock_guard lock(m_mutex);
    for (auto &s : sinksLocked(userId))
        s->closeWith(code);
}

void EventHub::closeSessions(const QString &userId, const QList<QByteArray> &sessionDigests, std::uint16_t code)
{
    std::lock_guard lock(m_mutex);
    for (auto &s : sinksLocked(userId))
        if (sessionDigests.contains(s->sessionDigest()))
            s->closeWith(code);
}

void EventHub::closeAll(std::uint16_t code)
{
    std::lock_guard lock(m_mutex);
    for (auto it = m_sinks.begin(); it != m_sinks.end(); ++it)
        for (const auto &w : it.value())
            if (auto s = w.lock())
                s->closeWith(code);
}

std::size_t EventHub::sinkCountOf(const QString &userId) const
{
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto &w : m_sinks.value(userId))
        if (!w.expired())
            ++n;
    return n;
}

std::size_t EventHub::sinkCount() const
{
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto &list : m_sinks)
        n += list.size();
    return n;
}

} // namespace larch::server
