// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
// Qualified, like StandardConversationDialog.qml: Larch.Models has a C++ type of this file's name.
import Larch.Models as Models

// The "Text Message (SMS)" / "Email" form: the patient's number or address with the live check's
// sentence, an optional name, and the existing conversation offered instead of a duplicate.
// Presentation only: the state and the check live in the controller (App.standardForm).
FocusScope {
    id: form

    /// App.standardForm, or a stand-in with its properties: channel, name, contact, contactDisplay,
    /// contactError, warning, checking, duplicateConversationId, busy, error, canCreate; checkNow() and create().
    property var controller: null

    /// Emitted for "Open the existing conversation" after a duplicate refusal.
    signal openConversationRequested(string conversationId)

    readonly property bool isEmail: controller !== null && controller.channel === Models.Channel.Email
    readonly property bool busy: controller !== null && controller.busy

    /// Creates the conversation when the controller says it can (Enter in either field).
    function submit() {
        if (controller && controller.canCreate && !controller.busy)
            controller.create()
    }

    implicitWidth: 420
    implicitHeight: column.implicitHeight

    component FieldLabel: Label {
        color: Theme.text
        font.pixelSize: Theme.smallFontSize + 1
        font.weight: Font.DemiBold
    }
    component FieldNote: Label {
        Layout.fillWidth: true
        visible: text.length > 0
        wrapMode: Text.Wrap
        color: Theme.textSecondary
        font.pixelSize: Theme.smallFontSize + 1
    }

    ColumnLayout {
        id: column
        width: parent.width
        spacing: Theme.gap + 2

        Rectangle {
            objectName: "notEncryptedNote"
            Layout.fillWidth: true
            Layout.bottomMargin: Theme.spacing
            implicitHeight: noteRow.implicitHeight + 2 * Theme.padding
            radius: Theme.radius
            color: Theme.window
            border.width: 1
            border.color: Theme.border
            Accessible.role: Accessible.StaticText
            Accessible.name: noteText.text
            RowLayout {
                id: noteRow
                anchors.fill: parent
                anchors.margins: Theme.padding
                spacing: Theme.spacing
                Icon {
                    Layout.alignment: Qt.AlignTop
                    Layout.topMargin: 1
                    iconName: "lock-open"
                    size: 18
                    color: Theme.textSecondary
                }
                Label {
                    id: noteText
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Theme.text
                    text: form.isEmail
                          ? qsTr("An ordinary email to the patient's inbox. It is not end-to-end encrypted. Before the first message you record the patient's consent to unencrypted messages.")
                          : qsTr("An ordinary text message to the patient's phone. It is not end-to-end encrypted. Before the first message you record the patient's consent to unencrypted messages.")
                }
            }
        }

        FieldLabel { text: form.isEmail ? qsTr("Email") : qsTr("Mobile phone") }
        LarchTextField {
            id: contactField
            objectName: "contactField"
            Layout.fillWidth: true
            focus: true
            enabled: !form.busy
            text: form.controller ? form.controller.contact : ""
            invalid: contactErrorNote.visible
            placeholderText: form.isEmail ? qsTr("patient@example.com") : qsTr("(201) 555-0123")
            inputMethodHints: form.isEmail ? Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
                                           : Qt.ImhDialableCharactersOnly
            Accessible.name: form.isEmail ? qsTr("Email") : qsTr("Mobile phone")
            Accessible.description: contactErrorNote.text || warningNote.text || displayNote.text
            onTextEdited: if (form.controller) form.controller.contact = text
            // Leaving the field checks at once rather than after the typing pause.
            onActiveFocusChanged: if (!activeFocus && text.length > 0 && form.controller) form.controller.checkNow()
            onAccepted: form.submit()
            KeyNavigation.tab: nameField
        }
        FieldNote {
            id: contactErrorNote
            objectName: "contactError"
            textFormat: Text.PlainText
            text: form.controller ? form.controller.contactError : ""
            color: Theme.danger
        }
        FieldNote {
            id: warningNote
            objectName: "contactWarning"
            textFormat: Text.PlainText
            text: form.controller && form.controller.contactError.length === 0 ? form.controller.warning : ""
            color: Theme.warning
        }
        RowLayout {
            objectName: "checkingRow"
            Layout.fillWidth: true
            visible: form.controller !== null && form.controller.checking
            spacing: Theme.spacing
            BusyIndicator {
                implicitWidth: 18
                implicitHeight: 18
                padding: 0
                running: parent.visible
            }
            FieldNote {
                text: form.isEmail ? qsTr("Checking the address…") : qsTr("Checking the number…")
            }
        }
        FieldNote {
            id: displayNote
            objectName: "contactDisplay"
            textFormat: Text.PlainText
            text: !form.controller || form.controller.checking || form.controller.contactError.length > 0
                  || form.controller.warning.length > 0 || form.controller.contactDisplay.length === 0 ? ""
                  : form.isEmail ? qsTr("Emails go to %1.").arg(form.controller.contactDisplay)
                  : qsTr("Texts go to %1.").arg(form.controller.contactDisplay)
        }

        FieldLabel { text: qsTr("Patient name (optional)"); Layout.topMargin: Theme.spacing }
        LarchTextField {
            id: nameField
            objectName: "nameField"
            Layout.fillWidth: true
            enabled: !form.busy
            text: form.controller ? form.controller.name : ""
            placeholderText: qsTr("First and last name")
            Accessible.name: qsTr("Patient name, optional")
            onTextEdited: if (form.controller) form.controller.name = text
            onAccepted: form.submit()
        }
        FieldNote {
            text: form.isEmail ? qsTr("Without a name, the conversation is titled with the email address.")
                               : qsTr("Without a name, the conversation is titled with the phone number.")
        }

        Rectangle {
            objectName: "formError"
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacing
            visible: form.controller !== null && form.controller.error.length > 0
            implicitHeight: errorColumn.implicitHeight + 2 * Theme.padding
            radius: Theme.radius
            color: Theme.dangerSoft
            border.width: 1
            border.color: Theme.dangerBorder
            Accessible.role: Accessible.AlertMessage
            Accessible.name: errorText.text
            ColumnLayout {
                id: errorColumn
                anchors.fill: parent
                anchors.margins: Theme.padding
                spacing: Theme.spacing
                Label {
                    id: errorText
                    objectName: "formErrorText"
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    text: form.controller ? form.controller.error : ""
                    wrapMode: Text.Wrap
                    color: Theme.danger
                }
                SecondaryButton {
                    objectName: "openExistingButton"
                    visible: form.controller !== null && form.controller.duplicateConversationId.length > 0
                    text: qsTr("Open the existing conversation")
                    onClicked: form.openConversationRequested(form.controller.duplicateConversationId)
                }
            }
        }
    }
}
