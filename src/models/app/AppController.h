// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The app's single entry point for QML (the "App" singleton): session, connection state and the open conversation.
#pragma once

#include "client/store/LocalStore.h"
#include "models/app/AccountStates.h"

#include <memory>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QVariantList>

namespace larch {

class ApiClient;
class AttachmentImages;
class AttachmentTempFiles;
class AttachmentViewer;
class SyncEngine;
class ConversationListModel;
class ConversationFilterModel;
class ThreadModel;
class ComposeController;
class DeviceIdentity;
class PendingDeviceModel;
class RecoveryBackup;
class InviteController;
class InvitationBanner;
class InvitationTextEditor;
class PatientOnboarding;
class PracticeLinks;
class StandardThread;
class StandardConversationForm;

/// Wires store, network and models together; QML sees it as the singleton App of Larch.Models (AppSingleton.h).
class AppController : public QObject {
    Q_OBJECT
    // The types of the parts below, for moc (the header only declares them).
    Q_MOC_INCLUDE("models/attachments/AttachmentViewer.h")
    Q_MOC_INCLUDE("models/compose/ComposeController.h")
    Q_MOC_INCLUDE("models/conversations/ConversationFilterModel.h")
    Q_MOC_INCLUDE("models/invites/InvitationTextEditor.h")
    Q_MOC_INCLUDE("models/invites/InviteController.h")
    Q_MOC_INCLUDE("models/invites/PatientOnboarding.h")
    Q_MOC_INCLUDE("models/invites/StandardConversationForm.h")
    Q_MOC_INCLUDE("models/practicelinks/PracticeLinks.h")
    Q_MOC_INCLUDE("models/security/PendingDeviceModel.h")
    Q_MOC_INCLUDE("models/thread/InvitationBanner.h")
    Q_MOC_INCLUDE("models/thread/StandardThread.h")
    Q_MOC_INCLUDE("models/thread/ThreadModel.h")
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
    Q_PROPERTY(larch::AccountRole::Value userRole READ userRoleValue NOTIFY userChanged)
    /// The conversation list the screens show.
    Q_PROPERTY(larch::ConversationFilterModel *conversations READ filterModel CONSTANT)
    /// The open conversation's messages.
    Q_PROPERTY(larch::ThreadModel *thread READ threadModel CONSTANT)
    /// The open conversation's compose bar.
    Q_PROPERTY(larch::ComposeController *compose READ composeController CONSTANT)
    /// Opening, saving and cancelling the files of messages.
    Q_PROPERTY(larch::AttachmentViewer *attachments READ attachmentViewer CONSTANT)
    /// The open conversation's id; "" when none is open.
    Q_PROPERTY(QString currentConversationId READ currentConversationId NOTIFY currentConversationChanged)
    /// The open conversation's title.
    Q_PROPERTY(QString currentConversationTitle READ currentConversationTitle NOTIFY currentConversationChanged)
    /// True when the open conversation is end-to-end encrypted ("secure").
    Q_PROPERTY(bool currentConversationSecure READ currentConversationSecure NOTIFY currentConversationChanged)
    /// This device: None (no device yet, or signed out), Active, Pending (a staff device waiting for a
    /// colleague's approval) or KeychainUnavailable (signInError then says what to do).
    Q_PROPERTY(larch::DeviceState::Value deviceState READ deviceStateValue NOTIFY deviceStateChanged)
    /// This device's name as the account's other devices see it, e.g. "Desktop (hostname)".
    Q_PROPERTY(QString deviceName READ deviceName NOTIFY deviceStateChanged)
    /// Staff devices waiting for approval that this approved staff device may approve.
    Q_PROPERTY(larch::PendingDeviceModel *pendingDevices READ pendingDeviceModel CONSTANT)
    /// The last error sentence of an approve, decline or recovery key action; "" when none.
    Q_PROPERTY(QString deviceError READ deviceError NOTIFY deviceErrorChanged)
    /// A key backup exists on the server for this user (a recovery key was made).
    Q_PROPERTY(bool hasRecoveryKey READ hasRecoveryKey NOTIFY hasRecoveryKeyChanged)
    /// The "Secure Conversation" form.
    Q_PROPERTY(larch::InviteController *invite READ inviteController CONSTANT)
    /// The open conversation's invitation for the "Hasn't Created an Account" banner.
    Q_PROPERTY(larch::InvitationBanner *invitation READ invitationBanner CONSTANT)
    /// The practice's invitation text, for administrators.
    Q_PROPERTY(larch::InvitationTextEditor *invitationText READ invitationTextEditor CONSTANT)
    /// A patient joining with a code.
    Q_PROPERTY(larch::PatientOnboarding *onboarding READ patientOnboarding CONSTANT)
    /// The practice's Practice Links, for staff.
    Q_PROPERTY(larch::PracticeLinks *practiceLinks READ practiceLinksController CONSTANT)
    /// The open conversation when it is a standard (SMS/email) one: consent, opt-out, invite.
    Q_PROPERTY(larch::StandardThread *standard READ standardThread CONSTANT)
    /// The "Text Message (SMS)" / "Email" form of '+'.
    Q_PROPERTY(larch::StandardConversationForm *standardForm READ standardConversationForm CONSTANT)
    /// An invitation link the app was opened with (larch://invite/<token>) waits on the sign-in screen.
    Q_PROPERTY(bool invitationLinkOpened READ invitationLinkOpened NOTIFY invitationLinkOpenedChanged)
    /// One sentence when an invitation link arrived while someone is signed in (it cannot be used then); "" when none.
    Q_PROPERTY(QString invitationNotice READ invitationNotice NOTIFY invitationNoticeChanged)
public:
    static constexpr auto DefaultServerUrl = "http://127.0.0.1:8080";

