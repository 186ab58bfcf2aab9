// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// '+' → "Secure Conversation": the form in a dialog (full width on a phone), bound to App.invite.
LarchDialog {
    id: dialog
    objectName: "secureConversationDialog"

    /// Emitted when a conversation was created or an existing one chosen; the screen shows it.
    signal conversationOpened(string conversationId)

    title: qsTr("Secure Conversation")

    SecureConversationForm {
        id: form
        objectName: "secureConversationForm"
        Layout.fillWidth: true
        patientName: App.invite.patientName
        phone: App.invite.phone
        email: App.invite.email
        nameError: App.invite.nameError
        phoneError: App.invite.phoneError
        emailError: App.invite.emailError
        phoneWarning: App.invite.phoneWarning
        phoneDisplay: App.invite.phoneDisplay
        matches: App.invite.matches
        busy: App.invite.busy
        errorText: App.invite.error
        duplicateConversationId: App.invite.duplicateConversationId
        canCreate: App.invite.canCreate
        onPatientNameEdited: (text) => App.invite.patientName = text
        onPhoneEdited: (text) => App.invite.phone = text
        onEmailEdited: (text) => App.invite.email = text
        onContactLeft: App.invite.checkNow()
        onCreateRequested: App.invite.create()
        onOpenConversationRequested: (id) => {
            App.current.open(id)
            App.invite.reset()
            dialog.close()
            dialog.conversationOpened(id)
        }
    }

    buttons: [
        PrimaryButton {
            objectName: "createButton"
            text: qsTr("Create and invite")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            busy: App.invite.busy
            enabled: App.invite.canCreate || App.invite.busy
            onClicked: App.invite.create()
        },
        SecondaryButton {
            text: qsTr("Cancel")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.close()
        }
    ]

    Connections {
        target: App.invite
        function onCreated(conversationId) {
            dialog.close()
            dialog.conversationOpened(conversationId)
        }
    }
}
