// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// One audit record: when, who (and on which device), what they did to what, and from which address. Columns on a
// wide window; stacked lines, the action first, on a phone. Presentation only: the words come from the model.
Rectangle {
    id: row

    /// When it happened, to the second, in the device's locale.
    property string when
    /// The same, shorter, for a phone ("7 Dec, 14:05").
    property string shortWhen
    /// Who acted: a name, or "Unknown account", "Larch server", …
    property string who
    /// True when a patient acted: the row says so beside the name.
    property bool byPatient: false
    /// The device they used; "" when none is known.
    property string device
    /// What happened, in plain words ("Signed in").
    property string actionText
    /// What it touched ("Conversation with Sam Lee"); "" for nothing.
    property string object
    /// Where the request came from; "" for the server itself.
    property string address
    /// An action an auditor looks at first: drawn with the warning mark.
    property bool warning: false
    /// Columns side by side when there is room.
    readonly property bool wide: width >= 640
    /// The row of column titles over a wide list (When, What, Who, From) instead of a record.
    property bool heading: false
    // Wide columns: when and from are fixed, what and who share the rest.
    readonly property int whenWidth: 150
    readonly property int addressWidth: 130
    readonly property real flexibleWidth: Math.max(0, width - 2 * Theme.margin - whenWidth - addressWidth - 3 * Theme.margin)

    implicitHeight: layout.implicitHeight + 2 * (heading ? Theme.spacing : Theme.padding)
    color: heading ? Theme.window : Theme.surface
    Accessible.role: Accessible.ListItem
    Accessible.name: actionText + (object.length > 0 ? ", " + object : "") + ", " + who + ", " + when

    GridLayout {
        id: layout
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        anchors.topMargin: row.heading ? Theme.spacing : Theme.padding
        anchors.bottomMargin: row.heading ? Theme.spacing : Theme.padding
        columns: row.wide ? 4 : 1
        columnSpacing: Theme.margin
        rowSpacing: 2

        // When: its own column on a wide window; on a phone, beside the action (below).
        Label {
            objectName: "whenLabel"
            visible: row.wide
            Layout.preferredWidth: row.whenWidth
            Layout.alignment: Qt.AlignTop
            text: row.heading ? qsTr("When") : row.when
            color: Theme.textSecondary
            font.pixelSize: Theme.smallFontSize + 1
            font.weight: row.heading ? Font.DemiBold : Font.Normal
        }

        // What happened, to what.
        ColumnLayout {
            Layout.fillWidth: !row.wide
            Layout.preferredWidth: row.wide ? row.flexibleWidth * 0.58 : -1
            Layout.alignment: Qt.AlignTop
            spacing: 2
            RowLayout {
                Layout.fillWidth: true
                spacing: 6
                Icon {
                    objectName: "warningMark"
                    visible: row.warning
                    iconName: "warning"
                    size: 15
                    color: Theme.warning
                    Layout.alignment: Qt.AlignVCenter
                }
                Label {
                    objectName: "actionLabel"
                    Layout.fillWidth: true
                    text: row.heading ? qsTr("What") : row.actionText
                    elide: Text.ElideRight
                    color: row.heading ? Theme.textSecondary : row.warning ? Theme.warning : Theme.text
                    font.pixelSize: row.heading ? Theme.smallFontSize + 1 : Theme.fontSize
                    font.weight: Font.DemiBold
                }
                Label {
                    objectName: "shortWhenLabel"
                    visible: !row.wide
                    text: row.shortWhen.length > 0 ? row.shortWhen : row.when
                    color: Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize
                    Layout.alignment: Qt.AlignVCenter
                }
            }
            Label {
                objectName: "objectLabel"
                Layout.fillWidth: true
                visible: text.length > 0
                text: row.object
                wrapMode: Text.Wrap
                maximumLineCount: 2
                elide: Text.ElideRight
                color: Theme.textSecondary
            }
        }

        // Who, on which device.
        ColumnLayout {
            Layout.fillWidth: !row.wide
            Layout.preferredWidth: row.wide ? row.flexibleWidth * 0.42 : -1
            Layout.alignment: Qt.AlignTop
            spacing: 2
            RowLayout {
                Layout.fillWidth: true
                spacing: 6
                Label {
                    objectName: "whoLabel"
                    // As wide as the name, leaving room for the patient tag beside it; elided only past that.
                    Layout.maximumWidth: Math.max(0, (row.wide ? row.flexibleWidth * 0.42 : row.width - 2 * Theme.margin)
                                                     - (patientTag.visible ? patientTag.implicitWidth + 6 : 0))
                    text: row.heading ? qsTr("Who") : row.who
                    elide: Text.ElideRight
                    color: row.wide && !row.heading ? Theme.text : Theme.textSecondary
                    font.pixelSize: row.heading ? Theme.smallFontSize + 1 : Theme.fontSize
                    font.weight: row.heading ? Font.DemiBold : Font.Normal
                }
                Rectangle {
                    id: patientTag
                    objectName: "patientTag"
                    visible: row.byPatient
                    implicitWidth: patientLabel.implicitWidth + 12
                    implicitHeight: patientLabel.implicitHeight + 2
                    radius: height / 2
                    color: Theme.accentSofter
                    border.width: 1
                    border.color: Theme.accentSoft
                    Label {
                        id: patientLabel
                        anchors.centerIn: parent
                        text: qsTr("Patient")
                        color: Theme.accent
                        font.pixelSize: Theme.smallFontSize - 1
                        font.weight: Font.DemiBold
                    }
                }
                Item { Layout.fillWidth: true }
            }
            Label {
                objectName: "deviceLabel"
                Layout.fillWidth: true
                visible: text.length > 0
                text: row.device.length > 0 ? qsTr("on %1").arg(row.device) : ""
                elide: Text.ElideRight
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize + 1
            }
        }

        // From where.
        Label {
            objectName: "addressLabel"
            Layout.preferredWidth: row.wide ? row.addressWidth : -1
            Layout.fillWidth: !row.wide
            Layout.alignment: Qt.AlignTop
            horizontalAlignment: row.wide ? Text.AlignRight : Text.AlignLeft
            visible: row.wide || text.length > 0
            text: row.heading ? qsTr("From")
                : row.address.length > 0 ? (row.wide ? row.address : qsTr("From %1").arg(row.address)) : ""
            elide: Text.ElideLeft
            color: Theme.textSecondary
            font.pixelSize: Theme.smallFontSize + 1
            font.weight: row.heading ? Font.DemiBold : Font.Normal
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        anchors.left: parent.left
        anchors.leftMargin: Theme.margin
        anchors.right: parent.right
        height: 1
        color: Theme.divider
    }
}