    /// dataDir "" means $LARCH_CLIENT_DATA_DIR, else the platform's app data folder.
    explicit AppController(const QString &dataDir = {}, QObject *parent = nullptr);
    ~AppController() override;

    QString serverUrl() const { return m_serverUrl; }
    void setServerUrl(const QString &url);
    bool signedIn() const { return m_signedIn; }
    bool busy() const { return m_busy; }
    QString signInError() const { return m_signInError; }
    bool online() const;
    QString offlineText() const { return m_offlineText; }
    QString userName() const { return m_session ? m_session->user.name : QString(); }
    AccountRole::Value userRoleValue() const { return AccountRole::fromName(userRole()); }
    /// userRole's name, "admin", "clinician", "patient" or "", for C++ that reads it as text.
    QString userRole() const { return m_session ? m_session->user.role : QString(); }
    QString userId() const { return m_session ? m_session->user.id : QString(); }
    // The parts QML reads (conversations … standardForm) also as QObject, for C++ that reads them without their
    // headers (app/, tools/); the typed accessors below are what QML reads.
    QObject *conversations() const;
    QObject *thread() const;
    QObject *compose() const;
    QObject *attachments() const;
    QString currentConversationId() const { return m_currentConversationId; }
    QString currentConversationTitle() const;
    bool currentConversationSecure() const;
    DeviceState::Value deviceStateValue() const;
    /// deviceState's name, "active", "pending", "keychainUnavailable" or "", for C++ that reads it as text.
    QString deviceState() const;
    QString deviceName() const;
    QObject *pendingDevices() const;
    QString deviceError() const { return m_deviceError; }
    bool hasRecoveryKey() const { return m_hasRecoveryKey; }
    QObject *invite() const;
    QObject *invitation() const;
    QObject *invitationText() const;
    QObject *onboarding() const;
    QObject *practiceLinks() const;
    QObject *standard() const;
    QObject *standardForm() const;
    bool invitationLinkOpened() const { return m_invitationLinkOpened; }
    QString invitationNotice() const { return m_invitationNotice; }

    /// Opens patient onboarding for an invitation link (larch://invite/<token> or the token itself) or a Practice
    /// Link (larch://practice/<code> or https://…/p/<code>). While signed in, shows invitationNotice instead. False
    /// when the text is neither.
    Q_INVOKABLE bool openInvitationLink(const QString &link);
    /// The person read invitationNotice.
    Q_INVOKABLE void dismissInvitationNotice();
    /// The person left onboarding for the ordinary sign-in form.
    Q_INVOKABLE void closeInvitationLink();
    /// The token of larch://invite/<token>; "" when the text is not such a link.
    static QString invitationToken(const QString &link);
    /// The code of larch://practice/<code> or of a Practice Link's page, https://…/p/<code>; "" otherwise.
    static QString practiceLinkCode(const QString &link);
    /// Starts a session from a sign-in answer ({"token","expiresAt","user"}): keychain, device, sync.
    /// Progress and errors show in busy and signInError, like a password sign-in.
    void adoptSession(const QJsonObject &body);

    Q_INVOKABLE void signIn(const QString &email, const QString &password);
    Q_INVOKABLE void signOut();
    /// Shows a conversation and marks it read, on the server too.
    Q_INVOKABLE void openConversation(const QString &id);
    Q_INVOKABLE void closeConversation();
    /// Reconnects now instead of waiting for the next retry.
    Q_INVOKABLE void retryNow();
    /// Seals the practice key(s) to a pending staff device (an approved staff device only).
    Q_INVOKABLE void approveDevice(const QString &deviceId);
    /// Removes a pending device (administrators only; others get a sentence in deviceError).
    Q_INVOKABLE void declineDevice(const QString &deviceId);
    /// For the open conversation, one map per member: {userName, role (AccountRole), code ("12345 67890 …",
    /// 12 groups; "" without devices), deviceCount, isMe}.
    Q_INVOKABLE QVariantList safetyCodes() const;
    /// Makes a recovery key and uploads the encrypted key backup; returns its display text, shown once and
    /// never stored; "" on failure (deviceError says why).
    Q_INVOKABLE QString createRecoveryKey();
    /// Restores the keys of the backup with a typed recovery key; recoveryRestored() or deviceError follows.
    Q_INVOKABLE void restoreFromRecoveryKey(const QString &text);

