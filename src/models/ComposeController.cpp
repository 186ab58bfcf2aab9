#include "ComposeController.h"

#include "LocalStore.h"
#include "SyncEngine.h"
#include "Validation.h"

#include <QLocale>

namespace larch {

ComposeController::ComposeController(LocalStore *store, SyncEngine *sync, QObject *parent)
    : QObject(parent), m_store(store), m_sync(sync)
{
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(SaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &ComposeController::saveNow);
}

ComposeController::~ComposeController() { saveNow(); }

void ComposeController::saveNow()
{
    m_saveTimer.stop();
    if (!m_dirty || m_conversationId.isEmpty())
        return;
    m_store->saveDraft(m_conversationId, m_text);
    m_dirty = false;
}

void ComposeController::setConversation(const QString &conversationId)
{
    if (conversationId == m_conversationId)
        return;
    saveNow();
    m_conversationId = conversationId;
    const QString draft = conversationId.isEmpty() ? QString() : m_store->draft(conversationId);
    setError(QString());
    if (draft != m_text) {
        m_text = draft;
        emit textChanged();
    }
    m_dirty = false;
    updateCanSend();
}

void ComposeController::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    emit textChanged();
    setError(QString());
    if (!m_conversationId.isEmpty()) {
        m_dirty = true;
        m_saveTimer.start();
    }
    updateCanSend();
}

bool ComposeController::canSend() const
{
    return !m_conversationId.isEmpty() && !m_text.trimmed().isEmpty()
        && (!m_sendCheck || m_sendCheck(m_conversationId, QString()).isEmpty());
}

void ComposeController::refreshSendCheck() { updateCanSend(); }

void ComposeController::restoreRefused(const QString &conversationId, const QString &text)
{
    if (conversationId.isEmpty() || text.isEmpty())
        return;
    if (conversationId != m_conversationId) {
        if (m_store->draft(conversationId).isEmpty())
            m_store->saveDraft(conversationId, text);
        return;
    }
    if (m_text.trimmed().isEmpty())
        setText(text);
}

bool ComposeController::send()
{
    if (m_conversationId.isEmpty()) {
        setError(QStringLiteral("Open a conversation to send a message."));
        return false;
    }
    const QString body = m_text.trimmed();
    if (body.isEmpty())
        return false;
    if (m_sendCheck) {
        const QString refusal = m_sendCheck(m_conversationId, body);
        if (!refusal.isEmpty()) {
            setError(refusal);  // the text stays in the compose bar
            return false;
        }
    }
    if (body.size() > Limits::MessageBodyMax) {
        setError(QStringLiteral("This message is too long. Shorten it to %1 characters or fewer, or send it in parts.")
                     .arg(QLocale().toString(Limits::MessageBodyMax)));
        return false;
    }
    m_sync->send(m_conversationId, body);
    m_saveTimer.stop();
    m_dirty = false;
    m_store->saveDraft(m_conversationId, QString());
    m_text.clear();
    emit textChanged();
    setError(QString());
    updateCanSend();
    return true;
}

void ComposeController::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    emit errorChanged();
}

void ComposeController::updateCanSend()
{
    const bool now = canSend();
    if (now != m_lastCanSend) {
        m_lastCanSend = now;
        emit canSendChanged();
    }
}

} // namespace larch
