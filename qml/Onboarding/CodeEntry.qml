// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The 6-digit code step: where the code went, the code field, and what to do when it is wrong, locked or
// expired. Presentation only.
FocusScope {
    id: entry

    /// Where the code was sent, masked, e.g. "•••• ••• 0123".
    property string contactHint
    property bool busy: false
    /// A sentence on what went wrong; "" when nothing did.
    property string errorText
    /// A CodeError: None, Wrong, Locked or Expired.
    property int errorKind: CodeError.None
    readonly property alias code: codeField.text

    signal verifyRequested(string code)
    signal newCodeRequested()
    signal backRequested()

    implicitWidth: 340
    implicitHeight: column.implicitHeight

    ColumnLayout {
        id: column
        width: parent.width
        spacing: Theme.spacing

        Label {
            objectName: "codeSentTo"
            Layout.fillWidth: true
            text: entry.contactHint.length > 0 ? qsTr("We sent a 6-digit code to %1. It works for 10 minutes.").arg(entry.contactHint)
                                               : qsTr("We sent you a 6-digit code. It works for 10 minutes.")
            wrapMode: Text.Wrap
            color: Theme.textSecondary
        }
        LarchTextField {
            id: codeField
            objectName: "codeField"
            Layout.fillWidth: true
            focus: true
            enabled: !entry.busy && entry.errorKind !== CodeError.Locked
            placeholderText: "123456"
            maximumLength: 7
            inputMethodHints: Qt.ImhDigitsOnly
            validator: RegularExpressionValidator { regularExpression: /[0-9 ]{0,7}/ }
            invalid: entry.errorText.length > 0
            font.pixelSize: Theme.headlineFontSize
            font.letterSpacing: 6
            horizontalAlignment: TextInput.AlignHCenter
            Accessible.name: qsTr("Code")
            onAccepted: entry.verifyRequested(text)
        }
        Label {
            objectName: "codeError"
            Layout.fillWidth: true
            visible: text.length > 0
            text: entry.errorText
            wrapMode: Text.Wrap
            color: Theme.danger
        }
        PrimaryButton {
            objectName: "verifyButton"
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacing
            text: qsTr("Continue")
            busy: entry.busy
            enabled: codeField.text.replace(/ /g, "").length === 6 && entry.errorKind !== CodeError.Locked
            onClicked: entry.verifyRequested(codeField.text)
        }
        SecondaryButton {
            objectName: "newCodeButton"
            Layout.fillWidth: true
            text: qsTr("Send a new code")
            filled: entry.errorKind === CodeError.Expired
            enabled: !entry.busy
            onClicked: { codeField.text = ""; entry.newCodeRequested() }
        }
        SecondaryButton {
            objectName: "changeContactButton"
            Layout.fillWidth: true
            text: qsTr("Use another phone number or email")
            tint: Theme.textSecondary
            onClicked: entry.backRequested()
        }
    }
}
