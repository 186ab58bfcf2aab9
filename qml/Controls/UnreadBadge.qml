// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch

// The accent pill with the number of unread messages.
Rectangle {
    id: badge
    /// The number of unread messages; the badge is meant to be hidden at 0.
    property int count: 0

    implicitHeight: 20
    implicitWidth: Math.max(implicitHeight, countLabel.implicitWidth + 12)
    radius: implicitHeight / 2
    color: Theme.accent
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("%n unread", "", count)

    Label {
        id: countLabel
        anchors.centerIn: parent
        text: badge.count > 99 ? "99+" : badge.count
        color: Theme.textOnAccent
        font.pixelSize: Theme.smallFontSize
        font.weight: Font.DemiBold
    }
}
