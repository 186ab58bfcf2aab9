// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch

// A filter of the audit log as a rounded chip: what it shows now ("Everyone", "Dr. Ben Okafor") and a chevron to
// choose another; tinted while it narrows the list.
Button {
    id: chip

    /// What the filter is about, before its value: "Staff", "Patient", "Dates".
    property string caption
    /// True while the filter narrows the list (the chip is tinted then).
    property bool active: false

    implicitHeight: Theme.controlHeight - 4
    leftPadding: Theme.padding
    rightPadding: Theme.spacing + 2
    focusPolicy: Qt.StrongFocus
    font.pixelSize: Theme.fontSize
    Accessible.name: caption + ": " + text

    contentItem: Row {
        spacing: 6
        Label {
            anchors.verticalCenter: parent.verticalCenter
            text: chip.caption
            color: chip.active ? Theme.accent : Theme.textSecondary
            font.pixelSize: Theme.smallFontSize + 1
        }
        Label {
            anchors.verticalCenter: parent.verticalCenter
            width: Math.min(implicitWidth, 200)
            text: chip.text
            elide: Text.ElideRight
            color: chip.active ? Theme.accent : Theme.text
            font.pixelSize: Theme.fontSize
            font.weight: chip.active ? Font.DemiBold : Font.Normal
        }
        Icon {
            anchors.verticalCenter: parent.verticalCenter
            iconName: "chevron-down"
            size: 14
            color: chip.active ? Theme.accent : Theme.textSecondary
        }
    }

    background: Rectangle {
        radius: height / 2
        color: chip.active ? Theme.accentSoft : chip.down ? Theme.divider : chip.hovered ? Theme.hover : Theme.surface
        border.width: 1
        border.color: chip.active ? Qt.tint(Theme.accent, "#99FFFFFF") : Theme.border
        FocusRing { shown: chip.visualFocus }
    }
}
