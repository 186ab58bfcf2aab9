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
// muted bubble with a key. A message with files shows one card for each, stacked, with the text below them as
// their caption.
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

    /// The message's files, one row each with MessageAttachmentModel's roles (kind, name, sizeText, thumbnail,
    /// progress, state, error, …); null for none.
    property var files: null
    /// How many files the message carries (the thread model's attachmentCount); 0 for none.
    property int fileCount: 0
    /// A local echo, not on the server yet.
    property bool pending: false

    /// The widest a bubble may be, as a share of the thread's width.
    property real maxWidthFraction: Theme.maxBubbleFraction

    /// The person tapped a file: its place in the message (from 0) and its AttachmentKind.
    signal attachmentOpenRequested(int index, int kind)
    /// The person stopped a file's upload or download: its place and its AttachmentState.
    signal attachmentCancelRequested(int index, int state)

    readonly property bool unverifiable: verification === VerificationState.Unverifiable
    readonly property bool keyPending: verification === VerificationState.KeyPending
    readonly property bool readable: !unverifiable && !keyPending
    readonly property bool accentBubble: isMine && readable
    readonly property bool failed: isMine && deliveryState === DeliveryState.Failed
    readonly property bool hasAttachment: readable && fileCount > 0 && files !== null
    readonly property bool hasCaption: body.length > 0

    /// One file is read out as its card is; several are counted (each card says its own place).
    readonly property string filesSpoken: fileCount === 1 && cardRepeater.count > 0 && cardRepeater.itemAt(0)
                                          ? cardRepeater.itemAt(0).Accessible.name : qsTr("%1 files").arg(fileCount)

    implicitHeight: column.implicitHeight
    Accessible.role: Accessible.StaticText
    Accessible.name: (isMine ? qsTr("You") : senderName) + ", " + timeText + ": "
                     + (hasAttachment ? filesSpoken + (hasCaption ? ". " : "") : "")
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
            /// Where the text starts: below the files' cards when there are any.
            readonly property real textTop: root.hasAttachment ? cards.y + cards.height + (root.hasCaption ? 6 : 0) : 9
            readonly property real textHeight: root.hasAttachment && !root.hasCaption ? 0 : content.height
            implicitWidth: Math.max(content.width + 2 * Theme.padding, metaRow.implicitWidth + 2 * Theme.padding,
                                    root.hasAttachment ? cards.width + 2 * cardInset : 0)
            implicitHeight: textTop + textHeight + metaRow.implicitHeight + 4 + 9
            readonly property int cardInset: 4

            Column {
                // One card per file, in the message's order.
                id: cards
                objectName: "attachmentCards"
                x: bubble.cardInset
                y: bubble.cardInset
                visible: root.hasAttachment
                spacing: bubble.cardInset

                Repeater {
                    id: cardRepeater
                    model: root.hasAttachment ? root.files : null
                    delegate: AttachmentCard {
                        // A row of the message's files (MessageAttachmentModel's roles).
                        required property var model
                        required property int index
                        // The first keeps the name tests look for.
                        objectName: index === 0 ? "attachmentCard" : "attachmentCard" + index
                        width: implicitWidth
                        // Qt 6.4's qmllint cannot see this file's ids inside a delegate (docs/development.md,
                        // "qmllint").
                        // qmllint disable unqualified
                        maxWidth: bubble.maxContentWidth + 2 * Theme.padding - 2 * bubble.cardInset
                        kind: model.kind
                        name: model.name
                        sizeText: model.sizeText
                        mime: model.mime
                        thumbnail: model.thumbnail
                        mediaWidth: model.width
                        mediaHeight: model.height
                        pages: model.pages
                        durationText: model.durationText
                        progress: model.progress
                        transferState: model.state
                        error: model.error
                        count: root.fileCount
                        position: index
                        pending: root.pending
                        overAccent: root.accentBubble
                        cornerColor: bubble.color
                        onOpenRequested: root.attachmentOpenRequested(index, kind)
                        onCancelRequested: root.attachmentCancelRequested(index, transferState)
                        // qmllint enable unqualified
                    }
                }
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
                // A caption wraps to its files' cards, like a photo's caption in print.
                width: Math.min(implicitWidth, root.hasAttachment ? Math.max(cards.width + 2 * bubble.cardInset
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
