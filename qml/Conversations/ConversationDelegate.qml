import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// One row of the conversation list: initials, title, last message, time, unread count and a lock
// for secure conversations.
ItemDelegate {
    id: row

    // Roles of the conversation list model (see ConversationListModel).
    required property string conversationId
    required property string title
    required property string preview
    required property string timeText
    required property int unreadCount
    required property bool isSecure
    /// The patient was invited and hasn't created an account yet: the row says "Invited".
    required property bool isInvited
    required property string initials

    /// Whether this is the open conversation.
    property bool current: false

    /// Emitted when the person opens this conversation (click, tap, Enter or Space).
    signal activated(string conversationId, bool isSecure)

    readonly property bool unread: unreadCount > 0

    implicitHeight: 72
    padding: 0
    leftPadding: Theme.margin
    rightPadding: Theme.margin
    focusPolicy: Qt.StrongFocus
    highlighted: current
    Accessible.role: Accessible.ListItem
    Accessible.name: (isSecure ? qsTr("Secure conversation with %1").arg(title) : title)
                     + (isInvited ? ", " + qsTr("invited") : "")
                     + (unread ? ", " + qsTr("%n unread", "", unreadCount) : "")
                     + ", " + preview

    onClicked: activated(conversationId, isSecure)
    Keys.onReturnPressed: activated(conversationId, isSecure)
    Keys.onEnterPressed: activated(conversationId, isSecure)

    background: Rectangle {
        color: row.current ? Theme.accentSoft : row.down ? Theme.divider : row.hovered ? Theme.hover : "transparent"
        Rectangle {
            // The open conversation gets a bar on its leading edge, so selection does not rely on colour alone.
            width: 3
            height: parent.height
            color: Theme.accent
            visible: row.current
        }
        Rectangle {
            anchors.fill: parent
            anchors.margins: 2
            radius: 4
            color: "transparent"
            border.width: 2
            border.color: Theme.focus
            visible: row.visualFocus
        }
    }

    contentItem: RowLayout {
        spacing: Theme.padding

        Avatar {
            initials: row.initials
            color: row.current ? Theme.surface : Theme.accentSoft
            Layout.alignment: Qt.AlignVCenter
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignVCenter
            spacing: 2

            RowLayout {
                Layout.fillWidth: true
                spacing: 6
                Label {
                    id: titleLabel
                    objectName: "titleLabel"
                    Layout.fillWidth: true
                    text: row.title
                    elide: Text.ElideRight
                    maximumLineCount: 1
                    color: Theme.text
                    font.pixelSize: Theme.fontSize + 1
                    font.weight: row.unread ? Font.DemiBold : Font.Medium
                }
                Label {
                    objectName: "timeLabel"
                    text: row.timeText
                    color: row.unread ? Theme.accent : Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize
                    font.weight: row.unread ? Font.DemiBold : Font.Normal
                }
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: 6
                Icon {
                    objectName: "secureMark"
                    iconName: "lock"
                    size: 12
                    color: Theme.accent
                    visible: row.isSecure
                    Layout.alignment: Qt.AlignVCenter
                    Accessible.name: qsTr("Secure conversation")
                }
                Label {
                    id: previewLabel
                    objectName: "previewLabel"
                    Layout.fillWidth: true
                    text: row.preview.length > 0 ? row.preview : qsTr("No messages yet")
                    font.italic: row.preview.length === 0
                    elide: Text.ElideRight
                    maximumLineCount: 1
                    textFormat: Text.PlainText
                    color: row.unread ? Theme.text : Theme.textSecondary
                    font.pixelSize: Theme.fontSize - 1
                }
                Label {
                    objectName: "invitedLabel"
                    visible: row.isInvited
                    text: qsTr("Invited")
                    color: Theme.warning
                    font.pixelSize: Theme.smallFontSize
                    font.weight: Font.DemiBold
                    leftPadding: 6
                    rightPadding: 6
                    topPadding: 1
                    bottomPadding: 1
                    background: Rectangle { radius: 4; color: Theme.warningSoft; border.width: 1; border.color: Theme.warningBorder }
                    Accessible.name: qsTr("Invited, hasn't created an account")
                }
                UnreadBadge {
                    objectName: "unreadBadge"
                    count: row.unreadCount
                    visible: row.unread
                    Layout.alignment: Qt.AlignVCenter
                }
            }
        }
    }
}
