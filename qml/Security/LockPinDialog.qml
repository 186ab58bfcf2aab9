// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// "Unlock PIN" for phones (App.lock): a PIN kept on this device, as a hash, that opens the lock instead of the
// password.
LarchDialog {
    id: dialog
    objectName: "lockPinDialog"

    title: qsTr("Unlock PIN")
    onClosed: {
        pinField.text = ""
        againField.text = ""
        mismatch.visible = false
    }

    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.text
        text: App.lock.hasPin
              ? qsTr("A PIN is set on this device. Type a new one to change it, or remove it to unlock with your "
                     + "password.")
              : qsTr("On this phone, Larch locks when it comes back after five minutes away. Set a PIN of 4 to 8 "
                     + "digits to unlock it quickly; it stays on this device only.")
    }
    LarchTextField {
        id: pinField
        objectName: "pinField"
        Layout.fillWidth: true
        echoMode: TextInput.Password
        inputMethodHints: Qt.ImhDigitsOnly
        maximumLength: 8
        placeholderText: qsTr("New PIN")
        Accessible.name: qsTr("New PIN")
    }
    LarchTextField {
        id: againField
        objectName: "pinAgainField"
        Layout.fillWidth: true
        echoMode: TextInput.Password
        inputMethodHints: Qt.ImhDigitsOnly
        maximumLength: 8
        placeholderText: qsTr("The same PIN again")
        Accessible.name: qsTr("The same PIN again")
        onAccepted: saveButton.clicked()
    }
    Label {
        id: mismatch
        Layout.fillWidth: true
        visible: false
        text: qsTr("The two PINs differ; type the same one twice.")
        wrapMode: Text.Wrap
        color: Theme.danger
    }
    Label {
        Layout.fillWidth: true
        visible: App.lock.error.length > 0 && !App.lock.locked
        text: App.lock.error
        wrapMode: Text.Wrap
        color: Theme.danger
    }

    buttons: [
        PrimaryButton {
            id: saveButton
            objectName: "savePinButton"
            text: qsTr("Save PIN")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: {
                mismatch.visible = pinField.text !== againField.text
                if (!mismatch.visible && App.lock.setPin(pinField.text))
                    dialog.close()
            }
        },
        SecondaryButton {
            objectName: "removePinButton"
            visible: App.lock.hasPin
            text: qsTr("Remove PIN")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: {
                App.lock.clearPin()
                dialog.close()
            }
        }
    ]
}