    /// The AppController QML sees as App: the first one made that still exists (the app makes one).
    static AppController *forQml();

    // Parts, for the app's main() and for tests.
    LocalStore *store() const { return m_store.get(); }
    ApiClient *api() const { return m_api; }
    SyncEngine *sync() const { return m_sync; }
    ConversationListModel *conversationList() const { return m_list; }
    ConversationFilterModel *filterModel() const { return m_filter; }
    ThreadModel *threadModel() const { return m_thread; }
    ComposeController *composeController() const { return m_compose; }
    AttachmentViewer *attachmentViewer() const { return m_attachments; }
    /// What the "attachment" image provider serves (main() and the QML tests install the provider).
    std::shared_ptr<AttachmentImages> attachmentImages() const { return m_images; }
    DeviceIdentity *identity() const { return m_identity; }
    PendingDeviceModel *pendingDeviceModel() const { return m_pending; }
    InviteController *inviteController() const { return m_invite; }
    InvitationBanner *invitationBanner() const { return m_banner; }
    InvitationTextEditor *invitationTextEditor() const { return m_invitationText; }
    PatientOnboarding *patientOnboarding() const { return m_onboarding; }
    PracticeLinks *practiceLinksController() const { return m_practiceLinks; }
    StandardThread *standardThread() const { return m_standard; }
    StandardConversationForm *standardConversationForm() const { return m_standardForm; }

public slots:
    /// The window gained or lost focus: new messages in the open conversation are marked read only while active.
    void setWindowActive(bool active);

signals:
    void serverUrlChanged();
    void signedInChanged();
    void busyChanged();
    void signInErrorChanged();
    void onlineChanged();
    void offlineTextChanged();
    void userChanged();
    void currentConversationChanged();
    void deviceStateChanged();
    void deviceErrorChanged();
    void hasRecoveryKeyChanged();
    void invitationLinkOpenedChanged();
    void invitationNoticeChanged();
    /// restoreFromRecoveryKey succeeded: the backup's keys are on this device and history opens.
    void recoveryRestored();

private:
    void connectSecurity();
    void connectInvites();
    void connectPracticeLinks();
    void connectStandard();
    void connectAttachments();
    /// Removes the app's copies of files (converted photos, camera captures) that no outbox entry or chip uses
    /// any more, e.g. after a crash during a conversion; run once the storage key opens the outbox.
    void sweepOutgoingFiles();
    /// The open conversation changed, or its standard state did.
    void refreshStandardThread();
    /// The open conversation's invitation state changed or another conversation opened.
    void refreshInvitationBanner();
    void setInvitationNotice(const QString &sentence);
    void resumeCachedSession();
    void finishSignIn(const Session &session);
    void registerDevice();
    void startSession(const Session &session);
    void dropAccount(const QString &sentence);
    void setDeviceError(const QString &error);
    void setHasRecoveryKey(bool has);
    void endSession(const QString &sentence);
    void setSignedIn(bool signedIn);
    void setBusy(bool busy);
    void setSignInError(const QString &error);
    void updateOfflineText();

    std::unique_ptr<LocalStore> m_store;
    ApiClient *m_api;
    SyncEngine *m_sync;
    ConversationListModel *m_list;
    ConversationFilterModel *m_filter;
    ThreadModel *m_thread;
    ComposeController *m_compose;
    DeviceIdentity *m_identity;
    RecoveryBackup *m_recovery;
    PendingDeviceModel *m_pending;
    InviteController *m_invite = nullptr;
    InvitationBanner *m_banner = nullptr;
    InvitationTextEditor *m_invitationText = nullptr;
    PatientOnboarding *m_onboarding = nullptr;
    PracticeLinks *m_practiceLinks = nullptr;
    StandardThread *m_standard = nullptr;
    StandardConversationForm *m_standardForm = nullptr;
    std::shared_ptr<AttachmentImages> m_images;
    AttachmentTempFiles *m_tempFiles = nullptr;
    AttachmentViewer *m_attachments = nullptr;
    /// The conversation a Practice Link sign-up made: opened as soon as it is in the list.
    QString m_openWhenListed;
    bool m_invitationLinkOpened = false;
    QString m_invitationNotice;
    /// The cached session is being read from the keychain; a link waits in m_waitingInvitationLink until then.
    bool m_resumingSession = false;
    QString m_waitingInvitationLink;
    std::optional<Session> m_session;
    QString m_serverUrl;
    QString m_signInError;
    QString m_offlineText;
    QString m_currentConversationId;
    QString m_deviceError;
    bool m_hasRecoveryKey = false;
    bool m_deviceRegistered = false;
    bool m_signedIn = false;
    bool m_busy = false;
    bool m_windowActive = true;
    bool m_lastOnline = false;
};

} // namespace larch
