// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The open conversation: header, messages and compose bar, bound to the app's thread and compose models;
// a standard (SMS/email) conversation adds its banner, the consent dialog and a compose bar that
// says why it cannot send yet.
FocusScope {
    id: page

    /// Whether the open conversation is a secure one.
    property bool isSecure: App.current.secure
    /// Whether the open conversation is a standard (SMS or email) one, not end-to-end encrypted.
    readonly property bool isStandard: App.standard.isStandard
    /// The practice's security identity changed (a patient's secure thread): nothing is sent until it is checked.
    readonly property bool identityHeld: isSecure && App.practiceIdentity.shown
    /// A standard conversation that cannot send now (no consent yet, or the number opted out), or a secure one whose
    /// practice identity waits to be checked.
    readonly property bool composeBlocked: (isStandard && !App.standard.canSend) || identityHeld
    /// Shows a back button (stacked, phone-sized layout).
    property bool showBack: false

    signal backRequested()

    /// Puts the cursor in the compose bar, ready to write.
    function focusCompose() { compose.forceActiveFocus() }
    /// Shows the members' safety codes of the open secure conversation.
    function showSafetyCodes() {
        safetyCodes.members = App.security.safetyCodes()
        safetyCodes.open()
    }

    // Opening a conversation puts the cursor in the compose bar, ready to reply. Focus set from code
    // does not raise a phone's on-screen keyboard; that still waits for a tap on the bar.
    readonly property string conversationId: App.current.id
    // Qt 6.4's qmllint takes Qt.callLater for a property that may not be a function (docs/development.md, "qmllint").
    // qmllint disable type
    onConversationIdChanged: if (conversationId.length > 0) Qt.callLater(focusCompose)
    // qmllint enable type
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
            objectName: "threadHeader"
            Layout.fillWidth: true
            title: App.current.title
            isSecure: page.isSecure
            showBack: page.showBack
            standard: App.standard
            onBackRequested: page.backRequested()
            onSafetyCodesRequested: page.showSafetyCodes()
            onConsentRequested: consent.open()
            onOpenConversationRequested: (id) => App.current.open(id)
        }

        StandardBanner {
            objectName: "standardBanner"
            Layout.fillWidth: true
            standard: App.standard
            onConsentRequested: consent.open()
        }

        IdentityWarningBanner {
            objectName: "identityWarningBanner"
            Layout.fillWidth: true
            visible: page.identityHeld
            practiceName: App.practiceIdentity.practiceName
            linkMismatch: App.practiceIdentity.linkMismatch
            onCheckRequested: identityCheck.open()
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
                onOpenConversationRequested: (id) => App.current.open(id)
                onAttachmentOpenRequested: (messageId, index, kind) => attachmentViewer.show(messageId, index)
                onAttachmentCancelRequested: (messageId, clientId, index, state) => {
                    if (state === AttachmentState.Downloading)
                        App.attachments.cancel()
                    else if (messageId.length === 0)
                        App.attachments.cancelUpload(clientId)
                }
            }

            EmptyState {
                anchors.fill: parent
                visible: messages.count === 0 && !App.thread.loading
                iconName: page.isSecure ? "lock" : App.standard.channel === Channel.Email ? "mail" : "chat"
                title: qsTr("No messages yet")
                text: App.invitation.shown
                      ? qsTr("Write a welcome note: %1 reads it after creating an account.").arg(App.invitation.patientName)
                      : page.isSecure
                      ? qsTr("Messages in a secure conversation are end-to-end encrypted. Only the practice and the patient can read them.")
                      : page.isStandard && App.standard.channel === Channel.Email
                      ? qsTr("Messages here go to %1 as ordinary email, not end-to-end encrypted.").arg(App.standard.contactDisplay)
                      : page.isStandard
                      ? qsTr("Messages here go to %1 as ordinary text messages, not end-to-end encrypted.").arg(App.standard.contactDisplay)
                      : ""
            }

            // (Compose) Files dropped anywhere on the thread go to the compose bar, as if dropped on it.
            DropArea {
                id: threadDrop
                objectName: "threadDropArea"
                anchors.fill: parent
                onEntered: (drag) => {
                    if (drag.hasUrls)
                        drag.accept(Qt.CopyAction)
                    else
                        drag.accepted = false
                }
                onDropped: (drop) => {
                    if (!drop.hasUrls)
                        return
                    compose.addFiles(drop.urls)
                    drop.accept(Qt.CopyAction)
                    page.focusCompose()
                }
                Rectangle {
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    visible: threadDrop.containsDrag
                    radius: Theme.radius
                    color: Qt.rgba(Theme.accentSoft.r, Theme.accentSoft.g, Theme.accentSoft.b, 0.85)
                    border.width: 2
                    border.color: Theme.accent
                    Label {
                        anchors.centerIn: parent
                        text: qsTr("Drop files to attach them")
                        color: Theme.accent
                        font.pixelSize: Theme.titleFontSize
                        font.weight: Font.DemiBold
                    }
                }
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

        Label {
            objectName: "composeBlocked"
            Layout.fillWidth: true
            visible: page.composeBlocked && text.length > 0
            text: page.identityHeld
                  ? qsTr("Messages to %1 wait until you check its new security code.").arg(App.practiceIdentity.practiceName)
                  : App.standard.blockedReason
            wrapMode: Text.Wrap
            color: Theme.textSecondary
            font.pixelSize: Theme.smallFontSize + 1
            padding: Theme.spacing
            leftPadding: Theme.margin
            rightPadding: Theme.margin
            background: Rectangle {
                color: Theme.window
                Rectangle { width: parent.width; height: 1; color: Theme.divider }
            }
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }

        ComposeBar {
            id: compose
            Layout.fillWidth: true
            focus: true
            enabled: !page.composeBlocked
            placeholderText: page.identityHeld ? qsTr("Check the new code to write")
                           : !page.isStandard ? qsTr("Write a secure message…")
                           : App.standard.channel === Channel.Email ? qsTr("Write an email…")
                           : qsTr("Write a text message…")
            text: App.compose.text
            canSend: App.compose.canSend
            attachments: App.compose.attachments
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

    IdentityCheckDialog { id: identityCheck }

    ConsentDialog {
        id: consent
        standard: App.standard
    }

    AttachmentViewerHost {
        id: attachmentViewer
        objectName: "attachmentViewer"
        controller: App.attachments
    }
}
