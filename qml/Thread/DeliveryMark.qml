// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch
import Larch.Models

// How far one of my messages has got: a clock while it waits (on this device, or in the SMS/email
// queue), a tick once sent, "Delivered" or "Read" once it arrived, a warning when it failed.
Item {
    id: root
    /// A DeliveryState: Pending, Queued, Sent, Delivered, Read, Failed or Received (the model's deliveryState role).
    property int state_: DeliveryState.None
    property color color: Theme.textOnAccentMuted

    readonly property bool waiting: state_ === DeliveryState.Pending || state_ === DeliveryState.Queued
    readonly property bool iconShown: waiting || state_ === DeliveryState.Sent || state_ === DeliveryState.Failed
    readonly property bool wordShown: state_ === DeliveryState.Read || state_ === DeliveryState.Delivered

    implicitWidth: wordShown ? word.implicitWidth : iconShown ? 14 : 0
    implicitHeight: 14
    visible: implicitWidth > 0
    Accessible.role: Accessible.StaticText
    Accessible.name: state_ === DeliveryState.Pending ? qsTr("Sending")
                   : state_ === DeliveryState.Queued ? qsTr("Queued")
                   : state_ === DeliveryState.Sent ? qsTr("Sent")
                   : state_ === DeliveryState.Delivered ? qsTr("Delivered")
                   : state_ === DeliveryState.Read ? qsTr("Read")
                   : state_ === DeliveryState.Failed ? qsTr("Not delivered") : ""

    Icon {
        objectName: "deliveryIcon"
        anchors.centerIn: parent
        iconName: root.waiting ? "clock" : root.state_ === DeliveryState.Failed ? "warning" : "check"
        size: 13
        color: root.color
        visible: root.iconShown
    }
    Label {
        id: word
        objectName: "deliveryWord"
        anchors.verticalCenter: parent.verticalCenter
        text: root.state_ === DeliveryState.Delivered ? qsTr("Delivered") : qsTr("Read")
        color: root.color
        font.pixelSize: Theme.smallFontSize
        font.weight: Font.DemiBold
        visible: root.wordShown
    }
}
