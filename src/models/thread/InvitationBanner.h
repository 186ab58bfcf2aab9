// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The open thread's invitation, for the "Hasn't Created an Account" banner at the top of the thread.
#pragma once

#include "models/conversations/ConversationStates.h"
#include "models/thread/MessageStates.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace larch {

class ApiClient;
struct ApiResult;

/// Follows the invitation of the open conversation: fetched when a staff member opens a thread whose patient was
/// invited, kept current by invitation.updated events, hidden the moment the patient creates the account.
class InvitationBanner : public QObject {
    Q_OBJECT
    // Named apart from the InvitationBanner.qml control of the Larch module, which shows it.
    QML_NAMED_ELEMENT(ThreadInvitation)
    QML_UNCREATABLE("The invitation banner belongs to App.invitation.")
    /// The banner is on show: the open conversation's patient was invited and hasn't created an account.
    Q_PROPERTY(bool shown READ shown NOTIFY changed)
    /// The invited patient's name.
    Q_PROPERTY(QString patientName READ patientName NOTIFY changed)
    /// The invited mobile number as typed by the practice (E.164) and formatted for display.
    Q_PROPERTY(QString phone READ phone NOTIFY changed)
    Q_PROPERTY(QString phoneDisplay READ phoneDisplay NOTIFY changed)
    /// The invited email address.
    Q_PROPERTY(QString email READ email NOTIFY changed)
    /// Sms or Email: how the invitation travels; None while there is no invitation.
    Q_PROPERTY(larch::Channel::Value channel READ channel NOTIFY changed)
    /// The delivery: Queued, Sent, Delivered or Failed; None while not known.
    Q_PROPERTY(larch::DeliveryState::Value deliveryState READ deliveryState NOTIFY changed)
    /// One line on the delivery, e.g. "Invitation delivered by SMS to (201) 555-0123." or the failure's reason.
    Q_PROPERTY(QString stateLine READ stateLine NOTIFY changed)
    /// A resend or edit is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// A sentence on why a resend or edit failed and what to do; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
public:
    explicit InvitationBanner(ApiClient *api, QObject *parent = nullptr);

    bool shown() const;
    QString patientName() const { return str("patientName"); }
    QString phone() const { return str("phone"); }
    QString phoneDisplay() const;
    QString email() const { return str("email"); }
    Channel::Value channel() const { return Channel::fromName(str("channel")); }
    DeliveryState::Value deliveryState() const;
    QString stateLine() const { return stateLineOf(m_invitation); }
    bool busy() const { return m_busy; }
    QString error() const { return m_error; }
    QString invitationId() const { return str("id"); }
    QString conversationId() const { return m_conversationId; }

    /// The delivery line for an invitation's JSON (shared with tests so both agree on the words).
    static QString stateLineOf(const QJsonObject &invitation);

    /// The open conversation changed: fetches its invitation when invitationState is "pending" and the user is
    /// staff; otherwise hides.
    void setConversation(const QString &conversationId, const QString &invitationState, bool isStaff);
    /// An invitation.updated event (or a fresh copy): applies it when it belongs to the open conversation.
    void applyInvitation(const QJsonObject &invitation);

    /// Sends the invitation again with a new link.
    Q_INVOKABLE void resendInvite();
    /// Changes the name and contact and sends to the new contact; fields left as they are are not sent.
    Q_INVOKABLE void editContact(const QString &patientName, const QString &phone, const QString &email);

signals:
    void changed();
    void busyChanged();
    void errorChanged();
    /// A resend or edit went through.
    void saved();

private:
    QString str(const char *key) const { return m_invitation.value(QLatin1String(key)).toString(); }
    void finishAction(const ApiResult &result);
    void setBusy(bool busy);
    void setError(const QString &error);

    ApiClient *m_api;
    QString m_conversationId;
    QJsonObject m_invitation;
    quint64 m_generation = 0;
    bool m_busy = false;
    QString m_error;
};

} // namespace larch
