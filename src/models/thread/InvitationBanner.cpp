// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/thread/InvitationBanner.h"

#include "client/net/ApiClient.h"

namespace larch {

InvitationBanner::InvitationBanner(ApiClient *api, QObject *parent) : QObject(parent), m_api(api) { }

bool InvitationBanner::shown() const { return !m_invitation.isEmpty() && str("state") == QLatin1String("pending"); }

QString InvitationBanner::phoneDisplay() const
{
    const QString display = str("phoneDisplay");
    return display.isEmpty() ? phone() : display;
}

DeliveryState::Value InvitationBanner::deliveryState() const
{
    return DeliveryState::fromName(
        m_invitation.value(QLatin1String("delivery")).toObject().value(QLatin1String("state")).toString());
}

QString InvitationBanner::stateLineOf(const QJsonObject &invitation)
{
    const QJsonObject delivery = invitation.value(QLatin1String("delivery")).toObject();
    const QString state = delivery.value(QLatin1String("state")).toString();
    const bool sms = invitation.value(QLatin1String("channel")).toString() == QLatin1String("sms");
    QString to = sms ? invitation.value(QLatin1String("phoneDisplay")).toString()
                     : invitation.value(QLatin1String("email")).toString();
    if (to.isEmpty() && sms)
        to = invitation.value(QLatin1String("phone")).toString();
    const QString by = sms ? QStringLiteral("by SMS") : QStringLiteral("by email");
    const QString target = to.isEmpty() ? by : QStringLiteral("%1 to %2").arg(by, to);
    if (state == QLatin1String("queued"))
        return QStringLiteral("Invitation queued %1.").arg(target);
    if (state == QLatin1String("sent"))
        return QStringLiteral("Invitation sent %1.").arg(target);
    if (state == QLatin1String("delivered"))
        return QStringLiteral("Invitation delivered %1.").arg(target);
    if (state == QLatin1String("failed")) {
        QString detail = delivery.value(QLatin1String("detail")).toString().trimmed();
        if (detail.isEmpty())
            detail = QStringLiteral("It could not be delivered.");
        return QStringLiteral("Invitation failed: %1 Check the contact with \"Edit contact\", then resend.")
            .arg(detail.endsWith(u'.') ? detail : detail + u'.');
    }
    return {};
}

void InvitationBanner::setConversation(const QString &conversationId, const QString &invitationState, bool isStaff)
{
    ++m_generation;
    const bool sameConversation = conversationId == m_conversationId;
    m_conversationId = conversationId;
    if (!sameConversation)
        m_invitation = {};
    setError({});
    if (conversationId.isEmpty() || !isStaff || invitationState != QLatin1String("pending")) {
        if (!m_invitation.isEmpty() && invitationState != QLatin1String("pending")) {
            m_invitation.insert(QStringLiteral("state"), invitationState);
        }
        emit changed();
        return;
    }
    emit changed();
    const quint64 generation = m_generation;
    m_api->fetchInvitation(conversationId, this, [this, generation](const ApiResult &result) {
        if (generation != m_generation || !result.ok())
            return; // a failed fetch leaves the banner hidden; the next event or opening brings it
        applyInvitation(result.body);
    });
}

void InvitationBanner::applyInvitation(const QJsonObject &invitation)
{
    if (m_conversationId.isEmpty() || invitation.value(QLatin1String("conversationId")).toString() != m_conversationId)
        return;
    m_invitation = invitation;
    emit changed();
}

void InvitationBanner::resendInvite()
{
    if (m_busy || invitationId().isEmpty())
        return;
    setError({});
    setBusy(true);
    m_api->resendInvitation(invitationId(), this, [this](const ApiResult &result) { finishAction(result); });
}

void InvitationBanner::editContact(const QString &patientName, const QString &phone, const QString &email)
{
    if (m_busy || invitationId().isEmpty())
        return;
    QJsonObject changes;
    if (!patientName.trimmed().isEmpty() && patientName.trimmed() != this->patientName())
        changes.insert(QStringLiteral("patientName"), patientName.trimmed());
    if (phone.trimmed() != this->phone() && phone.trimmed() != phoneDisplay())
        changes.insert(QStringLiteral("phone"), phone.trimmed());
    if (email.trimmed() != this->email())
        changes.insert(QStringLiteral("email"), email.trimmed());
    if (changes.isEmpty()) {
        emit saved();
        return;
    }
    setError({});
    setBusy(true);
    m_api->editInvitation(invitationId(), changes, this, [this](const ApiResult &result) { finishAction(result); });
}

void InvitationBanner::finishAction(const ApiResult &result)
{
    setBusy(false);
    if (!result.ok()) {
        setError(result.error.sentence);
        return;
    }
    applyInvitation(result.body);
    emit saved();
}

void InvitationBanner::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

void InvitationBanner::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    emit errorChanged();
}

} // namespace larch
