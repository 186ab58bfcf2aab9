// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The sentence on why files were not added, above the compose bar, until the person dismisses it or adds a file.
Rectangle {
    id: strip

    /// The model's refusal sentence; the strip hides when it is "".
    property string text

    /// The person closed the strip.
    signal dismissRequested()

    visible: text.length > 0
    implicitHeight: visible ? row.implicitHeight + 2 * Theme.gap : 0
    color: Theme.warningSoft
    border.width: 1
    border.color: Theme.warningBorder
    radius: Theme.radius
    Accessible.role: Accessible.AlertMessage
    Accessible.name: text

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.padding
        anchors.rightMargin: Theme.gap
        anchors.topMargin: Theme.gap
        anchors.bottomMargin: Theme.gap
        spacing: Theme.spacing

        Icon {
            Layout.alignment: Qt.AlignVCenter
            iconName: "warning"
            size: 18
            color: Theme.warning
        }
        Label {
            objectName: "attachmentRefusalText"
            Layout.fillWidth: true
            Layout.topMargin: Theme.gap
            Layout.bottomMargin: Theme.gap
            text: strip.text
            wrapMode: Text.Wrap
            color: Theme.text
            font.pixelSize: Theme.smallFontSize + 1
        }
        IconButton {
            objectName: "attachmentRefusalClose"
            Layout.alignment: Qt.AlignVCenter
            implicitWidth: 32
            implicitHeight: 32
            icon.width: 16
            icon.height: 16
            iconName: "close"
            iconColor: Theme.warning
            label: qsTr("Dismiss")
            onClicked: strip.dismissRequested()
        }
    }
}
