// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The "Text Message (SMS)" and "Email" forms of '+': a contact (and optional name), checked live, then created.
#pragma once

#include "models/conversations/ConversationStates.h"

#include <functional>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace larch {

class ApiClient;
class SyncEngine;
struct ApiResult;

/// Owns the form's state: what was typed (never cleared by an error), the server's live check of the contact
/// and the outcome of creating the standard conversation.
class StandardConversationForm : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The standard conversation form belongs to App.standardForm.")
    /// Sms (a mobile number) or Email.
    Q_PROPERTY(larch::Channel::Value channel READ channel NOTIFY channelChanged)
    /// The patient's name as typed; optional (the contact names the conversation without one).
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY nameChanged)
    /// The phone number (Sms) or email address (Email) as typed.
    Q_PROPERTY(QString contact READ contact WRITE setContact NOTIFY contactChanged)
    /// The contact as the server reads it, e.g. "(201) 555-0123"; "" until checked.
    Q_PROPERTY(QString contactDisplay READ contactDisplay NOTIFY checkChanged)
    /// A sentence on what is wrong with the contact and how to fix it (including a landline for SMS); "" when
    /// nothing is.
    Q_PROPERTY(QString contactError READ contactError NOTIFY errorsChanged)
    /// Advice that does not stop creating, e.g. the practice already has a secure conversation with this contact.
    Q_PROPERTY(QString warning READ warning NOTIFY checkChanged)
    /// A live check is in flight.
    Q_PROPERTY(bool checking READ checking NOTIFY checkingChanged)
    /// The standard conversation that already exists for this contact after a duplicate refusal; "" otherwise.
    Q_PROPERTY(QString duplicateConversationId READ duplicateConversationId NOTIFY errorsChanged)
    /// Creating is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// A sentence on why creating failed and what to do; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY errorsChanged)
    /// The form has what creating needs and no contact error.
    Q_PROPERTY(bool canCreate READ canCreate NOTIFY canCreateChanged)
public:
    static constexpr int CheckDelayMs = 400;

    /// practiceId answers the signed-in staff member's practice.
    StandardConversationForm(ApiClient *api, SyncEngine *sync, std::function<QString()> practiceId,
                             QObject *parent = nullptr);

    Channel::Value channel() const { return m_channel; }
    QString name() const { return m_name; }
    void setName(const QString &name);
    QString contact() const { return m_contact; }
    void setContact(const QString &contact);
    QString contactDisplay() const { return m_contactDisplay; }
    QString contactError() const { return m_contactError; }
    QString warning() const { return m_warning; }
    bool checking() const { return m_checking; }
    QString duplicateConversationId() const { return m_duplicateConversationId; }
    bool busy() const { return m_busy; }
    QString error() const { return m_error; }
    bool canCreate() const;

    /// Empties the form for a new conversation of that channel ("sms" or "email"; anything else reads as "sms").
    Q_INVOKABLE void reset(const QString &channel);
    /// Checks now instead of after the typing pause (used on leaving the field).
    Q_INVOKABLE void checkNow();
    /// Creates the conversation; created() or error follows.
    Q_INVOKABLE void create();

signals:
    void channelChanged();
    void nameChanged();
    void contactChanged();
    void errorsChanged();
    void checkChanged();
    void checkingChanged();
    void busyChanged();
    void canCreateChanged();
    /// The conversation exists (it is in the list already): the screen opens it.
    void created(const QString &conversationId);

private:
    bool isSms() const { return m_channel == Channel::Sms; }
    void applyCheck(const ApiResult &result);
    void setChecking(bool checking);
    void setBusy(bool busy);
    void clearCheck();
    void updateCanCreate();

    ApiClient *m_api;
    SyncEngine *m_sync;
    std::function<QString()> m_practiceId;
    QTimer m_debounce;
    Channel::Value m_channel = Channel::Sms;
    QString m_name, m_contact;
    QString m_contactDisplay, m_contactError, m_warning, m_error, m_duplicateConversationId;
    quint64 m_checkGeneration = 0; ///< only the answer to the latest typing counts
    quint64 m_editGeneration = 0; ///< a create answer counts only for the contact it was made with
    bool m_checking = false;
    bool m_busy = false;
    bool m_canCreate = false;
};

} // namespace larch
