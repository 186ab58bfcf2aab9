// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The signed-in account on this device (App.session): sign-in, the cached session, sign-out, the connection's state.
#pragma once

#include "core/protocol/Protocol.h"
#include "models/app/AccountStates.h"

#include <optional>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace larch {

class ApiClient;
class DeviceIdentity;
class LocalStore;
class SyncEngine;

/// Signs a person in (password, a joining patient's answer, or the session cached on the device), registers this
/// device, and ends the session on sign-out or when the server ends it. The other parts follow its signals.
class AccountSession : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The signed-in account is App.session.")
    /// The Larch server's address; http:// only for this computer. Saved on the device.
    Q_PROPERTY(QString serverUrl READ serverUrl WRITE setServerUrl NOTIFY serverUrlChanged)
    /// True while a session exists, also offline with a cached session.
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY signedInChanged)
    /// True while a sign-in is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// One sentence on what went wrong at sign-in (or why the session ended) and how to fix it; "" when none.
    Q_PROPERTY(QString signInError READ signInError NOTIFY signInErrorChanged)
    /// The event connection is up and caught up.
    Q_PROPERTY(bool online READ online NOTIFY onlineChanged)
    /// The offline banner's sentence; "" while online or signed out.
    Q_PROPERTY(QString offlineText READ offlineText NOTIFY offlineTextChanged)
    /// The signed-in user's name.
    Q_PROPERTY(QString userName READ userName NOTIFY userChanged)
    /// The signed-in user's role: Admin, Clinician or Patient; None when signed out.
    Q_PROPERTY(larch::AccountRole::Value userRole READ userRole NOTIFY userChanged)
    /// The password was right and the account has two-factor sign-in: submitCode() finishes the sign-in.
    Q_PROPERTY(bool codeNeeded READ codeNeeded NOTIFY codeNeededChanged)
    /// The practice requires two-factor sign-in and this account has none: the app shows enrolment, and nothing else,
    /// until enrolmentFinished().
    Q_PROPERTY(bool enrolmentRequired READ enrolmentRequired NOTIFY enrolmentRequiredChanged)
public:
    static constexpr auto DefaultServerUrl = "http://127.0.0.1:8080";

    /// The store must be open (or have failed to open, which signInError then says) before the session is made.
    AccountSession(LocalStore *store, ApiClient *api, SyncEngine *sync, DeviceIdentity *identity,
                   QObject *parent = nullptr);

    QString serverUrl() const { return m_serverUrl; }
    void setServerUrl(const QString &url);
    bool signedIn() const { return m_signedIn; }
    bool busy() const { return m_busy; }
    QString signInError() const { return m_signInError; }
    bool online() const;
    QString offlineText() const { return m_offlineText; }
    QString userName() const { return m_session ? m_session->user.name : QString(); }
    AccountRole::Value userRole() const;
    QString userId() const { return m_session ? m_session->user.id : QString(); }
    /// The user's practice (a patient's: the one that added them); "" when signed out.
    QString practiceId() const { return m_session ? m_session->user.practiceId : QString(); }
    bool isStaff() const { return m_session && m_session->user.isStaff(); }
    bool isAdmin() const { return m_session && m_session->user.isAdmin(); }
    /// The cached session is being read from the keychain (resumed() follows).
    bool isResuming() const { return m_resuming; }
    bool codeNeeded() const { return !m_challenge.isEmpty(); }
    bool enrolmentRequired() const { return m_enrolmentRequired; }

    Q_INVOKABLE void signIn(const QString &email, const QString &password);
    Q_INVOKABLE void signOut();
    /// The second step of a sign-in: the 6 digits of the authenticator app, or a recovery code.
    Q_INVOKABLE void submitCode(const QString &code);
    /// Back to email and password from the code step.
    Q_INVOKABLE void cancelCode();
    /// Two-factor sign-in was set up (TwoFactorSetup): the sign-in or the session goes on.
    Q_INVOKABLE void enrolmentFinished();
    /// Reconnects now instead of waiting for the next retry.
    Q_INVOKABLE void retryNow();
    /// Starts a session from a sign-in answer ({"token","expiresAt","user"}): keychain, device, sync.
    /// Progress and errors show in busy and signInError, like a password sign-in.
    void adoptSession(const QJsonObject &body);
    /// Signs in with the session cached on this device, offline too, once the keychain gives its keys.
    void resume();
    /// Shows sentence on the sign-in page (e.g. why the lock signed out).
    void setSignInError(const QString &error);
    /// Saves this device's state (active or pending approval) for the next start.
    void rememberDeviceState();

signals:
    void serverUrlChanged();
    void codeNeededChanged();
    void enrolmentRequiredChanged();
    /// A password sign-in succeeded with password (the idle lock keeps a hash of it to unlock with).
    void passwordAccepted(const QString &password);
    void signedInChanged();
    void busyChanged();
    void signInErrorChanged();
    void onlineChanged();
    void offlineTextChanged();
    void userChanged();
    /// The storage key opened the device's store: the outbox and drafts can be read.
    void storageOpened();
    /// A session begins for this user; signedIn turns true right after.
    void starting(const larch::Session &session);
    /// The session has begun and sync is starting.
    void started();
    /// The session is about to end: what is typed is saved, the open conversation closes.
    void leaving();
    /// The account's data left the device (sign-out, another account, or this device was removed).
    void accountDataCleared();
    /// The session ended; signedIn turns false right after.
    void ended();
    /// The cached session was read, or could not be (resume()).
    void resumed();

private:
    void finishSignIn(const Session &session);
    void registerDevice();
    void startSession(const Session &session);
    /// Ends the session and removes the account's data from the device.
    void dropAccount(const QString &sentence);
    /// Ends the session and keeps the cache (drafts, outbox) for when the same person signs in again.
    void endSession(const QString &sentence);
    void setSignedIn(bool signedIn);
    void setBusy(bool busy);
    void setChallenge(const QString &challenge);
    /// Asks the server whether the practice now requires two-factor sign-in of this account (enrolmentRequired).
    void checkEnrolment();
    void setEnrolmentRequired(bool required);
    void updateOfflineText();

    LocalStore *m_store;
    ApiClient *m_api;
    SyncEngine *m_sync;
    DeviceIdentity *m_identity;
    std::optional<Session> m_session;
    QString m_serverUrl;
    QString m_signInError;
    QString m_offlineText;
    QString m_challenge; ///< of a sign-in waiting for its code
    QString m_pendingPassword; ///< of that sign-in, for passwordAccepted once the code is right
    std::optional<Session> m_enrolling; ///< a sign-in waiting for two-factor enrolment
    bool m_enrolmentRequired = false;
    bool m_resuming = false;
    bool m_deviceRegistered = false;
    bool m_signedIn = false;
    bool m_busy = false;
    bool m_lastOnline = false;
};

} // namespace larch
