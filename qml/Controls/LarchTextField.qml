// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch

// A single-line field with Larch's border, hover and focus states.
TextField {
    id: control

    /// Draws the border in the error colour.
    property bool invalid: false

    implicitHeight: Theme.controlHeight + 4
    leftPadding: Theme.padding
    rightPadding: Theme.padding
    font.pixelSize: Theme.fontSize
    color: Theme.text
    placeholderTextColor: Theme.textSecondary
    selectionColor: Theme.accentSoft
    selectedTextColor: Theme.text

    background: Rectangle {
        radius: Theme.radius
        color: control.enabled ? Theme.surface : Theme.window
        border.width: control.activeFocus ? 2 : 1
        border.color: control.invalid ? Theme.danger
                    : control.activeFocus ? Theme.focus
                    : control.hovered ? Theme.textSecondary : Theme.border
    }
}
