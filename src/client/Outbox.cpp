#include "Outbox.h"

#include "ApiClient.h"
#include "EventStream.h"

#include <QRandomGenerator>

namespace larch {

Outbox::Outbox(LocalStore *store, ApiClient *api, QObject *parent) : QObject(parent), m_store(store), m_api(api)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Outbox::sendNext);
}

OutboxEntry Outbox::enqueue(const QString &conversationId, const QString &body)
{
    const OutboxEntry entry = m_store->enqueue(conversationId, body);
    emit pending(entry);
    if (!m_retryTimer.isActive())
        sendNext();
    return entry;
}

void Outbox::flush()
{
    m_failures = 0;
    m_retryTimer.stop();
    sendNext();
}

void Outbox::pause()
{
    m_paused = true;
    m_retryTimer.stop();
}

void Outbox::resume()
{
    m_paused = false;
    flush();
}

bool Outbox::confirm(const Message &message)
{
    if (!m_store->removeFromOutbox(message.clientId))
        return false;
    emit confirmed(message.clientId, message);
    return true;
}

void Outbox::sendNext()
{
    if (m_paused || m_inFlight || !m_api->hasToken())
        return;
    const auto entry = m_store->nextPending();
    if (!entry)
        return;
    m_inFlight = true;
    const OutboxEntry sending = *entry;
    m_api->postMessage(sending.conversationId, sending.clientId, sending.body, this,
                       [this, sending](const ApiResult &result) {
        m_inFlight = false;
        if (result.ok()) {
            m_failures = 0;
            if (const auto message = Message::fromJson(result.body)) {
                // The message.created event may have confirmed it already; then this is a no-op.
                m_store->applyMessage(*message, m_userId);
                confirm(*message);
            } else {
                m_store->markFailed(sending.clientId, ErrorText::badResponse());
                emit failed(sending.clientId, ErrorText::badResponse());
            }
            sendNext();
            return;
        }
        const ApiError &error = result.error;
        if (error.isTransient() || error.kind == ApiError::Kind::SessionEnded
            || error.kind == ApiError::Kind::InsecureUrl || error.kind == ApiError::Kind::InvalidUrl) {
            // Offline, server trouble, or waiting for a new sign-in: keep it and try again later, never give up.
            if (error.kind != ApiError::Kind::SessionEnded)
                scheduleRetry();
            return;
        }
        if (!m_store->outboxEntry(sending.clientId))
            return; // confirmed by its event meanwhile
        m_store->markFailed(sending.clientId, error.sentence);
        emit failed(sending.clientId, error.sentence);
        sendNext();
    });
}

void Outbox::scheduleRetry()
{
    ++m_failures;
    const int base = EventStream::backoffMs(m_failures);
    const double factor = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    m_retryTimer.start(std::clamp(int(base * factor), 250, EventStream::BackoffCapMs));
}

} // namespace larch
