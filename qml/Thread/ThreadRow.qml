import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// One row of the thread model: a day separator when a day starts, then either a notice line
// (kind "notice") or a message bubble (kind "message").
Item {
    id: root

    // Roles of the thread model (see ThreadModel).
    required property string kind
    required property string body
    required property string senderName
    required property bool isMine
    required property string timeText
    required property string dayText
    required property bool showDaySeparator
    required property string deliveryState
    required property bool isFirstOfGroup
    required property string verification
    required property string verificationText
    /// Why one of my messages failed; "" otherwise.
    required property string failureReason
    /// For a notice: the conversation its link opens (a secure one made by an invitation); "" for none.
    required property string linkConversationId

    /// Emitted when a notice's link is followed.
    signal openConversationRequested(string conversationId)

    readonly property bool isNotice: kind === "notice"

    implicitHeight: column.implicitHeight
    Accessible.role: Accessible.StaticText
    Accessible.name: isNotice ? notice.Accessible.name : bubble.Accessible.name

    ColumnLayout {
        id: column
        width: parent.width
        spacing: 0

        DaySeparator {
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacing
            text: root.dayText
            visible: root.showDaySeparator
        }

        NoticeLine {
            id: notice
            objectName: "noticeLine"
            Layout.fillWidth: true
            visible: root.isNotice
            text: root.isNotice ? root.body : ""
            timeText: root.timeText
            linkConversationId: root.isNotice ? root.linkConversationId : ""
            onOpenConversationRequested: (id) => root.openConversationRequested(id)
        }

        MessageBubble {
            id: bubble
            objectName: "messageBubble"
            Layout.fillWidth: true
            visible: !root.isNotice
            body: root.isNotice ? "" : root.body
            senderName: root.senderName
            isMine: root.isMine
            timeText: root.timeText
            deliveryState: root.deliveryState
            isFirstOfGroup: root.isFirstOfGroup
            startsDay: root.showDaySeparator
            verification: root.verification
            verificationText: root.verificationText
            failureReason: root.failureReason
        }
    }
}
