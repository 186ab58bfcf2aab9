// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The strip at the top of the home screen that says the app is offline and what happens to new messages.
Rectangle {
    id: banner
    /// The sentence to show, provided by the model.
    property string text

    /// Emitted when the person asks to reconnect now rather than wait.
    signal retryRequested()

    implicitHeight: row.implicitHeight + 2 * Theme.spacing
    color: Theme.warningSoft
    Accessible.role: Accessible.AlertMessage
    Accessible.name: text

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        spacing: Theme.spacing
        Icon {
            iconName: "offline"
            size: 18
            color: Theme.warning
            Layout.alignment: Qt.AlignVCenter
        }
        Label {
            objectName: "offlineText"
            text: banner.text
            color: Theme.warning
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            font.pixelSize: Theme.smallFontSize + 1
        }
        Button {
            id: retry
            objectName: "retryButton"
            text: qsTr("Retry now")
            flat: true
            focusPolicy: Qt.StrongFocus
            Layout.alignment: Qt.AlignVCenter
            font.pixelSize: Theme.smallFontSize + 1
            font.weight: Font.DemiBold
            onClicked: banner.retryRequested()
            contentItem: Label {
                text: retry.text
                font: retry.font
                color: Theme.warning
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
            background: Rectangle {
                implicitHeight: 30
                radius: 15
                color: retry.down ? "#F3DFA8" : retry.hovered ? "#F8E8BE" : "transparent"
                border.width: 1
                border.color: "#E3CC8C"
                FocusRing { shown: retry.visualFocus }
            }
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: "#EBD9A8"
    }
}
