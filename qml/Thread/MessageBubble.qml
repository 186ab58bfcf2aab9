import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// One message of a thread: a day separator when a day starts, the sender's name at the start of
// a group, the text in a bubble (mine on the right in the accent colour), its time and delivery.
Item {
    id: root

    // Roles of the thread model (see ThreadModel).
    required property string body
    required property string senderName
    required property bool isMine
    required property string timeText
    required property string dayText
    required property bool showDaySeparator
    required property string deliveryState
    required property bool isFirstOfGroup

    /// The widest a bubble may be, as a share of the thread's width.
    property real maxWidthFraction: Theme.maxBubbleFraction

    implicitHeight: column.implicitHeight
    Accessible.role: Accessible.StaticText
    Accessible.name: (isMine ? qsTr("You") : senderName) + ", " + timeText + ": " + body

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

        Label {
            objectName: "senderLabel"
            Layout.leftMargin: Theme.margin + 14
            Layout.topMargin: Theme.spacing
            Layout.maximumWidth: root.width * root.maxWidthFraction
            text: root.senderName
            visible: !root.isMine && (root.isFirstOfGroup || root.showDaySeparator)
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
            Layout.topMargin: root.isFirstOfGroup ? (root.isMine && !root.showDaySeparator ? Theme.spacing : 2) : 2
            Layout.bottomMargin: 2
            readonly property real maxContentWidth: root.width * root.maxWidthFraction - 2 * Theme.padding
            implicitWidth: Math.max(bodyText.width, metaRow.implicitWidth) + 2 * Theme.padding
            implicitHeight: bodyText.implicitHeight + metaRow.implicitHeight + 4 + 2 * 9
            radius: Theme.bubbleRadius
            color: root.isMine ? Theme.accent : Theme.surface
            border.width: root.isMine ? 0 : 1
            border.color: Theme.divider

            TextEdit {
                id: bodyText
                objectName: "bodyText"
                x: Theme.padding
                y: 9
                width: Math.min(implicitWidth, bubble.maxContentWidth)
                text: root.body
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
                id: metaRow
                anchors.right: parent.right
                anchors.rightMargin: Theme.padding
                anchors.bottom: parent.bottom
                anchors.bottomMargin: 7
                spacing: 5
                Label {
                    objectName: "timeLabel"
                    text: root.timeText
                    color: root.isMine ? Theme.textOnAccentMuted : Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize - 1
                    anchors.verticalCenter: parent.verticalCenter
                }
                DeliveryMark {
                    objectName: "deliveryMark"
                    state_: root.isMine ? root.deliveryState : ""
                    color: Theme.textOnAccentMuted
                    anchors.verticalCenter: parent.verticalCenter
                }
            }
        }
    }
}
