// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch

// The centred day label ("Today", "Monday 23 November") above the first message of a day.
Item {
    id: root
    property string text

    implicitHeight: 44
    Accessible.role: Accessible.Separator
    Accessible.name: text

    Rectangle {
        anchors.verticalCenter: parent.verticalCenter
        width: parent.width
        height: 1
        color: Theme.divider
    }
    Rectangle {
        anchors.centerIn: parent
        width: dayLabel.implicitWidth + 24
        height: dayLabel.implicitHeight + 8
        radius: height / 2
        color: Theme.threadBackground
        border.width: 1
        border.color: Theme.divider
        Label {
            id: dayLabel
            anchors.centerIn: parent
            text: root.text
            color: Theme.textSecondary
            font.pixelSize: Theme.smallFontSize
            font.weight: Font.DemiBold
        }
    }
}
