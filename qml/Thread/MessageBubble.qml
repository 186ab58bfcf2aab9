// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// One message of a thread: the sender's name at the start of a group, the text in a bubble (mine
// on the right in the accent colour), its time and delivery. A message that failed its checks
// shows why in a warning bubble instead of its text; one whose key has not arrived yet shows a
// muted bubble with a key. A message with a file shows it as a card, with the text below as its caption.
Item {
    id: root

    /// The message text; shown only when verification is VerificationState.Verified.
    property string body
    property string senderName
    property bool isMine: false
    property string timeText
    /// A DeliveryState: Pending, Sent, Read or Received; standard (SMS/email) messages also Queued,
    /// Delivered and Failed.
    property int deliveryState: DeliveryState.None
    /// Why one of my messages failed (the server's or the gateway's sentence); "" otherwise.
    property string failureReason
    /// The older neighbour has another sender or day: the sender's name is shown.
    property bool isFirstOfGroup: true
    /// This message opens a new day (a day separator sits above it).
    property bool startsDay: false
    /// A VerificationState: Verified, Unverifiable or KeyPending.
    property int verification: VerificationState.Verified
    /// What to say instead of the text when it is not verified.
    property string verificationText

    // The message's first file (the thread model's attachment roles; see AttachmentCard).
    /// An AttachmentKind: Image, Video or Pdf; None for a message without a file.
    property int attachmentKind: AttachmentKind.None
    property int attachmentCount: 0
    property string attachmentName
    property string attachmentSizeText
    property string attachmentMime
    property string attachmentThumbnail
    property int attachmentWidth: 0
    property int attachmentHeight: 0
    property int attachmentPages: 0
    property string attachmentDurationText
    property real attachmentProgress: 0
    /// An AttachmentState (see AttachmentCard's transferState).
    property int attachmentState: AttachmentState.None
    property string attachmentError
    /// A local echo, not on the server yet.
    property bool pending: false

    /// The widest a bubble may be, as a share of the thread's width.
    property real maxWidthFraction: Theme.maxBubbleFraction

    /// The person tapped the file.
    signal attachmentOpenRequested()
    /// The person stopped the file's upload or download.
    signal attachmentCancelRequested()

    readonly property bool unverifiable: verification === VerificationState.Unverifiable
    readonly property bool keyPending: verification === VerificationState.KeyPending
    readonly property bool readable: !unverifiable && !keyPending
    readonly property bool accentBubble: isMine && readable
    readonly property bool failed: isMine && deliveryState === DeliveryState.Failed
    readonly property bool hasAttachment: readable && attachmentKind !== AttachmentKind.None
    readonly property bool hasCaption: body.length > 0

    implicitHeight: column.implicitHeight
    Accessible.role: Accessible.StaticText
    Accessible.name: (isMine ? qsTr("You") : senderName) + ", " + timeText + ": "
                     + (hasAttachment ? card.Accessible.name + (hasCaption ? ". " : "") : "")
                     + (readable ? body : verificationText)
                     + (failed ? ". " + failureLabel.text : "")

    ColumnLayout {
        id: column
        width: parent.width
        spacing: 0

        Label {
            objectName: "senderLabel"
            Layout.leftMargin: Theme.margin + 14
            Layout.topMargin: Theme.spacing
            Layout.maximumWidth: root.width * root.maxWidthFraction
            text: root.senderName
            visible: !root.isMine && (root.isFirstOfGroup || root.startsDay)
            elide: Text.ElideRight
            color: Theme.textSecondary
            font.pixelSize: Theme.smallFontSize
            font.weight: Font.DemiBold
        }

        Rectangle {
            id: bubble
            objectName: "bubble"
            Layout.alignment: root.isMine ? Qt.AlignRight : Qt.AlignLeft
            Layout.leftMargin: Theme.margin
            Layout.rightMargin: Theme.margin
            Layout.topMargin: root.isFirstOfGroup ? (root.isMine && !root.startsDay ? Theme.spacing : 2) : 2
            Layout.bottomMargin: 2
            readonly property real maxContentWidth: root.width * root.maxWidthFraction - 2 * Theme.padding
            readonly property Item content: root.readable ? bodyText : statusRow
            /// Where the text starts: below the file's card when there is one.
            readonly property real textTop: root.hasAttachment ? card.y + card.height + (root.hasCaption ? 6 : 0) : 9
            readonly property real textHeight: root.hasAttachment && !root.hasCaption ? 0 : content.height
            implicitWidth: Math.max(content.width + 2 * Theme.padding, metaRow.implicitWidth + 2 * Theme.padding,
                                    root.hasAttachment ? card.width + 2 * cardInset : 0)
            implicitHeight: textTop + textHeight + metaRow.implicitHeight + 4 + 9
            readonly property int cardInset: 4

            AttachmentCard {
                id: card
                objectName: "attachmentCard"
                x: bubble.cardInset
                y: bubble.cardInset
                visible: root.hasAttachment
                width: implicitWidth
                maxWidth: bubble.maxContentWidth + 2 * Theme.padding - 2 * bubble.cardInset
                kind: root.attachmentKind
                name: root.attachmentName
                sizeText: root.attachmentSizeText
                mime: root.attachmentMime
                thumbnail: root.hasAttachment ? root.attachmentThumbnail : ""
                mediaWidth: root.attachmentWidth
                mediaHeight: root.attachmentHeight
                pages: root.attachmentPages
                durationText: root.attachmentDurationText
                progress: root.attachmentProgress
                transferState: root.attachmentState
                error: root.attachmentError
                count: root.attachmentCount
                pending: root.pending
                overAccent: root.accentBubble
                cornerColor: bubble.color
                onOpenRequested: root.attachmentOpenRequested()
                onCancelRequested: root.attachmentCancelRequested()
            }
            radius: Theme.bubbleRadius
            color: root.unverifiable ? Theme.warningSoft
                 : root.keyPending ? Theme.mutedBubble
                 : root.isMine ? Theme.accent : Theme.surface
            border.width: root.accentBubble ? 0 : 1
            border.color: root.unverifiable ? Theme.warningBorder : Theme.divider

            TextEdit {
                id: bodyText
                objectName: "bodyText"
                x: Theme.padding
                y: bubble.textTop
                visible: root.readable && (!root.hasAttachment || root.hasCaption)
                // A caption wraps to its file's card, like a photo's caption in print.
                width: Math.min(implicitWidth, root.hasAttachment ? Math.max(card.width + 2 * bubble.cardInset
                                                                             - 2 * Theme.padding, 120)
                                                                  : bubble.maxContentWidth)
                // An unverified message's text never reaches the screen, not even hidden.
                text: root.readable ? root.body : ""
                textFormat: TextEdit.PlainText
                wrapMode: TextEdit.Wrap
                readOnly: true
                selectByMouse: true
                selectByKeyboard: true
                persistentSelection: false
                color: root.isMine ? Theme.textOnAccent : Theme.text
                selectionColor: root.isMine ? Theme.accentPressed : Theme.accentSoft
                selectedTextColor: root.isMine ? Theme.textOnAccent : Theme.text
                font.pixelSize: Theme.fontSize
                activeFocusOnPress: true
            }

            Row {
                id: statusRow
                objectName: "statusRow"
                x: Theme.padding
                y: 9
                visible: !root.readable
                spacing: Theme.spacing
                width: Math.min(implicitWidth, bubble.maxContentWidth)
                Icon {
                    id: statusIcon
                    objectName: "statusIcon"
                    iconName: root.unverifiable ? "warning" : "key"
                    size: 16
                    y: 2
                    color: root.unverifiable ? Theme.warning : Theme.textSecondary
                }
                Label {
                    id: statusText
                    objectName: "verificationText"
                    width: Math.min(implicitWidth, bubble.maxContentWidth - statusIcon.width - statusRow.spacing)
                    text: root.readable ? "" : root.verificationText
                    wrapMode: Text.Wrap
                    color: root.unverifiable ? Theme.warning : Theme.textSecondary
                    font.pixelSize: Theme.fontSize
                    font.italic: root.keyPending
                }
            }

            Row {
                id: metaRow
                anchors.right: parent.right
                anchors.rightMargin: Theme.padding
                anchors.bottom: parent.bottom
                anchors.bottomMargin: 7
                spacing: 5
                Label {
                    objectName: "timeLabel"
                    text: root.timeText
                    color: root.accentBubble ? Theme.textOnAccentMuted : Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize - 1
                    anchors.verticalCenter: parent.verticalCenter
                }
                DeliveryMark {
                    objectName: "deliveryMark"
                    state_: root.isMine ? root.deliveryState : DeliveryState.None
                    color: root.accentBubble ? Theme.textOnAccentMuted : Theme.textSecondary
                    anchors.verticalCenter: parent.verticalCenter
                }
            }
        }

        Label {
            id: failureLabel
            objectName: "failureLabel"
            textFormat: Text.PlainText
            Layout.alignment: Qt.AlignRight
            Layout.rightMargin: Theme.margin
            Layout.bottomMargin: 2
            Layout.maximumWidth: root.width * root.maxWidthFraction
            // A file that failed says why on its card.
            visible: root.failed && !root.hasAttachment
            text: root.failureReason.length > 0 ? qsTr("Not delivered: %1").arg(root.failureReason)
                                                : qsTr("Not delivered.")
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignRight
            color: Theme.danger
            font.pixelSize: Theme.smallFontSize
        }
    }
}
