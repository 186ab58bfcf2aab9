// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// Checking a practice's changed security identity: the new code as this app sees it, where to find the practice's
// own, a field to type what the practice reads out, and accepting. Presentation only (App.practiceIdentity).
LarchDialog {
    id: dialog
    objectName: "identityCheckDialog"

    title: qsTr("Check %1's security code").arg(App.practiceIdentity.practiceName)
    onOpened: {
        codeField.text = ""
        App.practiceIdentity.clearError()
    }

    readonly property var groups: App.practiceIdentity.newFingerprint.split(" ").filter(g => g.length > 0)

    Label {
        Layout.fillWidth: true
        textFormat: Text.PlainText
        text: qsTr("Compare this code with the one the practice gives you: on the Practice Link poster in its waiting room, or read out in person or on a phone number you already know (not one from a message).")
        wrapMode: Text.Wrap
        color: Theme.text
    }

    Rectangle {
        objectName: "newFingerprintBox"
        Layout.fillWidth: true
        Layout.topMargin: Theme.spacing
        implicitHeight: grid.implicitHeight + 2 * Theme.padding
        radius: Theme.radius
        color: Theme.window
        border.width: 1
        border.color: Theme.divider
        Accessible.role: Accessible.StaticText
        Accessible.name: qsTr("New security code: %1").arg(dialog.groups.join(" "))

        Grid {
            id: grid
            readonly property real cellWidth: metrics.advanceWidth("MMMM") + 2
            anchors.centerIn: parent
            columns: Math.max(2, Math.min(4, Math.floor((parent.width - 2 * Theme.padding + columnSpacing) / (cellWidth + columnSpacing))))
            columnSpacing: Theme.padding
            rowSpacing: Theme.gap
            Repeater {
                model: dialog.groups
                Label {
                    required property string modelData
                    text: modelData
                    font.family: Theme.monoFontFamily
                    font.pixelSize: Theme.titleFontSize
                    color: Theme.text
                }
            }
        }
        FontMetrics {
            id: metrics
            font.family: Theme.monoFontFamily
            font.pixelSize: Theme.titleFontSize
        }
    }

    Label {
        Layout.fillWidth: true
        Layout.topMargin: Theme.spacing
        text: qsTr("The code the practice gave you")
        font.weight: Font.DemiBold
        color: Theme.text
    }
    LarchTextField {
        id: codeField
        objectName: "identityCodeField"
        Layout.fillWidth: true
        placeholderText: qsTr("32 letters and digits")
        font.family: Theme.monoFontFamily
        Accessible.name: qsTr("The code the practice gave you")
        onAccepted: if (App.practiceIdentity.checkCode(text)) dialog.close()
    }
    Label {
        objectName: "identityCodeError"
        Layout.fillWidth: true
        visible: text.length > 0
        text: App.practiceIdentity.error
        wrapMode: Text.Wrap
        color: Theme.danger
    }
    Label {
        Layout.fillWidth: true
        Layout.topMargin: Theme.spacing
        textFormat: Text.PlainText
        text: qsTr("If the codes differ, don't accept: call the practice. Until you accept, nothing you write is sent. Close this to decide later.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
        font.pixelSize: Theme.smallFontSize + 1
    }

    buttons: [
        PrimaryButton {
            objectName: "checkCodeButton"
            text: qsTr("Check and accept")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            enabled: codeField.text.trim().length > 0
            onClicked: if (App.practiceIdentity.checkCode(codeField.text)) dialog.close()
        },
        // For a code compared by eye (the poster): the same acceptance without typing it.
        SecondaryButton {
            objectName: "acceptWithoutCodeButton"
            text: qsTr("They match")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            visible: App.practiceIdentity.canAccept
            onClicked: if (App.practiceIdentity.accept()) dialog.close()
        }
    ]
}
