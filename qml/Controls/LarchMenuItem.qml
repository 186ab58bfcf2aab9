// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// One choice of a LarchMenu: an optional icon, the action's words and an optional quieter line under them.
MenuItem {
    id: item

    /// The icon's file name (see Icon.qml); no icon when "".
    property string iconName
    property color iconColor: Theme.textSecondary
    /// A second line in smaller, quieter type, e.g. "Not end-to-end encrypted".
    property string detail
    /// Drawn in the danger colour (for an action that removes or stops something).
    property bool destructive: false

    // A hidden item takes no room, so menus can show items by role or state.
    height: visible ? implicitHeight : 0
    implicitHeight: Math.max(Theme.controlHeight + 4, contentItem.implicitHeight + topPadding + bottomPadding)
    leftPadding: Theme.padding
    rightPadding: Theme.padding
    topPadding: Theme.spacing
    bottomPadding: Theme.spacing
    focusPolicy: Qt.StrongFocus
    Accessible.name: detail.length > 0 ? text + ", " + detail : text

    contentItem: RowLayout {
        spacing: Theme.padding
        Icon {
            Layout.alignment: item.detail.length > 0 ? Qt.AlignTop : Qt.AlignVCenter
            Layout.topMargin: item.detail.length > 0 ? 2 : 0
            visible: item.iconName.length > 0
            iconName: item.iconName
            size: 18
            color: item.enabled ? item.iconColor : Theme.textDisabled
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 1
            Label {
                Layout.fillWidth: true
                text: item.text
                elide: Text.ElideRight
                color: !item.enabled ? Theme.textDisabled : item.destructive ? Theme.danger : Theme.text
                font.pixelSize: Theme.fontSize
                font.weight: Font.Medium
            }
            Label {
                Layout.fillWidth: true
                visible: item.detail.length > 0
                text: item.detail
                wrapMode: Text.Wrap
                color: item.enabled ? Theme.textSecondary : Theme.textDisabled
                font.pixelSize: Theme.smallFontSize
            }
        }
    }

    background: Rectangle {
        implicitWidth: 200
        radius: Theme.radius - 2
        color: item.down ? Theme.divider : item.highlighted ? Theme.hover : "transparent"
        FocusRing { shown: item.visualFocus; anchors.margins: 0 }
    }
}
