// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The sign-in form: email, password and (folded away for newcomers) the server address.
FocusScope {
    id: form

    /// The server address shown in the Server field when the form appears.
    property string serverUrl
    /// A sign-in is in flight: the form is read-only and the button spins.
    property bool busy: false
    /// One sentence saying what went wrong and how to fix it; empty when nothing did.
    property string errorText
    /// A few words above errorText naming the problem, e.g. "System keychain needed"; optional.
    property string errorTitle
    /// Whether the error is about what was typed: then the password is marked and selected to retype.
    property bool errorConcernsPassword: true
    /// Shows the Server field.
    property bool serverExpanded: false

    readonly property alias email: emailField.text
    readonly property alias password: passwordField.text
    readonly property bool canSubmit: !busy && emailField.text.trim().length > 0
                                      && passwordField.text.length > 0 && serverField.text.trim().length > 0

    /// Emitted when the person asks to sign in with complete details.
    signal signInRequested(string serverUrl, string email, string password)

    /// Signs in if the form is complete, otherwise moves to the first empty field.
    function submit() {
        if (busy)
            return
        if (serverField.text.trim().length === 0) {
            serverExpanded = true
            serverField.forceActiveFocus()
        } else if (emailField.text.trim().length === 0) {
            emailField.forceActiveFocus()
        } else if (passwordField.text.length === 0) {
            passwordField.forceActiveFocus()
        } else {
            signInRequested(serverField.text.trim(), emailField.text.trim(), passwordField.text)
        }
    }

    implicitWidth: 360
    implicitHeight: column.implicitHeight
    onServerUrlChanged: serverField.text = serverUrl
    // After a failed attempt the password is the usual culprit: select it, ready to retype.
    onErrorTextChanged: {
        if (errorText.length > 0 && !busy && errorConcernsPassword) {
            passwordField.selectAll()
            passwordField.forceActiveFocus()
        }
    }

    ColumnLayout {
        id: column
        width: parent.width
        spacing: Theme.spacing

        Label {
            text: qsTr("Email")
            color: Theme.text
            font.pixelSize: Theme.smallFontSize + 1
            font.weight: Font.DemiBold
        }
        LarchTextField {
            id: emailField
            objectName: "emailField"
            Layout.fillWidth: true
            Layout.bottomMargin: Theme.spacing
            focus: true
            enabled: !form.busy
            placeholderText: qsTr("you@practice.example")
            inputMethodHints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
            Accessible.name: qsTr("Email")
            KeyNavigation.tab: passwordField
            onAccepted: form.submit()
        }

        Label {
            text: qsTr("Password")
            color: Theme.text
            font.pixelSize: Theme.smallFontSize + 1
            font.weight: Font.DemiBold
        }
        LarchTextField {
            id: passwordField
            objectName: "passwordField"
            Layout.fillWidth: true
            enabled: !form.busy
            echoMode: TextInput.Password
            passwordCharacter: "•"
            invalid: form.errorText.length > 0 && form.errorConcernsPassword
            Accessible.name: qsTr("Password")
            onAccepted: form.submit()
        }

        AbstractButton {
            id: serverToggle
            objectName: "serverToggle"
            Layout.fillWidth: true
            Layout.topMargin: Theme.gap
            implicitHeight: 36
            focusPolicy: Qt.StrongFocus
            checkable: true
            checked: form.serverExpanded
            onToggled: form.serverExpanded = checked
            Accessible.name: qsTr("Server")
            Accessible.description: serverField.text

            contentItem: RowLayout {
                spacing: 6
                Icon {
                    iconName: form.serverExpanded ? "chevron-down" : "chevron-right"
                    size: 16
                }
                Label {
                    text: qsTr("Server")
                    color: Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize + 1
                    font.weight: Font.DemiBold
                }
                Label {
                    Layout.fillWidth: true
                    text: serverField.text
                    visible: !form.serverExpanded
                    elide: Text.ElideMiddle
                    color: Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize + 1
                }
            }
            background: Rectangle {
                radius: 4
                color: serverToggle.hovered ? Theme.hover : "transparent"
                FocusRing { shown: serverToggle.visualFocus }
            }
        }

        LarchTextField {
            id: serverField
            objectName: "serverField"
            Layout.fillWidth: true
            visible: form.serverExpanded
            enabled: !form.busy
            placeholderText: "https://larch.practice.example"
            inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
            Accessible.name: qsTr("Server address")
            onAccepted: form.submit()
        }

        PrimaryButton {
            id: signInButton
            objectName: "signInButton"
            Layout.fillWidth: true
            Layout.topMargin: Theme.padding
            text: qsTr("Sign in")
            busy: form.busy
            enabled: form.canSubmit || form.busy
            onClicked: form.submit()
            Keys.onReturnPressed: form.submit()
            Keys.onEnterPressed: form.submit()
        }

        Rectangle {
            id: errorBox
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacing
            visible: form.errorText.length > 0
            implicitHeight: errorRow.implicitHeight + 2 * Theme.padding
            radius: Theme.radius
            color: Theme.dangerSoft
            border.width: 1
            border.color: Theme.dangerBorder
            Accessible.role: Accessible.AlertMessage
            Accessible.name: form.errorTitle.length > 0 ? form.errorTitle + ". " + form.errorText : form.errorText

            RowLayout {
                id: errorRow
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.verticalCenter: parent.verticalCenter
                anchors.margins: Theme.padding
                spacing: Theme.spacing + 2
                Icon {
                    Layout.alignment: Qt.AlignTop
                    Layout.topMargin: 1
                    iconName: "warning"
                    size: 18
                    color: Theme.danger
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Label {
                        objectName: "signInErrorTitle"
                        Layout.fillWidth: true
                        visible: form.errorTitle.length > 0
                        text: form.errorTitle
                        wrapMode: Text.Wrap
                        color: Theme.danger
                        font.pixelSize: Theme.fontSize
                        font.weight: Font.DemiBold
                    }
                    Label {
                        id: errorLabel
                        objectName: "signInError"
                        Layout.fillWidth: true
                        text: form.errorText
                        wrapMode: Text.Wrap
                        lineHeight: 1.1
                        color: Theme.danger
                        font.pixelSize: Theme.fontSize
                    }
                }
            }
        }
    }
}
