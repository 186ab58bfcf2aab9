// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// Settings for administrators: the practice's region for phone numbers, and the words of its invitations around
// their {link}.
LarchDialog {
    id: dialog
    objectName: "invitationTextDialog"

    title: qsTr("Invitation settings")
    onOpened: App.invitationText.load()

    Label { text: qsTr("Region"); font.weight: Font.DemiBold; color: Theme.text }
    Label {
        Layout.fillWidth: true
        text: qsTr("Phone numbers typed without a country code are read in this region. Two letters, such as US or GB.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
    }
    LarchTextField {
        id: regionField
        objectName: "regionField"
        Layout.preferredWidth: 96
        enabled: !App.invitationText.busy
        text: App.invitationText.region
        maximumLength: 2
        inputMethodHints: Qt.ImhUppercaseOnly | Qt.ImhNoPredictiveText
        font.capitalization: Font.AllUppercase
        invalid: regionProblem.visible
        Accessible.name: qsTr("Region")
    }
    Label {
        id: regionProblem
        objectName: "regionProblem"
        Layout.fillWidth: true
        visible: text.length > 0
        text: App.invitationText.regionError
        wrapMode: Text.Wrap
        color: Theme.danger
    }

    Label {
        text: qsTr("Invitation text")
        font.weight: Font.DemiBold
        color: Theme.text
        Layout.topMargin: Theme.spacing
    }
    Label {
        Layout.fillWidth: true
        text: qsTr("Patients receive this by SMS or email. {link} becomes their invitation link. Never put clinical details here.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
    }
    TextArea {
        id: editor
        objectName: "invitationTextEditor"
        Layout.fillWidth: true
        Layout.preferredHeight: 120
        Layout.topMargin: Theme.spacing
        wrapMode: TextEdit.Wrap
        enabled: !App.invitationText.busy
        text: App.invitationText.text
        color: Theme.text
        background: Rectangle { radius: Theme.radius; border.width: 1; border.color: problem.text.length > 0 ? Theme.danger : Theme.border }
        Accessible.name: qsTr("Invitation text")
    }
    Label {
        id: problem
        objectName: "invitationTextProblem"
        Layout.fillWidth: true
        visible: text.length > 0
        text: App.invitationText.error.length > 0 ? App.invitationText.error : App.invitationText.problemWith(editor.text)
        wrapMode: Text.Wrap
        color: Theme.danger
    }
    Label {
        Layout.fillWidth: true
        text: qsTr("%1 of 320 characters").arg(Characters.count(editor.text)) + (App.invitationText.isDefault ? " · " + qsTr("Larch's default text") : "")
        color: Theme.textSecondary
        font.pixelSize: Theme.smallFontSize
    }

    buttons: [
        PrimaryButton {
            objectName: "saveInvitationTextButton"
            text: qsTr("Save")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            busy: App.invitationText.busy
            enabled: App.invitationText.problemWith(editor.text).length === 0
            onClicked: App.invitationText.saveSettings(editor.text, regionField.text)
        },
        SecondaryButton {
            text: qsTr("Close")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.close()
        }
    ]

    Connections {
        target: App.invitationText
        function onSaved() { dialog.close() }
    }
}
