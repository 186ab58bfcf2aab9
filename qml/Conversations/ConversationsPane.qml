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
            userName: App.userName
            userRole: App.userRole
            onSignOutRequested: App.signOut()
            onRecoveryKeyRequested: pane.showRecoveryKey()
            onSecureConversationRequested: secureConversation.open()
            onInvitationTextRequested: invitationText.open()
        }

        ConversationList {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            focus: true
            model: App.conversations
            currentConversationId: App.currentConversationId
            Component.onCompleted: {
                searchText = App.conversations.searchText
                filter = App.conversations.filter
            }
            onSearchTextChanged: App.conversations.searchText = searchText
            onFilterChanged: App.conversations.filter = filter
            onConversationActivated: (id, secure) => {
                App.openConversation(id)
                pane.conversationOpened(id, secure)
            }
        }
    }

    SecureConversationDialog {
        id: secureConversation
        onConversationOpened: (id) => pane.conversationOpened(id, true)
    }

    InvitationTextDialog { id: invitationText }

    RecoveryKeyDialog {
        id: recoveryKey
        hasRecoveryKey: App.hasRecoveryKey
        errorText: App.deviceError
        onCreateRequested: {
            const text = App.createRecoveryKey()
            if (text.length > 0)
                showKey(text)
        }
        onRestoreRequested: (text) => App.restoreFromRecoveryKey(text)
    }

    Connections {
        target: App
        function onRecoveryRestored() {
            if (recoveryKey.opened)
                recoveryKey.showRestored()
        }
    }
}
