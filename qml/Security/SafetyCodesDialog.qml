// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The "Safety codes" dialog of a secure conversation: how to compare codes, then every member's code.
LarchDialog {
    id: dialog

    /// One map per member: {userName, role, code, deviceCount, isMe}.
    property alias members: codes.members

    objectName: "safetyCodesDialog"
    title: qsTr("Safety codes")

    Label {
        objectName: "safetyCodesHowTo"
        Layout.fillWidth: true
        text: qsTr("Each person's code is a fingerprint of the devices that can read this conversation. Compare codes in person or on a call: read yours out and check that theirs matches what Larch shows them on their own screen. If a code does not match, do not share anything sensitive and tell your practice.")
        wrapMode: Text.Wrap
        lineHeight: 1.1
        color: Theme.textSecondary
    }

    SafetyCodeList {
        id: codes
        Layout.fillWidth: true
        Layout.topMargin: Theme.gap
    }

    // A patient also sees the practice's security code their app trusts, and whether it was checked in person.
    Label {
        objectName: "practiceIdentityLine"
        Layout.fillWidth: true
        visible: App.practiceIdentity.pinnedFingerprint.length > 0 && !App.practiceIdentity.shown
        textFormat: Text.PlainText
        text: (App.practiceIdentity.verified
               ? qsTr("%1's security code, checked with the practice: %2")
               : qsTr("%1's security code, trusted since you first wrote (compare it with the practice's poster): %2"))
              .arg(App.practiceIdentity.practiceName).arg(App.practiceIdentity.pinnedFingerprint)
        wrapMode: Text.Wrap
        color: Theme.text
        font.pixelSize: Theme.smallFontSize + 1
    }

    Label {
        Layout.fillWidth: true
        text: qsTr("A code changes when its owner adds or removes a device. The conversation shows a notice when that happens.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
        font.pixelSize: Theme.smallFontSize
    }

    buttons: [
        PrimaryButton {
            objectName: "safetyCodesDone"
            text: qsTr("Done")
            implicitWidth: Math.max(96, implicitContentWidth + 2 * Theme.margin)
            onClicked: dialog.close()
        }
    ]
}
