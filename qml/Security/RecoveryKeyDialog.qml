// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The account's "Recovery key" dialog: explains the key and makes one (then shows it once), or
// restores history on this device from a key written down earlier.
LarchDialog {
    id: dialog

    /// A key backup already exists on the server for this person.
    property bool hasRecoveryKey: false
    /// One sentence on why the last create or restore failed; shown only after this dialog asked.
    property string errorText
    /// "intro", "key" (a new key on show), "restore" (entering a key) or "restored".
    property string step: "intro"
    readonly property alias keyText: keyDisplay.keyText
    property bool asked: false

    signal createRequested()
    signal restoreRequested(string text)

    /// Opens the dialog on its first page, or on the restore page.
    function openAt(startStep) {
        step = startStep === "restore" ? "restore" : "intro"
        asked = false
        open()
    }
    /// Shows a key App.security.createRecoveryKey() just made; it is forgotten when the dialog closes.
    function showKey(text) {
        keyDisplay.keyText = text
        step = "key"
    }
    /// Says the history opened after a restore.
    function showRestored() {
        restoreField.text = ""
        step = "restored"
    }

    objectName: "recoveryKeyDialog"
    dismissable: step !== "key"
    title: step === "key" ? qsTr("Your new recovery key")
         : step === "restore" ? qsTr("Restore from recovery key")
         : step === "restored" ? qsTr("History restored")
         : qsTr("Recovery key")
    // What was shown or typed never outlives the dialog.
    onClosed: {
        keyDisplay.keyText = ""
        restoreField.text = ""
        asked = false
        step = "intro"
    }
    onStepChanged: if (step === "restore") restoreField.forceActiveFocus()

    // Intro: what a recovery key is for, and whether one exists.
    Label {
        objectName: "recoveryIntroText"
        Layout.fillWidth: true
        visible: dialog.step === "intro"
        text: dialog.hasRecoveryKey
              ? qsTr("You already have a recovery key. Keep it where you wrote it down. If you have lost it, create a new one: the old key then stops working.")
              : qsTr("A recovery key opens your conversation history on a new device, or after you reinstall Larch. Larch makes it on this device and shows it only once; the server keeps a locked copy of your keys that only this key can open.")
        wrapMode: Text.Wrap
        lineHeight: 1.1
        color: Theme.textSecondary
    }
    RowLayout {
        Layout.fillWidth: true
        visible: dialog.step === "intro" && dialog.hasRecoveryKey
        spacing: Theme.spacing
        Icon { iconName: "check"; size: 18; color: Theme.accent }
        Label {
            objectName: "recoveryKeyExists"
            Layout.fillWidth: true
            text: qsTr("A recovery key is set up for your account.")
            wrapMode: Text.Wrap
            color: Theme.accent
            font.weight: Font.DemiBold
        }
    }
    Rectangle {
        Layout.fillWidth: true
        Layout.topMargin: Theme.gap
        visible: dialog.step === "intro"
        implicitHeight: restoreColumn.implicitHeight + 2 * Theme.padding
        radius: Theme.radius
        color: Theme.window
        ColumnLayout {
            id: restoreColumn
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: Theme.padding
            spacing: Theme.spacing
            Label {
                Layout.fillWidth: true
                text: qsTr("Messages from before this device that will not open? Enter the recovery key you wrote down.")
                wrapMode: Text.Wrap
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize + 1
            }
            SecondaryButton {
                objectName: "showRestoreButton"
                iconName: "key"
                text: qsTr("Restore from recovery key")
                onClicked: { dialog.asked = false; dialog.step = "restore" }
            }
        }
    }

    // Key: the one time the new key is shown.
    Rectangle {
        objectName: "writeItDownWarning"
        Layout.fillWidth: true
        visible: dialog.step === "key"
        implicitHeight: warningRow.implicitHeight + 2 * Theme.padding
        radius: Theme.radius
        color: Theme.warningSoft
        border.width: 1
        border.color: Theme.warningBorder
        RowLayout {
            id: warningRow
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: Theme.padding
            spacing: Theme.padding
            Icon {
                Layout.alignment: Qt.AlignTop
                iconName: "warning"
                size: 20
                color: Theme.warning
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("Write this key down now and keep it somewhere safe. Larch shows it only this once and cannot show it again. Anyone who has it and your password can read your history, so keep it private.")
                wrapMode: Text.Wrap
                color: Theme.warning
                font.pixelSize: Theme.smallFontSize + 1
            }
        }
    }
    RecoveryKeyDisplay {
        id: keyDisplay
        Layout.fillWidth: true
        visible: dialog.step === "key"
    }

    // Restore: entering a key written down earlier.
    Label {
        Layout.fillWidth: true
        visible: dialog.step === "restore"
        text: qsTr("Enter the recovery key you wrote down when you created it: 13 groups of four letters and digits. Spaces and capitals do not matter.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
    }
    LarchTextField {
        id: restoreField
        objectName: "restoreField"
        Layout.fillWidth: true
        visible: dialog.step === "restore"
        placeholderText: "4KQM 7ZT2 H9RA …"
        font.family: Theme.monoFontFamily
        inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhPreferUppercase
        invalid: dialog.asked && dialog.errorText.length > 0
        Accessible.name: qsTr("Recovery key")
        onAccepted: restoreButton.clicked()
    }

    Label {
        objectName: "restoredText"
        Layout.fillWidth: true
        visible: dialog.step === "restored"
        text: qsTr("Your keys are back on this device. Earlier messages open as you scroll through your conversations.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
    }

    // Any step: what went wrong with the last request this dialog made.
    Label {
        objectName: "recoveryError"
        Layout.fillWidth: true
        visible: dialog.asked && dialog.errorText.length > 0 && (dialog.step === "intro" || dialog.step === "restore")
        text: dialog.errorText
        wrapMode: Text.Wrap
        color: Theme.danger
        padding: Theme.spacing
        leftPadding: Theme.padding
        background: Rectangle {
            radius: Theme.radius
            color: Theme.dangerSoft
            border.width: 1
            border.color: Theme.dangerBorder
        }
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
    }

    buttons: [
        PrimaryButton {
            objectName: "createRecoveryKeyButton"
            visible: dialog.step === "intro"
            text: dialog.hasRecoveryKey ? qsTr("Create a new key") : qsTr("Create recovery key")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: { dialog.asked = true; dialog.createRequested() }
        },
        PrimaryButton {
            objectName: "wroteItDownButton"
            visible: dialog.step === "key"
            text: qsTr("I have written it down")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.close()
        },
        PrimaryButton {
            id: restoreButton
            objectName: "restoreButton"
            visible: dialog.step === "restore"
            text: qsTr("Restore")
            enabled: restoreField.text.trim().length > 0
            implicitWidth: Math.max(96, implicitContentWidth + 2 * Theme.margin)
            onClicked: {
                if (!enabled)
                    return
                dialog.asked = true
                dialog.restoreRequested(restoreField.text.trim())
            }
        },
        SecondaryButton {
            objectName: "restoreBackButton"
            visible: dialog.step === "restore"
            text: qsTr("Back")
            tint: Theme.textSecondary
            onClicked: { dialog.asked = false; dialog.step = "intro" }
        },
        PrimaryButton {
            objectName: "restoredDoneButton"
            visible: dialog.step === "restored"
            text: qsTr("Done")
            implicitWidth: Math.max(96, implicitContentWidth + 2 * Theme.margin)
            onClicked: dialog.close()
        }
    ]
}
