// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/invites/InviteController.h"

#include "client/net/ApiClient.h"
#include "client/sync/SyncEngine.h"
#include "models/invites/InviteStates.h"

#include <QJsonArray>

namespace larch {

namespace {
QString errorField(const ApiResult &result, bool sentPhone, bool sentEmail)
{
    const QJsonObject error = result.body.value(QLatin1String("error")).toObject();
    const QString field = error.value(QLatin1String("field")).toString();
    if (!field.isEmpty())
        return field;
    if (sentPhone != sentEmail)
        return sentPhone ? QStringLiteral("phone") : QStringLiteral("email");
    const QString message = result.error.serverMessage.toLower();
    if (message.contains(QLatin1String("email")))
        return QStringLiteral("email");
    if (message.contains(QLatin1String("name")) && !message.contains(QLatin1String("phone")))
        return QStringLiteral("patientName");
    return QStringLiteral("phone");
}

QString keptSentence(const ApiError &error)
{
    // Whatever failed, the form keeps what was typed: say so, so nobody retypes it.
    return error.sentence + QStringLiteral(" What you typed is kept.");
}
} // namespace

InviteController::InviteController(ApiClient *api, SyncEngine *sync, std::function<QString()> practiceId,
                                   QObject *parent)
    : QObject(parent), m_api(api), m_sync(sync), m_practiceId(std::move(practiceId))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(CheckDelayMs);
    connect(&m_debounce, &QTimer::timeout, this, &InviteController::checkNow);
    for (auto signal :
         {&InviteController::patientNameChanged, &InviteController::phoneChanged, &InviteController::emailChanged,
          &InviteController::errorsChanged, &InviteController::busyChanged}) {
        connect(this, signal, this, [this] {
            const bool can = canCreate();
            if (can != m_canCreate) {
                m_canCreate = can;
                emit canCreateChanged();
            }
        });
    }
}

bool InviteController::canCreate() const
{
    return !m_busy && !m_patientName.trimmed().isEmpty()
        && (!m_phone.trimmed().isEmpty() || !m_email.trimmed().isEmpty()) && m_phoneError.isEmpty()
        && m_emailError.isEmpty();
}

void InviteController::setPatientName(const QString &name)
{
    if (name == m_patientName)
        return;
    m_patientName = name;
    if (!m_nameError.isEmpty() && !name.trimmed().isEmpty()) {
        m_nameError.clear();
        emit errorsChanged();
    }
    emit patientNameChanged();
}

void InviteController::setPhone(const QString &phone)
{
    if (phone == m_phone)
        return;
    m_phone = phone;
    emit phoneChanged();
    contactEdited();
}

void InviteController::setEmail(const QString &email)
{
    if (email == m_email)
        return;
    m_email = email;
    emit emailChanged();
    contactEdited();
}

void InviteController::contactEdited()
{
    // A sentence about the old contact would be wrong about the new one.
    ++m_checkGeneration;
    m_phoneError.clear();
    m_emailError.clear();
    m_error.clear();
    m_duplicateConversationId.clear();
    emit errorsChanged();
    clearCheck();
    setChecking(false);
    if (m_phone.trimmed().isEmpty() && m_email.trimmed().isEmpty())
        m_debounce.stop();
    else
        m_debounce.start();
}

void InviteController::clearCheck()
{
    if (m_phoneWarning.isEmpty() && m_phoneDisplay.isEmpty() && m_matches.isEmpty())
        return;
    m_phoneWarning.clear();
    m_phoneDisplay.clear();
    m_matches.clear();
    emit checkChanged();
}

void InviteController::reset()
{
    m_debounce.stop();
    ++m_checkGeneration;
    m_patientName.clear();
    m_phone.clear();
    m_email.clear();
    m_nameError.clear();
    m_phoneError.clear();
    m_emailError.clear();
    m_error.clear();
    m_duplicateConversationId.clear();
    clearCheck();
    setChecking(false);
    emit patientNameChanged();
    emit phoneChanged();
    emit emailChanged();
    emit errorsChanged();
}

