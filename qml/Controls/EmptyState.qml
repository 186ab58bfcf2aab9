// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// A calm, centred message for a screen or list that has nothing to show yet.
Item {
    id: root
    property string iconName: "chat"
    property string title
    property string text

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, 320)
        spacing: Theme.spacing

        Rectangle {
            Layout.alignment: Qt.AlignHCenter
            Layout.bottomMargin: Theme.gap
            width: 64
            height: 64
            radius: 32
            color: Theme.accentSoft
            Icon {
                anchors.centerIn: parent
                iconName: root.iconName
                size: 28
                color: Theme.accent
            }
        }
        Label {
            objectName: "emptyTitle"
            Layout.fillWidth: true
            text: root.title
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: Theme.text
            font.pixelSize: Theme.titleFontSize
            font.weight: Font.DemiBold
        }
        Label {
            Layout.fillWidth: true
            text: root.text
            visible: text.length > 0
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSize
        }
    }
}
