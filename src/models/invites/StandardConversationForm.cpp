// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/invites/StandardConversationForm.h"

#include "client/net/ApiClient.h"
#include "client/sync/SyncEngine.h"

#include <QJsonArray>

namespace larch {

StandardConversationForm::StandardConversationForm(ApiClient *api, SyncEngine *sync,
                                                   std::function<QString()> practiceId, QObject *parent)
    : QObject(parent), m_api(api), m_sync(sync), m_practiceId(std::move(practiceId))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(CheckDelayMs);
    connect(&m_debounce, &QTimer::timeout, this, &StandardConversationForm::checkNow);
    for (auto signal : {&StandardConversationForm::contactChanged, &StandardConversationForm::errorsChanged,
                        &StandardConversationForm::busyChanged})
        connect(this, signal, this, &StandardConversationForm::updateCanCreate);
}

bool StandardConversationForm::canCreate() const
{
    return !m_busy && !m_contact.trimmed().isEmpty() && m_contactError.isEmpty();
}

void StandardConversationForm::updateCanCreate()
{
    const bool can = canCreate();
    if (can != m_canCreate) {
        m_canCreate = can;
        emit canCreateChanged();
    }
}

void StandardConversationForm::setName(const QString &name)
{
    if (name == m_name)
        return;
    m_name = name;
    emit nameChanged();
}

void StandardConversationForm::setContact(const QString &contact)
{
    if (contact == m_contact)
        return;
    m_contact = contact;
    emit contactChanged();
    // A sentence about the old contact would be wrong about the new one.
    ++m_checkGeneration;
    ++m_editGeneration;
    m_contactError.clear();
    m_error.clear();
    m_duplicateConversationId.clear();
    emit errorsChanged();
    clearCheck();
    setChecking(false);
    if (m_contact.trimmed().isEmpty())
        m_debounce.stop();
    else
        m_debounce.start();
}

void StandardConversationForm::clearCheck()
{
    if (m_contactDisplay.isEmpty() && m_warning.isEmpty())
        return;
    m_contactDisplay.clear();
    m_warning.clear();
    emit checkChanged();
}

void StandardConversationForm::reset(const QString &channel)
{
    m_debounce.stop();
    ++m_checkGeneration;
    ++m_editGeneration;
    const Channel::Value next = channel == QLatin1String("email") ? Channel::Email : Channel::Sms;
    if (next != m_channel) {
        m_channel = next;
        emit channelChanged();
    }
    m_name.clear();
    m_contact.clear();
    m_contactError.clear();
    m_error.clear();
    m_duplicateConversationId.clear();
    clearCheck();
    setChecking(false);
    emit nameChanged();
    emit contactChanged();
    emit errorsChanged();
}

void StandardConversationForm::checkNow()
{
    m_debounce.stop();
    if (m_contact.trimmed().isEmpty())
        return;
    const quint64 generation = ++m_checkGeneration;
    setChecking(true);
    const QString phone = isSms() ? m_contact : QString();
    const QString email = isSms() ? QString() : m_contact;
    m_api->checkContact(m_practiceId(), phone, email, this, [this, generation](const ApiResult &result) {
        if (generation != m_checkGeneration)
            return;
        setChecking(false);
        applyCheck(result);
    });
}

void StandardConversationForm::applyCheck(const ApiResult &result)
{
    if (!result.ok()) {
        // Offline or busy: the check is only advice; creating says what is wrong for sure.
        if (result.httpStatus == 400) {
            m_contactError = result.error.sentence;
            emit errorsChanged();
        }
        return;
    }
    if (isSms()) {
        const QJsonObject phone = result.body.value(QLatin1String("phone")).toObject();
        m_contactDisplay = phone.value(QLatin1String("display")).toString();
        if (phone.value(QLatin1String("type")).toString() == QLatin1String("landline")) {
            const QString warning = phone.value(QLatin1String("warning")).toString();
            m_contactError = !warning.isEmpty()
                ? warning
                : QStringLiteral("This number is a landline, which cannot receive text messages. Enter a mobile "
                                 "number, or start an email conversation instead.");
            emit errorsChanged();
        }
    } else {
        m_contactDisplay =
            result.body.value(QLatin1String("email")).toObject().value(QLatin1String("address")).toString();
    }
    m_warning.clear();
    const QJsonArray matches = result.body.value(QLatin1String("matches")).toArray();
    if (!matches.isEmpty()) {
        const QString title = matches.first().toObject().value(QLatin1String("title")).toString();
        m_warning = QStringLiteral("Your practice already has a secure conversation with this contact%1. Writing "
                                   "there keeps the messages end-to-end encrypted.")
                        .arg(title.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(title));
    }
    emit checkChanged();
}

void StandardConversationForm::create()
{
    if (m_busy)
        return;
    if (m_contact.trimmed().isEmpty()) {
        m_contactError = isSms() ? QStringLiteral("Enter the patient's mobile phone number.")
                                 : QStringLiteral("Enter the patient's email address.");
        emit errorsChanged();
        return;
    }
    m_error.clear();
    m_duplicateConversationId.clear();
    emit errorsChanged();
    setBusy(true);
    const quint64 generation = m_editGeneration;
    m_api->createStandardConversation(
        m_practiceId(), Channel::name(m_channel), m_contact, m_name, this, [this, generation](const ApiResult &result) {
            setBusy(false);
            if (generation != m_editGeneration)
                return; // the form was reset or edited meanwhile
            if (result.ok()) {
                const QString id = result.body.value(QLatin1String("id")).toString();
                if (id.isEmpty() || (m_sync && !m_sync->applyConversationJson(result.body))) {
                    m_error = ErrorText::badResponse();
                    emit errorsChanged();
                    return;
                }
                emit created(id);
                return;
            }
            if (result.error.code == QLatin1String("duplicate_contact")) {
                m_duplicateConversationId = result.body.value(QLatin1String("conversationId")).toString();
                m_error = !result.error.serverMessage.isEmpty()
                    ? result.error.serverMessage
                    : QStringLiteral("Your practice already has a conversation with this contact. Open it instead.");
            } else if (result.error.code == QLatin1String("invalid_field")
                       || result.error.code == QLatin1String("missing_field")) {
                const QString field =
                    result.body.value(QLatin1String("error")).toObject().value(QLatin1String("field")).toString();
                if (field == QLatin1String("name"))
                    m_error = result.error.sentence;
                else
                    m_contactError = result.error.sentence;
            } else {
                // Whatever failed, the form keeps what was typed: say so, so nobody retypes it.
                m_error = result.error.sentence + QStringLiteral(" What you typed is kept.");
            }
            emit errorsChanged();
        });
}

void StandardConversationForm::setChecking(bool checking)
{
    if (checking == m_checking)
        return;
    m_checking = checking;
    emit checkingChanged();
}

void StandardConversationForm::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

} // namespace larch
