// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch

// A pop-up menu with Larch's card look; fill it with LarchMenuItems.
Menu {
    id: menu

    /// The menu's width when its items ask for less.
    property int preferredWidth: 260

    padding: 6
    // Keeps the card off the window's edges (a '+' menu near the left edge of a phone).
    margins: Theme.spacing
    font.pixelSize: Theme.fontSize
    implicitWidth: Math.max(preferredWidth, contentWidth + leftPadding + rightPadding)

    background: Rectangle {
        implicitWidth: menu.preferredWidth
        radius: Theme.radius + 2
        color: Theme.surface
        border.width: 1
        border.color: Theme.border
        // A soft edge under the card, so it reads as lifted above the screen.
        Rectangle {
            z: -1
            anchors.fill: parent
            anchors.topMargin: 3
            anchors.bottomMargin: -3
            radius: parent.radius
            color: "#1A172629"
        }
    }
}
