// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// One colleague's device waiting for approval: who, which device, and Approve / Decline.
// The buttons sit beside the sentence on wide windows and under it on phones.
Item {
    id: row

    // Roles of the pending devices model.
    /// The device waiting for approval; the signals carry it.
    property string deviceId
    /// The colleague who added the device.
    property string userName
    /// The device's own name, e.g. "Desktop (pc-3)".
    property string deviceName
    /// When the device asked ("14:05", "Mon", "12 Nov").
    property string timeText

    readonly property bool narrow: width < 560

    signal approveRequested(string deviceId)
    signal declineRequested(string deviceId)

    implicitHeight: grid.implicitHeight + 2 * Theme.padding
    Accessible.role: Accessible.Grouping
    Accessible.name: sentence.text

    GridLayout {
        id: grid
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        columns: row.narrow ? 2 : 3
        columnSpacing: Theme.padding
        rowSpacing: Theme.spacing

        Rectangle {
            Layout.alignment: Qt.AlignTop
            implicitWidth: 36
            implicitHeight: 36
            radius: 18
            color: Theme.surface
            border.width: 1
            border.color: Theme.accentSoft
            Icon {
                anchors.centerIn: parent
                iconName: "device"
                size: 18
                color: Theme.accent
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignVCenter
            spacing: 2
            Label {
                id: sentence
                objectName: "approvalText"
                Layout.fillWidth: true
                text: qsTr("%1 wants to use Larch on a new device: %2").arg(row.userName).arg(row.deviceName)
                wrapMode: Text.Wrap
                color: Theme.text
                font.pixelSize: Theme.fontSize
                font.weight: Font.DemiBold
            }
            Label {
                objectName: "approvalHint"
                Layout.fillWidth: true
                text: row.timeText.length > 0
                      ? qsTr("Approve only if you know this device is theirs. Asked %1.").arg(row.timeText)
                      : qsTr("Approve only if you know this device is theirs.")
                wrapMode: Text.Wrap
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize + 1
            }
        }

        RowLayout {
            Layout.columnSpan: row.narrow ? 2 : 1
            Layout.alignment: row.narrow ? Qt.AlignRight : Qt.AlignVCenter
            spacing: Theme.spacing
            SecondaryButton {
                objectName: "declineButton"
                text: qsTr("Decline")
                tint: Theme.textSecondary
                Accessible.name: qsTr("Decline %1's new device").arg(row.userName)
                onClicked: row.declineRequested(row.deviceId)
            }
            SecondaryButton {
                objectName: "approveButton"
                text: qsTr("Approve")
                filled: true
                Accessible.name: qsTr("Approve %1's new device").arg(row.userName)
                onClicked: row.approveRequested(row.deviceId)
            }
        }
    }
}
