// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// Security settings for administrators (App.policy): two-factor sign-in for all staff, how long the desktop app
// waits without input before it locks, and the practice's security identity (App.practiceIdentityStatus).
LarchDialog {
    id: dialog
    objectName: "securitySettingsDialog"

    title: qsTr("Security settings")
    initialFocusItem: requireSwitch
    onAboutToShow: {
        App.policy.refresh()
        App.practiceIdentityStatus.refresh()
    }

    Connections {
        target: App.policy
        function onChanged() {
            if (!App.policy.busy) {
                requireSwitch.checked = App.policy.twoFactorRequired
                minutesBox.value = App.policy.idleLockMinutes
            }
        }
        function onSaved() { dialog.close() }
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing
        Label {
            Layout.fillWidth: true
            text: qsTr("Require two-factor sign-in for all staff")
            wrapMode: Text.Wrap
            font.weight: Font.DemiBold
            color: Theme.text
        }
        Switch {
            id: requireSwitch
            objectName: "requireTwoFactorSwitch"
            enabled: !App.policy.busy
            Accessible.name: qsTr("Require two-factor sign-in for all staff")
        }
    }
    Label {
        Layout.fillWidth: true
        text: qsTr("Staff without it are led to set it up the next time they open Larch, before anything else.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
    }

    Label {
        Layout.topMargin: Theme.margin
        text: qsTr("Lock after")
        font.weight: Font.DemiBold
        color: Theme.text
    }
    RowLayout {
        spacing: Theme.spacing
        SpinBox {
            id: minutesBox
            objectName: "idleMinutesBox"
            from: 1
            to: 60
            editable: true
            enabled: !App.policy.busy
            Accessible.name: qsTr("Minutes without input before the app locks")
        }
        Label {
            text: qsTr("minutes without input")
            color: Theme.text
        }
    }
    Label {
        Layout.fillWidth: true
        text: qsTr("The desktop app hides every screen behind a lock after this long; the person's password opens "
                   + "it. Phones lock after five minutes in the background.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
    }
    PracticeIdentitySection {
        Layout.fillWidth: true
        status: App.practiceIdentityStatus
    }
    Label {
        objectName: "securitySettingsError"
        Layout.fillWidth: true
        visible: App.policy.error.length > 0
        text: App.policy.error
        wrapMode: Text.Wrap
        color: Theme.danger
    }

    buttons: [
        PrimaryButton {
            objectName: "saveSecuritySettingsButton"
            text: qsTr("Save")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            busy: App.policy.busy
            enabled: App.policy.loaded || App.policy.busy
            onClicked: App.policy.save(requireSwitch.checked, minutesBox.value)
        },
        SecondaryButton {
            text: qsTr("Close")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.close()
        }
    ]
}
