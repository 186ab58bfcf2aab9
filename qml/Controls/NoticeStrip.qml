// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// A strip across the top of the window with one informational sentence and a close button.
Rectangle {
    id: strip
    /// The sentence to show, provided by the model.
    property string text

    /// Emitted when the person closes the strip.
    signal dismissRequested()

    implicitHeight: row.implicitHeight + 2 * Theme.spacing
    color: Theme.accentSoft
    Accessible.role: Accessible.AlertMessage
    Accessible.name: text

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing
        Icon {
            iconName: "shield"
            size: 18
            color: Theme.accent
            Layout.alignment: Qt.AlignVCenter
        }
        Label {
            objectName: "noticeStripText"
            text: strip.text
            color: Theme.text
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            font.pixelSize: Theme.smallFontSize + 1
        }
        IconButton {
            objectName: "noticeStripClose"
            iconName: "close"
            label: qsTr("Close")
            Layout.alignment: Qt.AlignVCenter
            onClicked: strip.dismissRequested()
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.border
    }
}
