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
    // The message's first file: kind AttachmentKind.None for none (see ThreadModel's attachment roles).
    required property int attachmentKind
    required property int attachmentCount
    required property string attachmentName
    required property string attachmentSizeText
    required property string attachmentMime
    required property string attachmentThumbnail
    required property int attachmentWidth
    required property int attachmentHeight
    required property int attachmentPages
    required property string attachmentDurationText
    required property real attachmentProgress
    required property int attachmentState
    required property string attachmentError

    /// Emitted when a notice's link is followed.
    signal openConversationRequested(string conversationId)
    /// The person tapped the message's file (a confirmed message: its id).
    signal attachmentOpenRequested(string messageId, int kind)
    /// The person stopped the file's upload (clientId, while pending) or download (messageId); state is the file's
    /// AttachmentState.
    signal attachmentCancelRequested(string messageId, string clientId, int state)

    readonly property bool isNotice: kind === MessageKind.Notice

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
            attachmentKind: root.isNotice ? AttachmentKind.None : root.attachmentKind
            attachmentCount: root.attachmentCount
            attachmentName: root.attachmentName
            attachmentSizeText: root.attachmentSizeText
            attachmentMime: root.attachmentMime
            attachmentThumbnail: root.attachmentThumbnail
            attachmentWidth: root.attachmentWidth
            attachmentHeight: root.attachmentHeight
            attachmentPages: root.attachmentPages
            attachmentDurationText: root.attachmentDurationText
            attachmentProgress: root.attachmentProgress
            attachmentState: root.attachmentState
            attachmentError: root.attachmentError
            pending: root.messageId.length === 0
            onAttachmentOpenRequested: {
                // A local echo's file opens once the server has the message.
                if (root.messageId.length > 0)
                    root.attachmentOpenRequested(root.messageId, root.attachmentKind)
            }
            onAttachmentCancelRequested: root.attachmentCancelRequested(root.messageId, root.clientId,
                                                                        root.attachmentState)
        }
    }
}
