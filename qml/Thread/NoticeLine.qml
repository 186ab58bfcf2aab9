import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// A line in a thread about the conversation's security rather than from a person, e.g.
// "Sam Lee added a new device.": small, centred and grey, with a shield.
Item {
    id: root

    /// The sentence (the thread model's body role for notice rows).
    property string text
    /// When it happened ("14:05").
    property string timeText

    implicitHeight: row.implicitHeight + 2 * Theme.spacing
    Accessible.role: Accessible.StaticText
    Accessible.name: timeText.length > 0 ? text + ", " + timeText : text

    RowLayout {
        id: row
        anchors.centerIn: parent
        width: Math.min(implicitWidth, parent.width - 2 * Theme.margin)
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
}
