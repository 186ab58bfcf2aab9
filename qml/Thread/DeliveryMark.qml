// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch

// How far one of my messages has got: a clock while it waits (on this device, or in the SMS/email
// queue), a tick once sent, "Delivered" or "Read" once it arrived, a warning when it failed.
Item {
    id: root
    /// "pending", "queued", "sent", "delivered", "read", "failed" or "received" (the model's deliveryState role).
    property string state_: ""
    property color color: Theme.textOnAccentMuted

    readonly property bool waiting: state_ === "pending" || state_ === "queued"
    readonly property bool iconShown: waiting || state_ === "sent" || state_ === "failed"
    readonly property bool wordShown: state_ === "read" || state_ === "delivered"

    implicitWidth: wordShown ? word.implicitWidth : iconShown ? 14 : 0
    implicitHeight: 14
    visible: implicitWidth > 0
    Accessible.role: Accessible.StaticText
    Accessible.name: state_ === "pending" ? qsTr("Sending")
                   : state_ === "queued" ? qsTr("Queued")
                   : state_ === "sent" ? qsTr("Sent")
                   : state_ === "delivered" ? qsTr("Delivered")
                   : state_ === "read" ? qsTr("Read")
                   : state_ === "failed" ? qsTr("Not delivered") : ""

    Icon {
        objectName: "deliveryIcon"
        anchors.centerIn: parent
        iconName: root.waiting ? "clock" : root.state_ === "failed" ? "warning" : "check"
        size: 13
        color: root.color
        visible: root.iconShown
    }
    Label {
        id: word
        objectName: "deliveryWord"
        anchors.verticalCenter: parent.verticalCenter
        text: root.state_ === "delivered" ? qsTr("Delivered") : qsTr("Read")
        color: root.color
        font.pixelSize: Theme.smallFontSize
        font.weight: Font.DemiBold
        visible: root.wordShown
    }
}
