// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// A line in a thread about the conversation rather than from a person, e.g. "Sam Lee added a new
// device.": small, centred and grey, with a shield; a note that points at another conversation
// ("Invited to a secure conversation.") carries a link that opens it.
Item {
    id: root

    /// The sentence (the thread model's body role for notice rows).
    property string text
    /// When it happened ("14:05").
    property string timeText
    /// The conversation the notice points at (the secure one an invitation made); "" for none.
    property string linkConversationId

    /// Emitted for "Open secure conversation".
    signal openConversationRequested(string conversationId)

    implicitHeight: column.implicitHeight + 2 * Theme.spacing
    Accessible.role: Accessible.StaticText
    Accessible.name: timeText.length > 0 ? text + ", " + timeText : text

    ColumnLayout {
        id: column
        anchors.centerIn: parent
        width: Math.min(implicitWidth, parent.width - 2 * Theme.margin)
        spacing: 2

        RowLayout {
            id: row
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignHCenter
            spacing: 6
            Icon {
                Layout.alignment: Qt.AlignTop
                Layout.topMargin: 1
                iconName: "shield"
                size: 14
                color: Theme.textSecondary
            }
            Label {
                objectName: "noticeText"
                Layout.fillWidth: true
                Layout.maximumWidth: 480
                text: root.timeText.length > 0 ? root.text + "  ·  " + root.timeText : root.text
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
            }
        }
        AbstractButton {
            id: link
            objectName: "noticeLink"
            Layout.alignment: Qt.AlignHCenter
            visible: root.linkConversationId.length > 0
            text: qsTr("Open secure conversation")
            focusPolicy: Qt.StrongFocus
            padding: 2
            leftPadding: 6
            rightPadding: 6
            Accessible.role: Accessible.Link
            Accessible.name: text
            onClicked: root.openConversationRequested(root.linkConversationId)
            Keys.onReturnPressed: clicked()
            Keys.onEnterPressed: clicked()
            HoverHandler { cursorShape: Qt.PointingHandCursor }
            contentItem: Label {
                text: link.text
                color: link.down ? Theme.accentPressed : Theme.accent
                font.pixelSize: Theme.smallFontSize
                font.weight: Font.DemiBold
                font.underline: link.hovered || link.visualFocus
            }
            background: Rectangle {
                radius: 4
                color: "transparent"
                FocusRing { shown: link.visualFocus }
            }
        }
    }
}
