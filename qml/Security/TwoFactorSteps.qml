// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The steps of two-factor sign-in, bound to App.twoFactor: whether it is on (with new recovery codes and turning it
// off), the QR code and first code of enrolment, and the recovery codes shown once.
ColumnLayout {
    id: steps

    /// Enrolment the practice requires: no way to turn it off, and no Cancel while scanning.
    property bool requiredByPractice: false
    readonly property var setup: App.twoFactor

    spacing: Theme.spacing

    /// Gives the keyboard to the step's code field, when it has one.
    function focusCode() {
        if (setup.step === TwoFactorSetup.Scan)
            firstCode.forceActiveFocus()
        else if (setup.step === TwoFactorSetup.Overview && setup.enabled)
            currentCode.forceActiveFocus()
    }

    // After the step's fields have become visible.
    Timer {
        id: focusLater
        interval: 0
        onTriggered: steps.focusCode()
    }
    Connections {
        target: steps.setup
        function onChanged() { focusLater.restart() }
    }

    // Overview: whether it is on.
    Label {
        objectName: "twoFactorStatus"
        Layout.fillWidth: true
        visible: steps.setup.step === TwoFactorSetup.Overview
        wrapMode: Text.Wrap
        color: Theme.text
        text: steps.setup.enabled
              ? qsTr("Two-factor sign-in is on. Signing in takes your password and a code from your authenticator "
                     + "app.") + " " + (steps.setup.recoveryCodesLeft === 1 ? qsTr("1 recovery code left.")
                                        : qsTr("%1 recovery codes left.").arg(steps.setup.recoveryCodesLeft))
              : qsTr("Two-factor sign-in is off. Turn it on so that a stolen password alone cannot open your "
                     + "patients' conversations: signing in will also take a code from an authenticator app on "
                     + "your phone.")
    }
    Label {
        Layout.fillWidth: true
        visible: steps.setup.step === TwoFactorSetup.Overview && steps.setup.enabled
        wrapMode: Text.Wrap
        color: Theme.textSecondary
        text: steps.setup.required
              ? qsTr("Your practice requires it, so it stays on. For new recovery codes, type a current code.")
              : qsTr("For new recovery codes, or to turn it off, type a current code or a recovery code.")
    }
    LarchTextField {
        id: currentCode
        objectName: "twoFactorCurrentCode"
        Layout.fillWidth: true
        visible: steps.setup.step === TwoFactorSetup.Overview && steps.setup.enabled
        enabled: !steps.setup.busy
        placeholderText: qsTr("6-digit code or recovery code")
        inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase
        Accessible.name: qsTr("Current code")
    }
    RowLayout {
        Layout.fillWidth: true
        visible: steps.setup.step === TwoFactorSetup.Overview
        spacing: Theme.spacing
        PrimaryButton {
            objectName: "twoFactorStartButton"
            visible: !steps.setup.enabled
            text: qsTr("Turn on")
            busy: steps.setup.busy
            onClicked: steps.setup.start()
        }
        SecondaryButton {
            objectName: "twoFactorRenewButton"
            visible: steps.setup.enabled
            text: qsTr("New recovery codes")
            enabled: !steps.setup.busy
            onClicked: steps.setup.renewRecoveryCodes(currentCode.text)
        }
        SecondaryButton {
            objectName: "twoFactorDisableButton"
            visible: steps.setup.enabled && !steps.setup.required
            text: qsTr("Turn off")
            enabled: !steps.setup.busy
            onClicked: steps.setup.disable(currentCode.text)
        }
        Item { Layout.fillWidth: true }
    }

    // Scan: the QR code, the key for typing, the first code.
    Label {
        Layout.fillWidth: true
        visible: steps.setup.step === TwoFactorSetup.Scan
        wrapMode: Text.Wrap
        color: Theme.text
        text: qsTr("1. Open an authenticator app on your phone (such as Google Authenticator, Microsoft "
                   + "Authenticator or FreeOTP) and scan this code.")
    }
    Rectangle {
        Layout.alignment: Qt.AlignHCenter
        visible: steps.setup.step === TwoFactorSetup.Scan
        implicitWidth: 184
        implicitHeight: 184
        color: "white"
        border.width: 1
        border.color: Theme.divider
        radius: 6
        Image {
            objectName: "twoFactorQr"
            anchors.centerIn: parent
            // The key is in this address: never kept in Qt's image cache.
            cache: false
            source: steps.setup.uri.length > 0 ? "image://qr/" + encodeURIComponent(steps.setup.uri) : ""
            sourceSize.width: 168
            sourceSize.height: 168
            Accessible.name: qsTr("QR code for your authenticator app")
        }
    }
    Label {
        Layout.fillWidth: true
        visible: steps.setup.step === TwoFactorSetup.Scan
        wrapMode: Text.Wrap
        color: Theme.textSecondary
        text: qsTr("Cannot scan? Type this key into the app instead:")
    }
    TextEdit {
        objectName: "twoFactorKey"
        Layout.fillWidth: true
        visible: steps.setup.step === TwoFactorSetup.Scan
        readOnly: true
        selectByMouse: true
        wrapMode: Text.Wrap
        text: steps.setup.secretText
        color: Theme.text
        font.family: "monospace"
        font.pixelSize: Theme.fontSize
        Accessible.name: qsTr("Key for your authenticator app")
    }
    Label {
        Layout.fillWidth: true
        Layout.topMargin: Theme.spacing
        visible: steps.setup.step === TwoFactorSetup.Scan
        wrapMode: Text.Wrap
        color: Theme.text
        text: qsTr("2. Type the 6-digit code the app now shows.")
    }
    LarchTextField {
        id: firstCode
        objectName: "twoFactorFirstCode"
        Layout.fillWidth: true
        visible: steps.setup.step === TwoFactorSetup.Scan
        enabled: !steps.setup.busy
        placeholderText: "123 456"
        inputMethodHints: Qt.ImhDigitsOnly
        maximumLength: 16
        Accessible.name: qsTr("Code from the app")
        onAccepted: steps.setup.confirm(text)
    }
    RowLayout {
        Layout.fillWidth: true
        visible: steps.setup.step === TwoFactorSetup.Scan
        spacing: Theme.spacing
        PrimaryButton {
            objectName: "twoFactorConfirmButton"
            text: qsTr("Turn on")
            busy: steps.setup.busy
            onClicked: steps.setup.confirm(firstCode.text)
        }
        SecondaryButton {
            visible: !steps.requiredByPractice
            text: qsTr("Cancel")
            onClicked: {
                firstCode.text = ""
                steps.setup.cancel()
            }
        }
        Item { Layout.fillWidth: true }
    }

    // RecoveryCodes: shown once.
    Label {
        Layout.fillWidth: true
        visible: steps.setup.step === TwoFactorSetup.RecoveryCodes
        wrapMode: Text.Wrap
        color: Theme.text
        text: qsTr("Keep these recovery codes somewhere safe, such as on paper in a locked drawer. If you lose your "
                   + "phone, each one signs you in once instead of a code. They are not shown again.")
    }
    GridLayout {
        objectName: "recoveryCodeGrid"
        Layout.alignment: Qt.AlignHCenter
        visible: steps.setup.step === TwoFactorSetup.RecoveryCodes
        columns: 2
        columnSpacing: Theme.margin
        rowSpacing: 6
        Repeater {
            model: steps.setup.recoveryCodes
            delegate: Label {
                required property string modelData
                text: modelData
                color: Theme.text
                font.family: "monospace"
                font.pixelSize: Theme.fontSize + 1
            }
        }
    }
    RowLayout {
        Layout.fillWidth: true
        visible: steps.setup.step === TwoFactorSetup.RecoveryCodes
        spacing: Theme.spacing
        PrimaryButton {
            objectName: "twoFactorDoneButton"
            text: qsTr("I have kept them")
            onClicked: {
                firstCode.text = ""
                currentCode.text = ""
                steps.setup.done()
            }
        }
        SecondaryButton {
            objectName: "twoFactorCopyButton"
            text: qsTr("Copy")
            onClicked: {
                clipboardHelper.text = steps.setup.recoveryCodesText()
                clipboardHelper.selectAll()
                clipboardHelper.copy()
                clipboardHelper.text = ""
                text = qsTr("Copied")
            }
        }
        Item { Layout.fillWidth: true }
    }
    TextEdit { id: clipboardHelper; visible: false }

    Label {
        objectName: "twoFactorError"
        Layout.fillWidth: true
        visible: steps.setup.error.length > 0
        text: steps.setup.error
        wrapMode: Text.Wrap
        color: Theme.danger
        Accessible.role: Accessible.AlertMessage
    }
}
