// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/thread/StandardThread.h"

#include "client/net/ApiClient.h"
#include "client/sync/StandardText.h"
#include "client/sync/SyncEngine.h"
#include "core/protocol/TextLength.h"
#include "models/conversations/ConversationListModel.h"
#include "models/conversations/TimeText.h"

#include <QLocale>

namespace larch {

namespace {
constexpr int ConsentNoteMax = 500; ///< the server's, in characters as a person counts them (textLength)

QString consentWords(const QString &method)
{
    if (method == QLatin1String("verbal"))
        return QStringLiteral("Verbal consent");
    if (method == QLatin1String("written"))
        return QStringLiteral("Written consent");
    if (method == QLatin1String("patient_initiated"))
        return QStringLiteral("Consent (the patient got in touch this way)");
    return QStringLiteral("Consent");
}
} // namespace

StandardThread::StandardThread(ApiClient *api, SyncEngine *sync, QObject *parent)
    : QObject(parent), m_api(api), m_sync(sync)
{ }

QString StandardThread::dateText(qint64 ms)
{
    const QDate day = TimeText::fromMs(ms).date();
    return QLocale().toString(
        day, day.year() == QDate::currentDate().year() ? QStringLiteral("d MMM") : QStringLiteral("d MMM yyyy"));
}

void StandardThread::setConversation(const ConversationSummary *conversation)
{
    const ConversationSummary next = conversation ? *conversation : ConversationSummary{};
    if (next.id != m_conversation.id) {
        ++m_generation; // answers about the previous conversation no longer matter here
        setBusy(false);
        setError({});
    }
    if (next == m_conversation)
        return;
    m_conversation = next;
    emit changed();
}

Channel::Value StandardThread::channelValue() const
{
    return m_conversation.id.isEmpty() ? Channel::None : ConversationListModel::channelOf(m_conversation);
}

QString StandardThread::contactDisplay() const { return ConversationListModel::contactDisplayOf(m_conversation); }

bool StandardThread::consentRecorded() const
{
    return isStandard() && m_conversation.standard && m_conversation.standard->consent.has_value();
}

QString StandardThread::consentText() const
{
    if (!consentRecorded())
        return {};
    const Consent &consent = *m_conversation.standard->consent;
    const QString by = consent.recordedByName.isEmpty() ? QStringLiteral("the practice") : consent.recordedByName;
    return QStringLiteral("%1 recorded by %2 on %3").arg(consentWords(consent.method), by, dateText(consent.at));
}

QString StandardThread::consentNote() const
{
    return consentRecorded() ? m_conversation.standard->consent->note : QString();
}

bool StandardThread::optedOut() const { return ConversationListModel::optedOut(m_conversation); }

QString StandardThread::optedOutText() const
{
    if (!optedOut())
        return {};
    return QStringLiteral("This number replied STOP on %1 and gets no texts from the practice until it replies "
                          "START.")
        .arg(dateText(m_conversation.standard->optedOutAt));
}

QString StandardThread::blockedReason() const { return refusalFor(m_conversation.id, QString()); }

QString StandardThread::secureConversationId() const
{
    return isStandard() && m_conversation.standard ? m_conversation.standard->secureConversationId : QString();
}

QString StandardThread::refusalFor(const QString &conversationId, const QString &body) const
{
    if (conversationId.isEmpty() || conversationId != m_conversation.id || !isStandard())
        return {};
    if (optedOut())
        return StandardText::optedOut();
    // Without the contact (an older copy), the server is the judge: it refuses with its own sentence.
    if (m_conversation.standard && !m_conversation.standard->consent)
        return StandardText::consentRequired();
    // In UTF-16 units, as the server and the gateway count (StandardText::SmsBodyMax).
    if (m_conversation.kind == QLatin1String("sms") && body.size() > StandardText::SmsBodyMax)
        return StandardText::smsTooLong();
    return {};
}

bool StandardThread::stillCurrent(quint64 generation, const QString &conversationId) const
{
    return generation == m_generation && conversationId == m_conversation.id;
}

void StandardThread::recordConsent(const QString &method, const QString &note)
{
    if (m_busy || !isStandard())
        return;
    if (method != QLatin1String("verbal") && method != QLatin1String("written")
        && method != QLatin1String("patient_initiated")) {
        setError(QStringLiteral("Choose how the patient consented: verbally, in writing, or by getting in touch "
                                "this way."));
        return;
    }
    if (textLength(note.trimmed()) > ConsentNoteMax) {
        setError(QStringLiteral("The note can hold up to %1 characters. Shorten it.").arg(ConsentNoteMax));
        return;
    }
    setError({});
    setBusy(true);
    const quint64 generation = m_generation;
    const QString id = m_conversation.id;
    m_api->recordConsent(id, method, note, this, [this, generation, id](const ApiResult &result) {
        if (!stillCurrent(generation, id))
            return;
        setBusy(false);
        if (!result.ok()) {
            setError(result.error.sentence);
            return;
        }
        // The answer is the conversation with its consent: shown at once, before the event arrives.
        m_sync->applyConversationJson(result.body);
        emit consentSaved();
    });
}

void StandardThread::inviteToSecure()
{
    if (m_busy || !isStandard())
        return;
    setError({});
    setBusy(true);
    const quint64 generation = m_generation;
    const QString id = m_conversation.id;
    m_api->inviteToSecure(id, this, [this, generation, id](const ApiResult &result) {
        if (!stillCurrent(generation, id))
            return;
        setBusy(false);
        if (result.ok()) {
            const QJsonObject conversation = result.body.value(QLatin1String("conversation")).toObject();
            const QString secureId = conversation.value(QLatin1String("id")).toString();
            if (!m_sync->applyConversationJson(conversation) || secureId.isEmpty()) {
                setError(ErrorText::badResponse());
                return;
            }
            emit secureConversationReady(secureId);
            return;
        }
        const QString existing = result.body.value(QLatin1String("conversationId")).toString();
        if (result.error.code == QLatin1String("duplicate_contact") && !existing.isEmpty()) {
            // The practice already reaches this contact securely: that conversation is where to write.
            emit secureConversationReady(existing);
            return;
        }
        setError(result.error.sentence);
    });
}

void StandardThread::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

void StandardThread::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    emit errorChanged();
}

} // namespace larch
