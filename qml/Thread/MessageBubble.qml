import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// One message of a thread: the sender's name at the start of a group, the text in a bubble (mine
// on the right in the accent colour), its time and delivery. A message that failed its checks
// shows why in a warning bubble instead of its text; one whose key has not arrived yet shows a
// muted bubble with a key.
Item {
    id: root

    /// The message text; shown only when verification is "verified".
    property string body
    property string senderName
    property bool isMine: false
    property string timeText
    /// "pending", "sent", "read" or "received"; standard (SMS/email) messages also "queued",
    /// "delivered" and "failed".
    property string deliveryState
    /// Why one of my messages failed (the server's or the gateway's sentence); "" otherwise.
    property string failureReason
    /// The older neighbour has another sender or day: the sender's name is shown.
    property bool isFirstOfGroup: true
    /// This message opens a new day (a day separator sits above it).
    property bool startsDay: false
    /// "verified", "unverifiable" or "keyPending".
    property string verification: "verified"
    /// What to say instead of the text when it is not verified.
    property string verificationText

    /// The widest a bubble may be, as a share of the thread's width.
    property real maxWidthFraction: Theme.maxBubbleFraction

    readonly property bool unverifiable: verification === "unverifiable"
    readonly property bool keyPending: verification === "keyPending"
    readonly property bool readable: !unverifiable && !keyPending
    readonly property bool accentBubble: isMine && readable
    readonly property bool failed: isMine && deliveryState === "failed"

    implicitHeight: column.implicitHeight
    Accessible.role: Accessible.StaticText
    Accessible.name: (isMine ? qsTr("You") : senderName) + ", " + timeText + ": "
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
            implicitWidth: Math.max(content.width, metaRow.implicitWidth) + 2 * Theme.padding
            implicitHeight: content.height + metaRow.implicitHeight + 4 + 2 * 9
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
                y: 9
                visible: root.readable
                width: Math.min(implicitWidth, bubble.maxContentWidth)
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
                    state_: root.isMine ? root.deliveryState : ""
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
            visible: root.failed
            text: root.failureReason.length > 0 ? qsTr("Not delivered: %1").arg(root.failureReason)
                                                : qsTr("Not delivered.")
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignRight
            color: Theme.danger
            font.pixelSize: Theme.smallFontSize
        }
    }
}
