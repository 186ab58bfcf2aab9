// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// One row of the thread model: a day separator when a day starts, then either a notice line
// (kind MessageKind.Notice) or a message bubble (MessageKind.Message).
Item {
    id: root

    // Roles of the thread model (see ThreadModel).
    required property int kind
    required property string body
    required property string senderName
    required property bool isMine
    required property string timeText
    required property string dayText
    required property bool showDaySeparator
    required property int deliveryState
    required property bool isFirstOfGroup
    required property int verification
    required property string verificationText
    /// Why one of my messages failed; "" otherwise.
    required property string failureReason
    /// For a notice: the conversation its link opens (a secure one made by an invitation); "" for none.
    required property string linkConversationId
    /// The server's id; "" while the message is a local echo.
    required property string messageId
    /// The sending device's id for the message.
    required property string clientId
    /// How many files the message carries; 0 for none.
    required property int attachmentCount

    /// The thread this row belongs to (App.thread): the message's files come from it.
    property ThreadModel thread: null
    /// The message's files, one row each (MessageAttachmentModel's roles). A QuickTest may give a ListModel with
    /// the same roles instead.
    property var files: messageFiles

    /// Emitted when a notice's link is followed.
    signal openConversationRequested(string conversationId)
    /// The person tapped one of the message's files (a confirmed message: its id; index: the file's place in it).
    signal attachmentOpenRequested(string messageId, int index, int kind)
    /// The person stopped a file's upload (clientId, while pending) or download (messageId); state is the file's
    /// AttachmentState.
    signal attachmentCancelRequested(string messageId, string clientId, int index, int state)

    readonly property bool isNotice: kind === MessageKind.Notice

    implicitHeight: column.implicitHeight
    Accessible.role: Accessible.StaticText
    Accessible.name: isNotice ? notice.Accessible.name : bubble.Accessible.name

    MessageAttachmentModel {
        id: messageFiles
        // Only a message with files asks the thread for them.
        thread: root.attachmentCount > 0 && !root.isNotice ? root.thread : null
        messageId: root.messageId
        clientId: root.clientId
    }

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
            fileCount: root.isNotice ? 0 : root.attachmentCount
            files: root.files
            pending: root.messageId.length === 0
            onAttachmentOpenRequested: (index, kind) => {
                // A local echo's file opens once the server has the message.
                if (root.messageId.length > 0)
                    root.attachmentOpenRequested(root.messageId, index, kind)
            }
            onAttachmentCancelRequested: (index, state) => root.attachmentCancelRequested(root.messageId, root.clientId,
                                                                                        index, state)
        }
    }
}
