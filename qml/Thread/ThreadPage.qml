import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The open conversation: header, messages and compose bar, bound to the app's thread and compose models.
FocusScope {
    id: page

    /// Whether the open conversation is a secure one.
    property bool isSecure: App.currentConversationSecure
    /// Shows a back button (stacked, phone-sized layout).
    property bool showBack: false

    signal backRequested()

    /// Puts the cursor in the compose bar, ready to write.
    function focusCompose() { compose.forceActiveFocus() }
    /// Shows the members' safety codes of the open secure conversation.
    function showSafetyCodes() {
        safetyCodes.members = App.safetyCodes()
        safetyCodes.open()
    }

    // Opening a conversation puts the cursor in the compose bar, ready to reply. Focus set from code
    // does not raise a phone's on-screen keyboard; that still waits for a tap on the bar.
    readonly property string conversationId: App.currentConversationId
    onConversationIdChanged: if (conversationId.length > 0) Qt.callLater(focusCompose)
    Component.onCompleted: if (conversationId.length > 0) focusCompose()

    Keys.onEscapePressed: (event) => {
        event.accepted = page.showBack
        if (page.showBack)
            page.backRequested()
    }

    Rectangle {
        anchors.fill: parent
        color: Theme.threadBackground
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ThreadHeader {
            Layout.fillWidth: true
            title: App.currentConversationTitle
            isSecure: page.isSecure
            showBack: page.showBack
            onBackRequested: page.backRequested()
            onSafetyCodesRequested: page.showSafetyCodes()
        }

        InvitationBanner {
            objectName: "invitationBanner"
            Layout.fillWidth: true
            visible: App.invitation.shown
            patientName: App.invitation.patientName
            deliveryState: App.invitation.deliveryState
            stateLine: App.invitation.stateLine
            busy: App.invitation.busy
            errorText: App.invitation.error
            onResendRequested: App.invitation.resendInvite()
            onEditRequested: editContact.open()
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            MessageList {
                id: messages
                anchors.fill: parent
                model: App.thread
                loading: App.thread.loading
            }

            EmptyState {
                anchors.fill: parent
                visible: messages.count === 0 && !App.thread.loading
                iconName: page.isSecure ? "lock" : "chat"
                title: qsTr("No messages yet")
                text: App.invitation.shown
                      ? qsTr("Write a welcome note: %1 reads it after creating an account.").arg(App.invitation.patientName)
                      : page.isSecure
                      ? qsTr("Messages in a secure conversation are end-to-end encrypted. Only the practice and the patient can read them.")
                      : ""
            }
        }

        Label {
            objectName: "composeError"
            Layout.fillWidth: true
            visible: text.length > 0
            text: App.compose.error
            wrapMode: Text.Wrap
            color: Theme.danger
            padding: Theme.spacing
            leftPadding: Theme.margin
            background: Rectangle { color: Theme.dangerSoft }
        }

        ComposeBar {
            id: compose
            Layout.fillWidth: true
            focus: true
            text: App.compose.text
            canSend: App.compose.canSend
            onTextChanged: {
                if (App.compose.text !== text)
                    App.compose.text = text
            }
            onSendRequested: App.compose.send()
        }
    }

    SafetyCodesDialog {
        id: safetyCodes
        onClosed: members = []
    }

    EditContactDialog { id: editContact }
}
