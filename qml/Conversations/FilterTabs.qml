// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The "All" / "Unread" switch above the conversation list; for staff also "Secure" / "Standard".
Row {
    id: tabs

    /// 0 = All, 1 = Unread, 2 = Secure, 3 = Standard (the filter numbers of the conversation model).
    property int currentIndex: 0
    /// Offers "Secure" and "Standard" (staff: patients only ever have secure conversations).
    property bool kindFilters: false
    readonly property var labels: kindFilters ? [qsTr("All"), qsTr("Unread"), qsTr("Secure"), qsTr("Standard")]
                                              : [qsTr("All"), qsTr("Unread")]

    spacing: kindFilters ? 6 : Theme.spacing
    Accessible.role: Accessible.PageTabList

    Repeater {
        model: tabs.labels
        delegate: AbstractButton {
            id: tab
            required property int index
            required property string modelData
            // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
            // qmllint disable unqualified
            readonly property bool selected: tabs.currentIndex === index

            objectName: "filterTab" + index
            text: modelData
            checkable: true
            checked: selected
            focusPolicy: Qt.StrongFocus
            implicitHeight: 30
            // Four tabs fit the desktop list pane and a phone's width.
            implicitWidth: tabLabel.implicitWidth + (tabs.kindFilters ? 22 : 28)
            Accessible.role: Accessible.PageTab
            Accessible.name: text
            onClicked: tabs.currentIndex = index
            // qmllint enable unqualified

            contentItem: Label {
                id: tabLabel
                text: tab.text
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                color: tab.selected ? Theme.textOnAccent : Theme.textSecondary
                font.pixelSize: Theme.smallFontSize + 1
                font.weight: Font.DemiBold
            }
            background: Rectangle {
                radius: height / 2
                color: tab.selected ? Theme.accent : tab.hovered ? Theme.hover : "transparent"
                border.width: tab.selected ? 0 : 1
                border.color: Theme.border
                FocusRing { shown: tab.visualFocus }
            }
        }
    }
}
