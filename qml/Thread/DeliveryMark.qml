import QtQuick
import QtQuick.Controls
import Larch

// How far one of my messages has got: a clock while pending, a tick once sent, "Read" once read.
Item {
    id: root
    /// "pending", "sent", "read" or "received" (the model's deliveryState role).
    property string state_: ""
    property color color: Theme.textOnAccentMuted

    implicitWidth: state_ === "read" ? readLabel.implicitWidth : state_ === "pending" || state_ === "sent" ? 14 : 0
    implicitHeight: 14
    visible: implicitWidth > 0
    Accessible.role: Accessible.StaticText
    Accessible.name: state_ === "pending" ? qsTr("Sending") : state_ === "sent" ? qsTr("Sent") : state_ === "read" ? qsTr("Read") : ""

    Icon {
        anchors.centerIn: parent
        iconName: root.state_ === "pending" ? "clock" : "check"
        size: 13
        color: root.color
        visible: root.state_ === "pending" || root.state_ === "sent"
    }
    Label {
        id: readLabel
        anchors.verticalCenter: parent.verticalCenter
        text: qsTr("Read")
        color: root.color
        font.pixelSize: Theme.smallFontSize
        font.weight: Font.DemiBold
        visible: root.state_ === "read"
    }
}
