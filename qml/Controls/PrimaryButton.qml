// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch

// The one filled accent button of a screen, with an optional busy state.
Button {
    id: control

    /// Shows a spinner instead of the text while an action is in flight.
    property bool busy: false

    implicitHeight: Theme.controlHeight + 4
    font.pixelSize: Theme.fontSize
    font.weight: Font.DemiBold
    focusPolicy: Qt.StrongFocus

    contentItem: Item {
        implicitWidth: buttonLabel.implicitWidth
        implicitHeight: buttonLabel.implicitHeight
        Label {
            id: buttonLabel
            anchors.centerIn: parent
            text: control.text
            font: control.font
            color: control.enabled ? Theme.textOnAccent : Theme.textSecondary
            visible: !control.busy
        }
        BusyIndicator {
            anchors.centerIn: parent
            width: 24
            height: 24
            running: control.busy
            visible: control.busy
            palette.dark: Theme.textOnAccent
        }
    }

    background: Rectangle {
        radius: Theme.radius
        color: !control.enabled && !control.busy ? Theme.divider
             : control.down ? Theme.accentPressed
             : control.hovered ? Theme.accentHover : Theme.accent
        FocusRing { shown: control.visualFocus }
    }
}
