// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch

// A round badge with a person's or conversation's initials.
Rectangle {
    /// One or two letters, provided by the model.
    property string initials
    property int size: Theme.avatarSize

    implicitWidth: size
    implicitHeight: size
    radius: size / 2
    color: Theme.accentSoft
    Accessible.ignored: true

    Label {
        anchors.centerIn: parent
        text: parent.initials
        color: Theme.accent
        font.pixelSize: Math.round(parent.size * 0.38)
        font.weight: Font.DemiBold
    }
}
