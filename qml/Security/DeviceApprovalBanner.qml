// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The strip at the top of the home screen listing colleagues' new devices that wait for approval,
// one row each, with the last approval error under them. Hidden while nothing waits.
Rectangle {
    id: banner

    /// A model with the pending devices roles (deviceId, userName, deviceName, timeText).
    property alias model: rows.model
    /// One sentence on why the last Approve or Decline failed; "" when none.
    property string errorText
    readonly property alias count: rows.count

    signal approveRequested(string deviceId)
    signal declineRequested(string deviceId)

    implicitHeight: column.implicitHeight
    visible: rows.count > 0
    color: Theme.accentSofter
    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("Devices waiting for approval")

    ColumnLayout {
        id: column
        width: parent.width
        spacing: 0

        Repeater {
            id: rows
            delegate: ColumnLayout {
                id: entry
                required property int index
                required property string deviceId
                required property string userName
                required property string deviceName
                required property string timeText
                Layout.fillWidth: true
                spacing: 0
                Rectangle {
                    Layout.fillWidth: true
                    Layout.leftMargin: Theme.margin
                    Layout.rightMargin: Theme.margin
                    implicitHeight: 1
                    color: Theme.accentSoft
                    visible: entry.index > 0
                }
                DeviceApprovalRow {
                    objectName: "approvalRow"
                    Layout.fillWidth: true
                    deviceId: entry.deviceId
                    userName: entry.userName
                    deviceName: entry.deviceName
                    timeText: entry.timeText
                    onApproveRequested: (id) => banner.approveRequested(id)
                    onDeclineRequested: (id) => banner.declineRequested(id)
                }
            }
        }

        Label {
            objectName: "approvalError"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.margin
            Layout.rightMargin: Theme.margin
            Layout.bottomMargin: Theme.spacing
            visible: banner.errorText.length > 0
            text: banner.errorText
            wrapMode: Text.Wrap
            color: Theme.danger
            font.pixelSize: Theme.smallFontSize + 1
            padding: Theme.spacing
            leftPadding: Theme.padding
            background: Rectangle {
                radius: Theme.radius
                color: Theme.dangerSoft
                border.width: 1
                border.color: Theme.dangerBorder
            }
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.accentSoft
    }
}
