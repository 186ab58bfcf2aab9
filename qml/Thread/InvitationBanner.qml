// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// "Hasn't Created an Account": the top of a secure conversation whose patient was invited but has not
// joined yet, with the invitation's delivery and the ways to fix it. Presentation only (App.invitation).
Rectangle {
    id: banner

    /// The invited patient's name.
    property string patientName
    /// A DeliveryState: Queued, Sent, Delivered or Failed.
    property int deliveryState: DeliveryState.None
    /// The delivery as one line, e.g. "Invitation delivered by SMS to (201) 555-0123."
    property string stateLine
    /// A resend or edit is in flight.
    property bool busy: false
    /// Why a resend or edit failed; "" when nothing did.
    property string errorText

    signal resendRequested()
    signal editRequested()

    readonly property bool failed: deliveryState === DeliveryState.Failed

    implicitHeight: column.implicitHeight + 2 * Theme.padding
    color: failed ? Theme.dangerSoft : Theme.warningSoft
    Accessible.role: Accessible.AlertMessage
    Accessible.name: qsTr("Hasn't Created an Account") + ". " + stateLine

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Icon {
                iconName: banner.failed ? "warning" : "clock"
                size: 18
                color: banner.failed ? Theme.danger : Theme.warning
            }
            Label {
                objectName: "bannerTitle"
                Layout.fillWidth: true
                text: qsTr("Hasn't Created an Account")
                font.weight: Font.DemiBold
                color: Theme.text
                elide: Text.ElideRight
            }
        }
        Label {
            objectName: "bannerStateLine"
            Layout.fillWidth: true
            text: banner.stateLine
            wrapMode: Text.Wrap
            color: banner.failed ? Theme.danger : Theme.textSecondary
        }
        Label {
            objectName: "bannerError"
            Layout.fillWidth: true
            visible: text.length > 0
            text: banner.errorText
            wrapMode: Text.Wrap
            color: Theme.danger
        }
        Flow {
            Layout.fillWidth: true
            Layout.topMargin: Theme.gap
            spacing: Theme.spacing
            SecondaryButton {
                objectName: "resendInviteButton"
                text: qsTr("Resend invite")
                implicitWidth: implicitContentWidth + 2 * Theme.margin
                enabled: !banner.busy
                onClicked: banner.resendRequested()
            }
            SecondaryButton {
                objectName: "editContactButton"
                text: qsTr("Edit contact")
                implicitWidth: implicitContentWidth + 2 * Theme.margin
                enabled: !banner.busy
                onClicked: banner.editRequested()
            }
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: banner.failed ? Theme.dangerBorder : Theme.warningBorder
    }
}
