// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// What covers every screen while the app is locked (App.lock): no name of a patient, no message, no count. The
// password (or the device's PIN at phone size) unlocks; Sign out is the way out for someone else at the desk.
FocusScope {
    id: lock

    /// Gives the keyboard to the field (the lock just appeared).
    function focusField() { secretField.forceActiveFocus() }

    // Clicks and wheels stop here: nothing underneath can be reached.
    MouseArea {
        anchors.fill: parent
        acceptedButtons: Qt.AllButtons
        hoverEnabled: true
        onWheel: (wheel) => wheel.accepted = true
    }
    Rectangle {
        anchors.fill: parent
        color: Theme.window
    }

    Rectangle {
        id: card
        readonly property bool compact: lock.width < 480
        width: compact ? lock.width : 380
        height: compact ? lock.height : content.implicitHeight + 72
        anchors.centerIn: parent
        radius: compact ? 0 : 12
        color: Theme.surface
        border.width: compact ? 0 : 1
        border.color: Theme.divider

        ColumnLayout {
            id: content
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: 36
            anchors.topMargin: card.compact ? 96 : 36
            spacing: Theme.spacing

            Icon {
                Layout.alignment: Qt.AlignHCenter
                iconName: "lock"
                size: 40
                color: Theme.accent
            }
            Label {
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("Larch is locked")
                color: Theme.text
                font.pixelSize: Theme.headlineFontSize
                font.weight: Font.DemiBold
                Accessible.role: Accessible.Heading
            }
            Label {
                Layout.fillWidth: true
                Layout.bottomMargin: Theme.spacing
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                color: Theme.textSecondary
                text: App.lock.unlocksWithPin ? qsTr("Enter your PIN to go on.")
                                              : qsTr("Enter the password of %1 to go on.").arg(App.session.userName)
            }
            LarchTextField {
                id: secretField
                objectName: "lockSecretField"
                Layout.fillWidth: true
                focus: true
                echoMode: TextInput.Password
                passwordCharacter: "•"
                inputMethodHints: App.lock.unlocksWithPin ? Qt.ImhDigitsOnly : Qt.ImhNone
                invalid: App.lock.error.length > 0
                Accessible.name: App.lock.unlocksWithPin ? qsTr("PIN") : qsTr("Password")
                onAccepted: unlockButton.clicked()
            }
            Label {
                objectName: "lockError"
                Layout.fillWidth: true
                visible: App.lock.error.length > 0
                text: App.lock.error
                wrapMode: Text.Wrap
                color: Theme.danger
                Accessible.role: Accessible.AlertMessage
            }
            PrimaryButton {
                id: unlockButton
                objectName: "unlockButton"
                Layout.fillWidth: true
                text: qsTr("Unlock")
                onClicked: {
                    if (App.lock.unlock(secretField.text))
                        secretField.text = ""
                    else
                        secretField.selectAll()
                }
            }
            SecondaryButton {
                objectName: "lockSignOutButton"
                Layout.fillWidth: true
                text: qsTr("Sign out")
                onClicked: {
                    secretField.text = ""
                    App.session.signOut()
                }
            }
        }
    }
}
