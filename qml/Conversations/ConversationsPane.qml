// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The left pane (or first page on phones): the signed-in account and the conversation list,
// bound to the app's conversation model.
FocusScope {
    id: pane

    /// Emitted after a conversation was opened from the list.
    signal conversationOpened(string conversationId, bool isSecure)

    function focusSearch() { list.focusSearch() }
    /// Opens the "Secure Conversation" form (also used by the screenshot script).
    function showSecureConversation() { secureConversation.open() }
    /// Opens the standard conversation form for "sms" or "email" (also used by the screenshot script).
    function showStandardConversation(channel) { standardConversation.openFor(channel) }
    /// Opens the practice's Practice Links over the whole window (also used by the screenshot script).
    function showPracticeLinks() { practiceLinks.open() }
    /// Opens the practice's audit log over the whole window (administrators; also used by the screenshot script).
    function showAuditLog() { auditLog.open() }
    /// Opens the practice's staff over the whole window (administrators; also used by the screenshot script).
    function showStaff() { staffPage.open() }
    /// Opens the two-factor sign-in dialog (also used by the screenshot script).
    function showTwoFactor() { twoFactor.open() }
    /// Opens the practice's security settings (also used by the screenshot script).
    function showSecuritySettings() { securitySettings.open() }
    /// Opens the account's recovery key dialog, on its restore page when asked.
    function showRecoveryKey(startStep) { recoveryKey.openAt(startStep || "intro") }

    Rectangle {
        anchors.fill: parent
        color: Theme.surface
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        AccountHeader {
            Layout.fillWidth: true
            userName: App.session.userName
            userRole: App.session.userRole
            phoneMode: App.lock.phoneMode
            onSignOutRequested: App.session.signOut()
            onRecoveryKeyRequested: pane.showRecoveryKey()
            onSecureConversationRequested: secureConversation.open()
            onStandardConversationRequested: (channel) => standardConversation.openFor(channel)
            onInvitationTextRequested: invitationText.open()
            onPracticeLinksRequested: pane.showPracticeLinks()
            onAuditLogRequested: pane.showAuditLog()
            onStaffRequested: pane.showStaff()
            onTwoFactorRequested: pane.showTwoFactor()
            onSecuritySettingsRequested: pane.showSecuritySettings()
            onLockPinRequested: lockPin.open()
            onLockRequested: App.lock.lockNow()
        }

        ConversationList {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            focus: true
            model: App.conversations
            currentConversationId: App.current.id
            kindFilters: App.session.userRole === AccountRole.Admin || App.session.userRole === AccountRole.Clinician
            Component.onCompleted: {
                searchText = App.conversations.searchText
                filter = App.conversations.filter
            }
            onSearchTextChanged: App.conversations.searchText = searchText
            onFilterChanged: App.conversations.filter = filter
            onConversationActivated: (id, secure) => {
                App.current.open(id)
                pane.conversationOpened(id, secure)
            }
        }
    }

    SecureConversationDialog {
        id: secureConversation
        onConversationOpened: (id) => pane.conversationOpened(id, true)
    }

    StandardConversationDialog {
        id: standardConversation
        onConversationOpened: (id) => pane.conversationOpened(id, false)
    }

    InvitationTextDialog { id: invitationText }
    TwoFactorDialog { id: twoFactor }
    SecuritySettingsDialog { id: securitySettings }
    LockPinDialog { id: lockPin }

    // A settings page over the whole window, on phones and desktops alike; Back or Escape closes it.
    Popup {
        id: practiceLinks
        objectName: "practiceLinksPopup"
        parent: Overlay.overlay
        x: 0
        y: 0
        width: parent ? parent.width : 0
        height: parent ? parent.height : 0
        padding: 0
        modal: true
        focus: true
        closePolicy: Popup.CloseOnEscape
        Overlay.modal: Item { }
        onOpened: App.practiceLinks.load()
        onClosed: App.practiceLinks.dismissNotice()
        background: Rectangle { color: Theme.window }
        contentItem: PracticeLinksPage {
            objectName: "practiceLinksPage"
            focus: true
            links: App.practiceLinks
            onCloseRequested: practiceLinks.close()
        }
    }

    // The audit log, a page over the whole window like the Practice Links.
    Popup {
        id: auditLog
        objectName: "auditLogPopup"
        parent: Overlay.overlay
        x: 0
        y: 0
        width: parent ? parent.width : 0
        height: parent ? parent.height : 0
        padding: 0
        modal: true
        focus: true
        closePolicy: Popup.CloseOnEscape
        Overlay.modal: Item { }
        onOpened: App.auditLog.open()
        onClosed: App.auditLog.dismissNotice()
        background: Rectangle { color: Theme.window }
        contentItem: AuditLogPage {
            objectName: "auditLogPage"
            focus: true
            log: App.auditLog
            onCloseRequested: auditLog.close()
        }
    }

    // The practice's staff, a page over the whole window like the audit log.
    Popup {
        id: staffPage
        objectName: "staffPopup"
        parent: Overlay.overlay
        x: 0
        y: 0
        width: parent ? parent.width : 0
        height: parent ? parent.height : 0
        padding: 0
        modal: true
        focus: true
        closePolicy: Popup.CloseOnEscape
        Overlay.modal: Item { }
        onOpened: App.staff.load()
        onClosed: App.staff.dismissNotice()
        background: Rectangle { color: Theme.window }
        contentItem: StaffPage {
            objectName: "staffPage"
            focus: true
            staff: App.staff
            onCloseRequested: staffPage.close()
        }
    }

    RecoveryKeyDialog {
        id: recoveryKey
        hasRecoveryKey: App.security.hasRecoveryKey
        errorText: App.security.deviceError
        onCreateRequested: {
            const text = App.security.createRecoveryKey()
            if (text.length > 0)
                showKey(text)
        }
        onRestoreRequested: (text) => App.security.restoreFromRecoveryKey(text)
    }

    Connections {
        target: App.security
        function onRecoveryRestored() {
            if (recoveryKey.opened)
                recoveryKey.showRestored()
        }
    }
}
