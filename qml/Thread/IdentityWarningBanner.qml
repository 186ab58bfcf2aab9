// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The top of a patient's secure thread when the practice's security identity changed without the old one's
// signature: what it may mean, that messages wait, and the way to check it. Presentation only
// (App.practiceIdentity).
Rectangle {
    id: banner

    /// The practice's name, e.g. "Birch Family Medicine".
    property string practiceName
    /// True when the identity was refused because the Practice Link the patient joined with carried another code.
    property bool linkMismatch: false

    /// Emitted for "Check the code"; the page opens the check dialog.
    signal checkRequested()

    implicitHeight: column.implicitHeight + 2 * Theme.padding
    color: Theme.dangerSoft
    Accessible.role: Accessible.AlertMessage
    Accessible.name: title.text + ". " + explanation.text

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Icon {
                Layout.alignment: Qt.AlignTop
                iconName: "shield"
                size: 18
                color: Theme.danger
            }
            Label {
                id: title
                objectName: "identityWarningTitle"
                Layout.fillWidth: true
                textFormat: Text.PlainText
                text: banner.linkMismatch ? qsTr("%1's security code does not match").arg(banner.practiceName)
                                          : qsTr("%1's security identity changed").arg(banner.practiceName)
                font.weight: Font.DemiBold
                color: Theme.text
                wrapMode: Text.Wrap
            }
        }
        Label {
            id: explanation
            objectName: "identityWarningText"
            Layout.fillWidth: true
            textFormat: Text.PlainText
            text: banner.linkMismatch
                  ? qsTr("The identity this server gives for the practice is not the one on the Practice Link you joined with. Until you check it, your messages wait here and are not sent.")
                  : qsTr("This happens when a practice replaces its security key, but it could also mean someone is trying to read your messages. Your messages wait here until you check the new code with the practice; you can still read what it sends.")
            wrapMode: Text.Wrap
            color: Theme.text
        }
        Flow {
            Layout.fillWidth: true
            Layout.topMargin: Theme.gap
            spacing: Theme.spacing
            SecondaryButton {
                objectName: "checkIdentityButton"
                text: qsTr("Check the code")
                iconName: "key"
                implicitWidth: implicitContentWidth + 2 * Theme.margin
                onClicked: banner.checkRequested()
            }
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.dangerBorder
    }
}