void InviteController::checkNow()
{
    m_debounce.stop();
    if (m_phone.trimmed().isEmpty() && m_email.trimmed().isEmpty())
        return;
    const quint64 generation = ++m_checkGeneration;
    setChecking(true);
    m_api->checkContact(m_practiceId(), m_phone, m_email, this, [this, generation](const ApiResult &result) {
        if (generation != m_checkGeneration)
            return;
        setChecking(false);
        applyCheck(result);
        // The server names one wrong field at a time: with a bad number, check the email on its own too.
        if (!m_phoneError.isEmpty() && !m_email.trimmed().isEmpty() && m_emailError.isEmpty())
            checkEmailAlone(generation);
    });
}

void InviteController::checkEmailAlone(quint64 generation)
{
    m_api->checkContact(m_practiceId(), QString(), m_email, this, [this, generation](const ApiResult &result) {
        if (generation != m_checkGeneration || result.httpStatus != 400)
            return;
        m_emailError = result.error.sentence;
        emit errorsChanged();
    });
}

void InviteController::applyCheck(const ApiResult &result)
{
    if (!result.ok()) {
        // Offline or busy: the check is only advice; creating says what is wrong for sure.
        if (result.httpStatus == 400)
            applyRefusal(result);
        return;
    }
    const QJsonObject phone = result.body.value(QLatin1String("phone")).toObject();
    m_phoneDisplay = phone.value(QLatin1String("display")).toString();
    m_phoneWarning = phone.value(QLatin1String("warning")).toString();
    m_matches.clear();
    for (const QJsonValue &match : result.body.value(QLatin1String("matches")).toArray()) {
        QVariantMap entry = match.toObject().toVariantMap();
        entry.insert(QStringLiteral("state"),
                     QVariant::fromValue(ContactMatch::fromName(entry.value(QStringLiteral("state")).toString())));
        m_matches.append(entry);
    }
    emit checkChanged();
}

void InviteController::applyRefusal(const ApiResult &result)
{
    const QString field = errorField(result, !m_phone.trimmed().isEmpty(), !m_email.trimmed().isEmpty());
    const QString sentence = result.error.sentence;
    if (result.error.code == QLatin1String("invalid_field") || result.error.code == QLatin1String("missing_field")) {
        if (field == QLatin1String("email"))
            m_emailError = sentence;
        else if (field == QLatin1String("patientName") || field == QLatin1String("name"))
            m_nameError = sentence;
        else
            m_phoneError = sentence;
    } else {
        m_error = keptSentence(result.error);
    }
    emit errorsChanged();
}

void InviteController::create()
{
    if (m_busy)
        return;
    bool missing = false;
    if (m_patientName.trimmed().isEmpty()) {
        m_nameError = QStringLiteral("Enter the patient's name, as your practice knows them.");
        missing = true;
    }
    if (m_phone.trimmed().isEmpty() && m_email.trimmed().isEmpty()) {
        m_phoneError = QStringLiteral("Enter a mobile phone number or an email address, so the invitation can "
                                      "reach the patient.");
        missing = true;
    }
    if (missing) {
        emit errorsChanged();
        return;
    }
    m_error.clear();
    m_duplicateConversationId.clear();
    emit errorsChanged();
    setBusy(true);
    m_api->createInvitation(m_practiceId(), m_patientName, m_phone, m_email, this, [this](const ApiResult &result) {
        setBusy(false);
        if (result.ok()) {
            const QJsonObject conversation = result.body.value(QLatin1String("conversation")).toObject();
            const QString id = conversation.value(QLatin1String("id")).toString();
            if (m_sync)
                m_sync->applyConversationJson(conversation);
            emit created(id);
            return;
        }
        if (result.error.code == QLatin1String("duplicate_contact")) {
            m_duplicateConversationId = result.body.value(QLatin1String("conversationId")).toString();
            m_error = result.error.sentence.isEmpty() || result.error.serverMessage.isEmpty()
                ? QStringLiteral("This patient already has a conversation with your practice. Open it instead.")
                : result.error.serverMessage;
            emit errorsChanged();
            return;
        }
        if (result.error.kind == ApiError::Kind::RateLimited) {
            m_error = !result.error.serverMessage.isEmpty()
                ? result.error.serverMessage
                : QStringLiteral("Your practice has sent many invitations in the last hour. Wait a while, then try "
                                 "again.");
            m_error += QStringLiteral(" What you typed is kept.");
            emit errorsChanged();
            return;
        }
        applyRefusal(result);
    });
}

void InviteController::setChecking(bool checking)
{
    if (checking == m_checking)
        return;
    m_checking = checking;
    emit checkingChanged();
}

void InviteController::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

} // namespace larch
