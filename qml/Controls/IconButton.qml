// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Templates as T
import Larch

// A flat, round, icon-only button with a tooltip and a visible keyboard focus state.
ToolButton {
    id: control

    /// The icon's file name (see Icon.qml).
    property string iconName
    /// The tooltip and accessible name; required for an icon-only button.
    property string label
    property color iconColor: Theme.textSecondary
    /// The menu (or other popup) this button opens, if any: the tooltip never shows while it is open.
    property T.Popup popup: null
    /// True from a press until the pointer leaves the button: a tooltip would cover what the press opened.
    property bool tipDismissed: false

    implicitWidth: Theme.controlHeight
    implicitHeight: Theme.controlHeight
    padding: 0
    display: AbstractButton.IconOnly
    icon.source: iconName.length > 0 ? Theme.icon(iconName) : ""
    icon.width: 20
    icon.height: 20
    icon.color: enabled ? iconColor : Theme.textDisabled
    focusPolicy: Qt.StrongFocus
    Accessible.name: label
    ToolTip.visible: hovered && !tipDismissed && !(popup && popup.visible) && label.length > 0
    ToolTip.delay: 600
    ToolTip.text: label

    onPressed: tipDismissed = true
    onHoveredChanged: if (!hovered) tipDismissed = false

    background: Rectangle {
        radius: width / 2
        color: control.down ? Theme.divider : control.hovered ? Theme.hover : "transparent"
        FocusRing { shown: control.visualFocus }
    }
}
