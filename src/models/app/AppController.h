// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The app's single entry point for QML (the "App" singleton): the app's parts, one per feature, wired together.
#pragma once

#include "client/store/LocalStore.h"

#include <memory>
#include <QObject>
#include <QString>

namespace larch {

class AccountSession;
class ApiClient;
class AttachmentImages;
class AttachmentTempFiles;
class AttachmentViewer;
class ComposeController;
class ConversationFilterModel;
class ConversationListModel;
class CurrentConversation;
class DeviceIdentity;
class DeviceSecurity;
class IdleLock;
class SecurityPolicy;
class StaffDirectory;
class PracticeIdentityStatus;
class TwoFactorSetup;
class InvitationBanner;
class InvitationTextEditor;
class InviteController;
class LinkRouter;
class PatientOnboarding;
class PracticeAuditLog;
class PracticeIdentityWarning;
class PracticeLinks;
class StandardConversationForm;
class StandardThread;
class SyncEngine;
class ThreadModel;

/// Makes store, network, sync and one controller per feature, and wires them; holds no state of its own.
/// QML sees it as the singleton App of Larch.Models (AppSingleton.h) and reads only its parts.
class AppController : public QObject {
    Q_OBJECT
    // The types of the parts below, for moc (the header only declares them).
    Q_MOC_INCLUDE("models/app/AccountSession.h")
    Q_MOC_INCLUDE("models/attachments/AttachmentViewer.h")
    Q_MOC_INCLUDE("models/audit/PracticeAuditLog.h")
    Q_MOC_INCLUDE("models/compose/ComposeController.h")
    Q_MOC_INCLUDE("models/conversations/ConversationFilterModel.h")
    Q_MOC_INCLUDE("models/conversations/CurrentConversation.h")
    Q_MOC_INCLUDE("models/invites/InvitationTextEditor.h")
    Q_MOC_INCLUDE("models/invites/InviteController.h")
    Q_MOC_INCLUDE("models/invites/LinkRouter.h")
    Q_MOC_INCLUDE("models/invites/PatientOnboarding.h")
    Q_MOC_INCLUDE("models/invites/StandardConversationForm.h")
    Q_MOC_INCLUDE("models/practicelinks/PracticeLinks.h")
    Q_MOC_INCLUDE("models/security/DeviceSecurity.h")
    Q_MOC_INCLUDE("models/security/IdleLock.h")
    Q_MOC_INCLUDE("models/security/PracticeIdentityStatus.h")
    Q_MOC_INCLUDE("models/security/SecurityPolicy.h")
    Q_MOC_INCLUDE("models/security/TwoFactorSetup.h")
    Q_MOC_INCLUDE("models/staff/StaffDirectory.h")
    Q_MOC_INCLUDE("models/thread/InvitationBanner.h")
    Q_MOC_INCLUDE("models/thread/PracticeIdentityWarning.h")
    Q_MOC_INCLUDE("models/thread/StandardThread.h")
    Q_MOC_INCLUDE("models/thread/ThreadModel.h")
    /// The signed-in account: sign-in, sign-out, the server's address and the connection's state.
    Q_PROPERTY(larch::AccountSession *session READ session CONSTANT)
    /// This device's state, devices to approve, safety codes and the recovery key.
    Q_PROPERTY(larch::DeviceSecurity *security READ security CONSTANT)
    /// Two-factor sign-in of the signed-in staff member: enrolment, recovery codes, turning it off.
    Q_PROPERTY(larch::TwoFactorSetup *twoFactor READ twoFactor CONSTANT)
    /// The practice's security settings (two-factor required, idle lock time).
    Q_PROPERTY(larch::SecurityPolicy *policy READ policy CONSTANT)
    /// The practice's security identity on this staff device: its security code, and replacing a lost one.
    Q_PROPERTY(larch::PracticeIdentityStatus *practiceIdentityStatus READ practiceIdentityStatus CONSTANT)
    /// The practice's staff, for administrators: adding colleagues, roles, resets, deactivating.
    Q_PROPERTY(larch::StaffDirectory *staff READ staff CONSTANT)
    /// The lock that hides the screens after idle time or time in the background.
    Q_PROPERTY(larch::IdleLock *lock READ lock CONSTANT)
    /// Invitation links and Practice Links the app was opened with.
    Q_PROPERTY(larch::LinkRouter *links READ links CONSTANT)
    /// The conversation list the screens show.
    Q_PROPERTY(larch::ConversationFilterModel *conversations READ conversations CONSTANT)
    /// The conversation open on screen.
    Q_PROPERTY(larch::CurrentConversation *current READ current CONSTANT)
    /// The open conversation's messages.
    Q_PROPERTY(larch::ThreadModel *thread READ thread CONSTANT)
    /// The open conversation's compose bar.
    Q_PROPERTY(larch::ComposeController *compose READ compose CONSTANT)
    /// Opening, saving and cancelling the files of messages.
    Q_PROPERTY(larch::AttachmentViewer *attachments READ attachments CONSTANT)
    /// The "Secure Conversation" form.
    Q_PROPERTY(larch::InviteController *invite READ invite CONSTANT)
    /// The open conversation's invitation for the "Hasn't Created an Account" banner.
    Q_PROPERTY(larch::InvitationBanner *invitation READ invitation CONSTANT)
    /// The open conversation's practice identity, for a patient: the warning when it changed, checking the new one.
    Q_PROPERTY(larch::PracticeIdentityWarning *practiceIdentity READ practiceIdentity CONSTANT)
    /// The practice's invitation text, for administrators.
    Q_PROPERTY(larch::InvitationTextEditor *invitationText READ invitationText CONSTANT)
    /// A patient joining with a code.
    Q_PROPERTY(larch::PatientOnboarding *onboarding READ onboarding CONSTANT)
    /// The practice's Practice Links, for staff.
    Q_PROPERTY(larch::PracticeLinks *practiceLinks READ practiceLinks CONSTANT)
    /// The practice's audit log, for administrators: records, filters, export, retention.
    Q_PROPERTY(larch::PracticeAuditLog *auditLog READ auditLog CONSTANT)
    /// The open conversation when it is a standard (SMS/email) one: consent, opt-out, invite.
    Q_PROPERTY(larch::StandardThread *standard READ standard CONSTANT)
    /// The "Text Message (SMS)" / "Email" form of '+'.
    Q_PROPERTY(larch::StandardConversationForm *standardForm READ standardForm CONSTANT)
public:
    /// dataDir "" means $LARCH_CLIENT_DATA_DIR, else the platform's app data folder.
    explicit AppController(const QString &dataDir = {}, QObject *parent = nullptr);
    ~AppController() override;

