// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The second step of a sign-in with two-factor: the code from the authenticator app, or a recovery code.
FocusScope {
    id: form

    /// A check is in flight.
    property bool busy: false
    /// What went wrong and how to fix it; "" when nothing did.
    property string errorText

    /// The person typed a code and asked to go on.
    signal codeSubmitted(string code)
    /// The person wants to type the email and password again.
    signal backRequested()

    implicitWidth: 360
    implicitHeight: column.implicitHeight
    onErrorTextChanged: {
        if (errorText.length > 0 && !busy) {
            codeField.selectAll()
            codeField.forceActiveFocus()
        }
    }

    ColumnLayout {
        id: column
        width: parent.width
        spacing: Theme.spacing

        Label {
            Layout.fillWidth: true
            text: qsTr("Enter the 6-digit code your authenticator app shows for Larch. Lost your phone? Type one of "
                       + "your recovery codes instead.")
            wrapMode: Text.Wrap
            color: Theme.text
        }
        LarchTextField {
            id: codeField
            objectName: "twoFactorCodeField"
            Layout.fillWidth: true
            focus: true
            enabled: !form.busy
            placeholderText: "123 456"
            maximumLength: 16
            inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase
            invalid: form.errorText.length > 0
            Accessible.name: qsTr("Code")
            onAccepted: form.codeSubmitted(text)
        }
        PrimaryButton {
            objectName: "verifyCodeButton"
            Layout.fillWidth: true
            Layout.topMargin: Theme.padding
            text: qsTr("Sign in")
            busy: form.busy
            enabled: codeField.text.trim().length > 0 || form.busy
            onClicked: form.codeSubmitted(codeField.text)
        }
        SecondaryButton {
            objectName: "codeBackButton"
            Layout.fillWidth: true
            text: qsTr("Back")
            enabled: !form.busy
            onClicked: form.backRequested()
        }
        Label {
            objectName: "twoFactorSignInError"
            Layout.fillWidth: true
            visible: form.errorText.length > 0
            text: form.errorText
            wrapMode: Text.Wrap
            color: Theme.danger
            Accessible.role: Accessible.AlertMessage
        }
    }
}
