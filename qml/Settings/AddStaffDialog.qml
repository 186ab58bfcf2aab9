// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// Adds a colleague to the practice's staff (administrators): their name, the email their setup link goes to, and
// whether they are an administrator. Nobody types a password for someone else: they choose their own.
LarchDialog {
    id: dialog
    objectName: "addStaffDialog"

    /// The staff controller (App.staff; a stand-in in tests): add(), busy, error, and the added signal.
    property var staff: null

    title: qsTr("Add staff member")

    /// Opens the empty form.
    function openEmpty() {
        nameField.text = ""
        emailField.text = ""
        clinicianOption.checked = true
        if (staff)
            staff.dismissNotice()
        open()
    }
    function submit() {
        if (staff && !staff.busy)
            staff.add(nameField.text, emailField.text, adminOption.checked)
    }

    Connections {
        target: dialog.staff
        function onAdded() { dialog.close() }
    }

    Label { text: qsTr("Name"); font.weight: Font.DemiBold; color: Theme.text }
    LarchTextField {
        id: nameField
        objectName: "staffNameField"
        Layout.fillWidth: true
        enabled: !(dialog.staff && dialog.staff.busy)
        placeholderText: qsTr("Dr. Rosa Diaz")
        Accessible.name: qsTr("Name")
        onAccepted: emailField.forceActiveFocus()
    }
    Label { Layout.topMargin: Theme.spacing; text: qsTr("Email"); font.weight: Font.DemiBold; color: Theme.text }
    LarchTextField {
        id: emailField
        objectName: "staffEmailField"
        Layout.fillWidth: true
        enabled: !(dialog.staff && dialog.staff.busy)
        placeholderText: qsTr("rosa@practice.example")
        inputMethodHints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
        Accessible.name: qsTr("Email")
        onAccepted: dialog.submit()
    }
    Label {
        Layout.fillWidth: true
        text: qsTr("We email them a link to choose their own password. It works once, for 3 days.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
    }
    Label { Layout.topMargin: Theme.spacing; text: qsTr("Role"); font.weight: Font.DemiBold; color: Theme.text }
    ButtonGroup { id: roleGroup }
    RadioButton {
        id: clinicianOption
        objectName: "clinicianOption"
        checked: true
        ButtonGroup.group: roleGroup
        text: qsTr("Clinician")
    }
    RadioButton {
        id: adminOption
        objectName: "adminOption"
        ButtonGroup.group: roleGroup
        text: qsTr("Administrator")
    }
    Label {
        Layout.fillWidth: true
        text: qsTr("Clinicians hold conversations with patients. Administrators also manage staff, the security settings and the audit log.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
    }
    Label {
        objectName: "addStaffError"
        Layout.fillWidth: true
        visible: text.length > 0
        text: dialog.staff ? dialog.staff.error : ""
        wrapMode: Text.Wrap
        color: Theme.danger
    }

    buttons: [
        PrimaryButton {
            objectName: "addStaffButton"
            text: qsTr("Add and send link")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            busy: dialog.staff ? dialog.staff.busy : false
            onClicked: dialog.submit()
        },
        SecondaryButton {
            text: qsTr("Cancel")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.close()
        }
    ]
}
