// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The "Secure Conversation" form: the patient's name, mobile phone and/or email, the live check's
// sentences under each field, and existing conversations offered instead of a duplicate.
// Presentation only: the state lives in InviteController (App.invite).
FocusScope {
    id: form

    /// What is typed in each field (bound from the controller; edits come back through the *Edited signals).
    property string patientName
    property string phone
    property string email
    /// A sentence under each field when it is wrong; "" when it is fine.
    property string nameError
    property string phoneError
    property string emailError
    /// A sentence when the number cannot take SMS (a landline).
    property string phoneWarning
    /// The number as the server formats it.
    property string phoneDisplay
    /// Existing conversations for this contact: [{conversationId, title, state}].
    property var matches: []
    /// Creating is in flight.
    property bool busy: false
    /// A sentence on why creating failed; "" when nothing did.
    property string errorText
    /// The conversation that already exists after a duplicate refusal; "" otherwise.
    property string duplicateConversationId
    property bool canCreate: false

    signal patientNameEdited(string text)
    signal phoneEdited(string text)
    signal emailEdited(string text)
    /// A contact field lost focus: check now rather than after the pause.
    signal contactLeft()
    signal createRequested()
    /// "Open conversation" on an existing conversation instead of creating a duplicate.
    signal openConversationRequested(string conversationId)

    implicitWidth: 420
    implicitHeight: column.implicitHeight

    component FieldLabel: Label {
        color: Theme.text
        font.pixelSize: Theme.smallFontSize + 1
        font.weight: Font.DemiBold
    }
    component FieldNote: Label {
        property bool danger: true
        Layout.fillWidth: true
        visible: text.length > 0
        wrapMode: Text.Wrap
        color: danger ? Theme.danger : Theme.warning
        font.pixelSize: Theme.smallFontSize + 1
    }

    ColumnLayout {
        id: column
        width: parent.width
        spacing: Theme.gap + 2

        Label {
            Layout.fillWidth: true
            Layout.bottomMargin: Theme.spacing
            text: qsTr("The patient gets an invitation to download Larch: by SMS when you enter a mobile number, otherwise by email.")
            wrapMode: Text.Wrap
            color: Theme.textSecondary
        }

        FieldLabel { text: qsTr("Patient name") }
        LarchTextField {
            id: nameField
            objectName: "patientNameField"
            Layout.fillWidth: true
            focus: true
            enabled: !form.busy
            text: form.patientName
            invalid: form.nameError.length > 0
            placeholderText: qsTr("First and last name")
            Accessible.name: qsTr("Patient name")
            onTextEdited: form.patientNameEdited(text)
            KeyNavigation.tab: phoneField
        }
        FieldNote { objectName: "nameError"; text: form.nameError }

        FieldLabel { text: qsTr("Mobile phone"); Layout.topMargin: Theme.spacing }
        LarchTextField {
            id: phoneField
            objectName: "phoneField"
            Layout.fillWidth: true
            enabled: !form.busy
            text: form.phone
            invalid: form.phoneError.length > 0
            placeholderText: qsTr("(201) 555-0123")
            inputMethodHints: Qt.ImhDialableCharactersOnly
            Accessible.name: qsTr("Mobile phone")
            onTextEdited: form.phoneEdited(text)
            onActiveFocusChanged: if (!activeFocus && text.length > 0) form.contactLeft()
            KeyNavigation.tab: emailField
        }
        FieldNote { objectName: "phoneError"; text: form.phoneError }
        FieldNote { objectName: "phoneWarning"; text: form.phoneError.length === 0 ? form.phoneWarning : ""; danger: false }
        FieldNote {
            objectName: "phoneDisplay"
            text: form.phoneError.length === 0 && form.phoneWarning.length === 0 && form.phoneDisplay.length > 0
                  ? qsTr("SMS to %1").arg(form.phoneDisplay) : ""
            color: Theme.textSecondary
        }

        FieldLabel { text: qsTr("Email"); Layout.topMargin: Theme.spacing }
        LarchTextField {
            id: emailField
            objectName: "emailField"
            Layout.fillWidth: true
            enabled: !form.busy
            text: form.email
            invalid: form.emailError.length > 0
            placeholderText: qsTr("patient@example.com")
            inputMethodHints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
            Accessible.name: qsTr("Email")
            onTextEdited: form.emailEdited(text)
            onActiveFocusChanged: if (!activeFocus && text.length > 0) form.contactLeft()
            onAccepted: form.createRequested()
        }
        FieldNote { objectName: "emailError"; text: form.emailError }

        Repeater {
            objectName: "matches"
            model: form.matches
            delegate: Rectangle {
                id: match
                /// {conversationId, title, state (ContactMatch)}
                required property var modelData
                Layout.fillWidth: true
                Layout.topMargin: Theme.spacing
                implicitHeight: matchRow.implicitHeight + 2 * Theme.padding
                radius: Theme.radius
                color: Theme.accentSofter
                border.width: 1
                border.color: Theme.border
                RowLayout {
                    id: matchRow
                    anchors.fill: parent
                    anchors.margins: Theme.padding
                    spacing: Theme.spacing
                    Label {
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        text: match.modelData.state === ContactMatch.Invited
                              ? qsTr("%1 was already invited with this contact.").arg(match.modelData.title)
                              : qsTr("%1 already has a conversation with your practice.").arg(match.modelData.title)
                        color: Theme.text
                    }
                    SecondaryButton {
                        objectName: "openMatchButton"
                        text: qsTr("Open conversation")
                        // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
                        // qmllint disable unqualified
                        onClicked: form.openConversationRequested(match.modelData.conversationId)
                        // qmllint enable unqualified
                    }
                }
            }
        }

        Rectangle {
            objectName: "formError"
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacing
            visible: form.errorText.length > 0
            implicitHeight: errorRow.implicitHeight + 2 * Theme.padding
            radius: Theme.radius
            color: Theme.dangerSoft
            border.width: 1
            border.color: Theme.dangerBorder
            Accessible.role: Accessible.AlertMessage
            Accessible.name: form.errorText
            RowLayout {
                id: errorRow
                anchors.fill: parent
                anchors.margins: Theme.padding
                spacing: Theme.spacing
                Label {
                    objectName: "formErrorText"
                    Layout.fillWidth: true
                    text: form.errorText
                    wrapMode: Text.Wrap
                    color: Theme.danger
                }
                SecondaryButton {
                    objectName: "openDuplicateButton"
                    visible: form.duplicateConversationId.length > 0
                    text: qsTr("Open conversation")
                    onClicked: form.openConversationRequested(form.duplicateConversationId)
                }
            }
        }
    }
}
