// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The open standard (SMS/email) conversation: its contact, consent and opt-out, and upgrading it to a secure one.
#pragma once

#include "client/store/LocalStore.h"
#include "models/conversations/ConversationStates.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace larch {

class ApiClient;
class SyncEngine;
struct ApiResult;

/// Follows the open conversation for the thread's standard banner, consent strip, opted-out strip and ⋮ menu;
/// everything reads "not standard" while a secure conversation (or none) is open.
class StandardThread : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The open standard conversation is App.standard.")
    /// The open conversation is a standard one (SMS or email): not end-to-end encrypted.
    Q_PROPERTY(bool isStandard READ isStandard NOTIFY changed)
    /// Sms or Email for a standard conversation; Secure otherwise (None when none is open).
    Q_PROPERTY(larch::Channel::Value channel READ channelValue NOTIFY changed)
    /// The number or email as people write it, e.g. "(201) 555-0123"; "" when not standard.
    Q_PROPERTY(QString contactDisplay READ contactDisplay NOTIFY changed)
    /// Staff recorded the patient's consent to unencrypted messages.
    Q_PROPERTY(bool consentRecorded READ consentRecorded NOTIFY changed)
    /// Who recorded consent, how and when, e.g. "Verbal consent recorded by Ana Ruiz on 3 Nov"; "" without consent.
    Q_PROPERTY(QString consentText READ consentText NOTIFY changed)
    /// The note staff wrote with the consent; "" when none.
    Q_PROPERTY(QString consentNote READ consentNote NOTIFY changed)
    /// The SMS number replied STOP: nothing can be texted to it until it replies START.
    Q_PROPERTY(bool optedOut READ optedOut NOTIFY changed)
    /// A sentence for the opted-out strip, e.g. "This number replied STOP on 3 Nov. …"; "" when not opted out.
    Q_PROPERTY(QString optedOutText READ optedOutText NOTIFY changed)
    /// Messages can be sent now: true for secure conversations; for standard ones consent and no opt-out.
    Q_PROPERTY(bool canSend READ canSend NOTIFY changed)
    /// The sentence over the compose bar when !canSend (no consent yet, or STOP); "" when sending is possible.
    Q_PROPERTY(QString blockedReason READ blockedReason NOTIFY changed)
    /// The secure conversation "Invite to Secure Conversation" made from this one; "" when none yet.
    Q_PROPERTY(QString secureConversationId READ secureConversationId NOTIFY changed)
    /// Recording consent or inviting is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// Why recording consent or inviting failed, and what to do; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
public:
    StandardThread(ApiClient *api, SyncEngine *sync, QObject *parent = nullptr);

    /// The open conversation changed or was updated (nullptr: none open).
    void setConversation(const ConversationSummary *conversation);
    QString conversationId() const { return m_conversation.id; }

    bool isStandard() const { return m_conversation.isStandard(); }
    Channel::Value channelValue() const;
    /// channel's name, "sms", "email", "secure" or "", for C++ that reads it as text.
    QString channel() const { return Channel::name(channelValue()); }
    QString contactDisplay() const;
    bool consentRecorded() const;
    QString consentText() const;
    QString consentNote() const;
    bool optedOut() const;
    QString optedOutText() const;
    bool canSend() const { return blockedReason().isEmpty(); }
    QString blockedReason() const;
    QString secureConversationId() const;
    bool busy() const { return m_busy; }
    QString error() const { return m_error; }

    /// Why this text cannot be sent in that conversation now ("" when it can; body "" asks about the
    /// conversation alone): the compose bar's check.
    QString refusalFor(const QString &conversationId, const QString &body) const;

    /// Records the patient's consent: method "verbal", "written" or "patient_initiated"; note optional.
    Q_INVOKABLE void recordConsent(const QString &method, const QString &note);
    /// Sends the contact an invitation to a secure conversation and creates it; secureConversationReady follows.
    Q_INVOKABLE void inviteToSecure();

    /// "3 Nov" this year, "3 Nov 2023" before: how consent and opt-out dates read.
    static QString dateText(qint64 ms);

signals:
    void changed();
    void busyChanged();
    void errorChanged();
    /// Consent was recorded (the dialog can close).
    void consentSaved();
    /// The secure conversation exists (new, or the one the practice already had with this contact): open it.
    void secureConversationReady(const QString &conversationId);

private:
    void setBusy(bool busy);
    void setError(const QString &error);
    /// Takes a started action's answer only while the same conversation is open.
    bool stillCurrent(quint64 generation, const QString &conversationId) const;

    ApiClient *m_api;
    SyncEngine *m_sync;
    ConversationSummary m_conversation;
    quint64 m_generation = 0;
    bool m_busy = false;
    QString m_error;
};

} // namespace larch