    /// The AppController QML sees as App: the first one made that still exists (the app makes one).
    static AppController *forQml();

    AccountSession *session() const { return m_session; }
    DeviceSecurity *security() const { return m_security; }
    TwoFactorSetup *twoFactor() const { return m_twoFactor; }
    SecurityPolicy *policy() const { return m_policy; }
    StaffDirectory *staff() const { return m_staff; }
    PracticeIdentityStatus *practiceIdentityStatus() const { return m_practiceIdentityStatus; }
    IdleLock *lock() const { return m_lock; }
    LinkRouter *links() const { return m_links; }
    ConversationFilterModel *conversations() const { return m_filter; }
    CurrentConversation *current() const { return m_current; }
    ThreadModel *thread() const { return m_thread; }
    ComposeController *compose() const { return m_compose; }
    AttachmentViewer *attachments() const { return m_attachments; }
    InviteController *invite() const { return m_invite; }
    InvitationBanner *invitation() const { return m_banner; }
    PracticeIdentityWarning *practiceIdentity() const { return m_practiceIdentity; }
    InvitationTextEditor *invitationText() const { return m_invitationText; }
    PatientOnboarding *onboarding() const { return m_onboarding; }
    PracticeLinks *practiceLinks() const { return m_practiceLinks; }
    PracticeAuditLog *auditLog() const { return m_auditLog; }
    StandardThread *standard() const { return m_standard; }
    StandardConversationForm *standardForm() const { return m_standardForm; }

    // What lies under the parts, for the app's main() and for tests.
    LocalStore *store() const { return m_store.get(); }
    ApiClient *api() const { return m_api; }
    SyncEngine *sync() const { return m_sync; }
    DeviceIdentity *identity() const { return m_identity; }
    ConversationListModel *conversationList() const { return m_list; }
    /// What the "attachment" image provider serves (main() and the QML tests install the provider).
    std::shared_ptr<AttachmentImages> attachmentImages() const { return m_images; }

private:
    void connectSession();
    void connectInvites();
    void connectPracticeLinks();
    void connectSignInSecurity();
    void connectAuditLog();
    void connectStaff();
    void connectPracticeIdentity();
    void connectStandard();
    void connectAttachments();
    /// Removes the app's copies of files (converted photos, camera captures) that no outbox entry or chip uses
    /// any more, e.g. after a crash during a conversion; run once the storage key opens the outbox.
    void sweepOutgoingFiles();
    /// The open conversation changed, or its standard state did.
    void refreshStandardThread();
    /// The open conversation's invitation state changed or another conversation opened.
    void refreshInvitationBanner();

    std::unique_ptr<LocalStore> m_store;
    ApiClient *m_api;
    SyncEngine *m_sync;
    DeviceIdentity *m_identity;
    ConversationListModel *m_list;
    ConversationFilterModel *m_filter;
    ThreadModel *m_thread;
    ComposeController *m_compose;
    AccountSession *m_session;
    CurrentConversation *m_current = nullptr;
    DeviceSecurity *m_security = nullptr;
    TwoFactorSetup *m_twoFactor = nullptr;
    SecurityPolicy *m_policy = nullptr;
    StaffDirectory *m_staff = nullptr;
    PracticeIdentityStatus *m_practiceIdentityStatus = nullptr;
    IdleLock *m_lock = nullptr;
    InviteController *m_invite = nullptr;
    InvitationBanner *m_banner = nullptr;
    PracticeIdentityWarning *m_practiceIdentity = nullptr;
    InvitationTextEditor *m_invitationText = nullptr;
    PatientOnboarding *m_onboarding = nullptr;
    LinkRouter *m_links = nullptr;
    PracticeLinks *m_practiceLinks = nullptr;
    PracticeAuditLog *m_auditLog = nullptr;
    StandardThread *m_standard = nullptr;
    StandardConversationForm *m_standardForm = nullptr;
    std::shared_ptr<AttachmentImages> m_images;
    AttachmentTempFiles *m_tempFiles = nullptr;
    AttachmentViewer *m_attachments = nullptr;
};

} // namespace larch
