// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The "Secure Conversation" form: a patient's name, mobile phone and/or email, checked live, then invited.
#pragma once

#include <functional>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>
#include <QVariantList>

namespace larch {

class ApiClient;
class SyncEngine;
struct ApiResult;

/// Owns the form's state: what was typed (never cleared by an error), the server's live check of the contact
/// (formatted number, landline warning, conversations that already exist) and the outcome of creating it.
class InviteController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The Secure Conversation form belongs to App.invite.")
    /// The patient's name as typed.
    Q_PROPERTY(QString patientName READ patientName WRITE setPatientName NOTIFY patientNameChanged)
    /// The mobile phone number as typed (national or international form).
    Q_PROPERTY(QString phone READ phone WRITE setPhone NOTIFY phoneChanged)
    /// The email address as typed.
    Q_PROPERTY(QString email READ email WRITE setEmail NOTIFY emailChanged)
    /// A sentence on what is wrong with the name; "" when nothing is.
    Q_PROPERTY(QString nameError READ nameError NOTIFY errorsChanged)
    /// A sentence on what is wrong with the phone number and how to fix it; "" when nothing is.
    Q_PROPERTY(QString phoneError READ phoneError NOTIFY errorsChanged)
    /// A sentence on what is wrong with the email address and how to fix it; "" when nothing is.
    Q_PROPERTY(QString emailError READ emailError NOTIFY errorsChanged)
    /// A sentence when the number is valid but cannot take SMS (a landline); the invitation then goes by email.
    Q_PROPERTY(QString phoneWarning READ phoneWarning NOTIFY checkChanged)
    /// The number as the server formats it, e.g. "(201) 555-0123"; "" until checked.
    Q_PROPERTY(QString phoneDisplay READ phoneDisplay NOTIFY checkChanged)
    /// Conversations the practice already has with this contact: [{conversationId, title, state (ContactMatch)}].
    Q_PROPERTY(QVariantList matches READ matches NOTIFY checkChanged)
    /// A live check is in flight.
    Q_PROPERTY(bool checking READ checking NOTIFY checkingChanged)
    /// Creating the conversation is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// A sentence on why creating failed and what to do; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY errorsChanged)
    /// The conversation that already exists for this contact after a duplicate refusal; "" otherwise.
    Q_PROPERTY(QString duplicateConversationId READ duplicateConversationId NOTIFY errorsChanged)
    /// The form has what creating needs and no field error.
    Q_PROPERTY(bool canCreate READ canCreate NOTIFY canCreateChanged)
public:
    static constexpr int CheckDelayMs = 400;

    /// practiceId answers the signed-in staff member's practice.
    InviteController(ApiClient *api, SyncEngine *sync, std::function<QString()> practiceId, QObject *parent = nullptr);

    QString patientName() const { return m_patientName; }
    void setPatientName(const QString &name);
    QString phone() const { return m_phone; }
    void setPhone(const QString &phone);
    QString email() const { return m_email; }
    void setEmail(const QString &email);
    QString nameError() const { return m_nameError; }
    QString phoneError() const { return m_phoneError; }
    QString emailError() const { return m_emailError; }
    QString phoneWarning() const { return m_phoneWarning; }
    QString phoneDisplay() const { return m_phoneDisplay; }
    QVariantList matches() const { return m_matches; }
    bool checking() const { return m_checking; }
    bool busy() const { return m_busy; }
    QString error() const { return m_error; }
    QString duplicateConversationId() const { return m_duplicateConversationId; }
    bool canCreate() const;

    /// Empties the form for a new patient.
    Q_INVOKABLE void reset();
    /// Checks now instead of after the typing pause (used on leaving a field).
    Q_INVOKABLE void checkNow();
    /// Creates the conversation and sends the invitation; created() or error follows.
    Q_INVOKABLE void create();

signals:
    void patientNameChanged();
    void phoneChanged();
    void emailChanged();
    void errorsChanged();
    void checkChanged();
    void checkingChanged();
    void busyChanged();
    void canCreateChanged();
    /// The conversation exists and its invitation is on its way: the screen opens it.
    void created(const QString &conversationId);

private:
    void contactEdited();
    void applyCheck(const ApiResult &result);
    void checkEmailAlone(quint64 generation);
    /// Puts a server refusal on the field it names, or in error.
    void applyRefusal(const ApiResult &result);
    void setChecking(bool checking);
    void setBusy(bool busy);
    void clearCheck();

    ApiClient *m_api;
    SyncEngine *m_sync;
    std::function<QString()> m_practiceId;
    QTimer m_debounce;
    QString m_patientName, m_phone, m_email;
    QString m_nameError, m_phoneError, m_emailError, m_error, m_duplicateConversationId;
    QString m_phoneWarning, m_phoneDisplay;
    QVariantList m_matches;
    quint64 m_checkGeneration = 0; ///< only the answer to the latest typing counts
    bool m_checking = false;
    bool m_busy = false;
    bool m_canCreate = false;
};

} // namespace larch
