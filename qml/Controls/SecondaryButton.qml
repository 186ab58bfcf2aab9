// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch

// An outlined button for the second choice next to a PrimaryButton, or for quieter actions.
Button {
    id: control

    /// The text and outline colour; the accent by default, the danger colour for destructive actions.
    property color tint: Theme.accent
    /// Draws a filled, tinted background instead of an outline (for a button on a tinted banner).
    property bool filled: false
    /// An optional icon file name (see Icon.qml) shown before the text.
    property string iconName

    implicitHeight: Theme.controlHeight
    leftPadding: Theme.margin
    rightPadding: Theme.margin
    font.pixelSize: Theme.fontSize
    font.weight: Font.DemiBold
    focusPolicy: Qt.StrongFocus

    // Centred, like PrimaryButton's label, when the button is wider than its words (a full-width button).
    contentItem: Item {
        implicitWidth: row.implicitWidth
        implicitHeight: row.implicitHeight
        Row {
            id: row
            anchors.centerIn: parent
            spacing: 6
            Icon {
                anchors.verticalCenter: parent.verticalCenter
                visible: control.iconName.length > 0
                iconName: control.iconName
                size: 16
                color: buttonLabel.color
            }
            Label {
                id: buttonLabel
                anchors.verticalCenter: parent.verticalCenter
                text: control.text
                font: control.font
                color: !control.enabled ? Theme.textDisabled : control.filled ? Theme.textOnAccent : control.tint
            }
        }
    }

    background: Rectangle {
        radius: Theme.radius
        color: control.filled ? (control.down ? Theme.accentPressed : control.hovered ? Theme.accentHover : control.tint)
             : control.down ? Theme.divider : control.hovered ? Theme.hover : Theme.surface
        border.width: control.filled ? 0 : 1
        border.color: control.enabled ? Qt.tint(control.tint, "#99FFFFFF") : Theme.border
        FocusRing { shown: control.visualFocus }
    }
}
