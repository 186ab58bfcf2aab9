// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// "Edit contact" from the invitation banner: corrects the name, phone or email and sends a new invitation.
LarchDialog {
    id: dialog
    objectName: "editContactDialog"

    title: qsTr("Edit contact")
    onOpened: {
        nameField.text = App.invitation.patientName
        phoneField.text = App.invitation.phone
        emailField.text = App.invitation.email
    }

    Label { text: qsTr("Patient name"); font.weight: Font.DemiBold; color: Theme.text }
    LarchTextField { id: nameField; objectName: "editNameField"; Layout.fillWidth: true; Accessible.name: qsTr("Patient name") }
    Label { text: qsTr("Mobile phone"); font.weight: Font.DemiBold; color: Theme.text; Layout.topMargin: Theme.spacing }
    LarchTextField { id: phoneField; objectName: "editPhoneField"; Layout.fillWidth: true; Accessible.name: qsTr("Mobile phone") }
    Label { text: qsTr("Email"); font.weight: Font.DemiBold; color: Theme.text; Layout.topMargin: Theme.spacing }
    LarchTextField { id: emailField; objectName: "editEmailField"; Layout.fillWidth: true; Accessible.name: qsTr("Email") }
    Label {
        Layout.fillWidth: true
        Layout.topMargin: Theme.spacing
        visible: text.length > 0
        text: App.invitation.error
        wrapMode: Text.Wrap
        color: Theme.danger
    }

    buttons: [
        PrimaryButton {
            text: qsTr("Save and resend")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            busy: App.invitation.busy
            onClicked: App.invitation.editContact(nameField.text, phoneField.text, emailField.text)
        },
        SecondaryButton {
            text: qsTr("Cancel")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.close()
        }
    ]

    Connections {
        target: App.invitation
        function onSaved() { dialog.close() }
    }
}
