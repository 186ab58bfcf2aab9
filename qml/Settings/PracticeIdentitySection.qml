// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The practice's security identity in the security settings: its security code when this device holds it, and,
// when the practice has one this device does not hold, how to get it or replace it after every device holding it
// was lost.
ColumnLayout {
    id: section

    /// The identity's status (App.practiceIdentityStatus; a stand-in in tests): state, securityCode, busy, error,
    /// notice, refresh(), replace().
    property var status: null
    readonly property int identityState: status ? status.state : PracticeIdentityStatus.Unknown

    spacing: Theme.spacing / 2

    Label {
        Layout.topMargin: Theme.margin
        text: qsTr("Practice security identity")
        font.weight: Font.DemiBold
        color: Theme.text
    }
    Label {
        objectName: "identityStateText"
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.textSecondary
        text: section.identityState === PracticeIdentityStatus.Held
              ? qsTr("Patients' apps check every key against it. Its security code, printed on your Practice Links:")
              : section.identityState === PracticeIdentityStatus.NotHeld
              ? qsTr("This device doesn't hold it yet: a colleague's approved device hands it over when it approves this one. Replace it only if every device that held it is lost; patients then see a warning until they check the new security code.")
              : section.identityState === PracticeIdentityStatus.None
              ? qsTr("The practice has none yet; an administrator's approved device makes it.")
              : section.status && section.status.busy ? qsTr("Checking…") : ""
    }
    Label {
        objectName: "identitySecurityCode"
        visible: text.length > 0
        text: section.status ? section.status.securityCode : ""
        font.family: "monospace"
        font.pixelSize: Theme.fontSize + 1
        font.letterSpacing: 1
        color: Theme.text
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    SecondaryButton {
        objectName: "replaceIdentityButton"
        visible: section.identityState === PracticeIdentityStatus.NotHeld
        enabled: section.status && !section.status.busy
        text: qsTr("Replace identity…")
        implicitWidth: implicitContentWidth + 2 * Theme.margin
        onClicked: confirm.open()
    }
    Label {
        objectName: "identityNotice"
        Layout.fillWidth: true
        visible: text.length > 0
        text: section.status ? section.status.notice : ""
        wrapMode: Text.Wrap
        color: Theme.accent
    }
    Label {
        objectName: "identityError"
        Layout.fillWidth: true
        visible: text.length > 0
        text: section.status ? section.status.error : ""
        wrapMode: Text.Wrap
        color: Theme.danger
    }

    LarchDialog {
        id: confirm
        objectName: "replaceIdentityDialog"
        title: qsTr("Replace the practice's security identity?")
        initialFocusItem: cancelButton
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.text
            text: qsTr("Do this only when no approved device of your practice holds the identity any more. Every patient sees a warning in their thread, and their messages wait until they check the new security code with you, in person or by phone. Practice Link posters must be printed again.")
        }
        buttons: [
            PrimaryButton {
                objectName: "confirmReplaceIdentityButton"
                text: qsTr("Replace")
                implicitWidth: implicitContentWidth + 2 * Theme.margin
                onClicked: {
                    section.status.replace()
                    confirm.close()
                }
            },
            SecondaryButton {
                id: cancelButton
                text: qsTr("Cancel")
                implicitWidth: implicitContentWidth + 2 * Theme.margin
                onClicked: confirm.close()
            }
        ]
    }
}
