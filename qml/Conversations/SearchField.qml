// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch

// The conversation search box, with a search icon and a clear button.
LarchTextField {
    id: field

    implicitHeight: Theme.controlHeight
    leftPadding: 36
    rightPadding: clearButton.visible ? 36 : Theme.padding
    placeholderText: qsTr("Search conversations")
    inputMethodHints: Qt.ImhNoPredictiveText
    Accessible.name: qsTr("Search conversations")
    Keys.onEscapePressed: (event) => {
        event.accepted = field.text.length > 0
        field.clear()
    }

    Icon {
        iconName: "search"
        size: 16
        anchors.left: parent.left
        anchors.leftMargin: 12
        anchors.verticalCenter: parent.verticalCenter
    }

    IconButton {
        id: clearButton
        iconName: "close"
        label: qsTr("Clear search")
        visible: field.text.length > 0
        implicitWidth: 28
        implicitHeight: 28
        icon.width: 14
        icon.height: 14
        focusPolicy: Qt.NoFocus
        anchors.right: parent.right
        anchors.rightMargin: 6
        anchors.verticalCenter: parent.verticalCenter
        onClicked: {
            field.clear()
            field.forceActiveFocus()
        }
    }
}
