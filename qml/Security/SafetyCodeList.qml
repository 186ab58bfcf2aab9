// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// Every member of a conversation with their safety code (12 groups of 5 digits in a fixed-width
// grid), their role and how many devices the code covers.
ColumnLayout {
    id: list

    /// One map per member: {userName, role (an AccountRole), code, deviceCount, isMe} (App.security.safetyCodes()).
    property var members: []
    /// The members with the signed-in person first: the code people read out is their own.
    readonly property var ordered: (members || []).filter(m => m.isMe).concat((members || []).filter(m => !m.isMe))
    readonly property alias count: cards.count

    /// The words people use for an AccountRole.
    function roleText(role) {
        switch (role) {
        case AccountRole.Admin: return qsTr("Practice administrator")
        case AccountRole.Clinician: return qsTr("Clinician")
        case AccountRole.Patient: return qsTr("Patient")
        default: return ""
        }
    }

    function devicesText(count) {
        return count === 1 ? qsTr("1 device") : qsTr("%1 devices").arg(count)
    }

    spacing: Theme.spacing

    Repeater {
        id: cards
        model: list.ordered

        delegate: Rectangle {
            id: card
            objectName: "safetyCodeCard"
            required property var modelData
            readonly property var groups: String(modelData.code || "").trim().split(/\s+/).filter(g => g.length > 0)

            Layout.fillWidth: true
            implicitHeight: cardColumn.implicitHeight + 2 * Theme.padding
            radius: Theme.radius
            color: card.modelData.isMe ? Theme.accentSofter : Theme.surface
            border.width: 1
            border.color: card.modelData.isMe ? Theme.accentSoft : Theme.divider
            Accessible.role: Accessible.Grouping
            Accessible.name: qsTr("%1, safety code %2").arg(card.modelData.userName).arg(card.groups.join(" "))

            ColumnLayout {
                id: cardColumn
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: parent.top
                anchors.margins: Theme.padding
                spacing: Theme.spacing

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    Avatar {
                        size: 32
                        initials: String(card.modelData.userName || "").split(/\s+/)
                                  .filter(w => w.length > 0 && w[w.length - 1] !== ".")
                                  .slice(0, 2).map(w => w[0]).join("").toUpperCase()
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 0
                        Label {
                            objectName: "memberName"
                            Layout.fillWidth: true
                            text: card.modelData.isMe ? qsTr("%1 (you)").arg(card.modelData.userName) : card.modelData.userName
                            elide: Text.ElideRight
                            color: Theme.text
                            font.weight: Font.DemiBold
                        }
                        Label {
                            objectName: "memberDetails"
                            Layout.fillWidth: true
                            // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
                            // qmllint disable unqualified
                            text: list.roleText(card.modelData.role) + " · " + list.devicesText(card.modelData.deviceCount || 0)
                            // qmllint enable unqualified
                            elide: Text.ElideRight
                            color: Theme.textSecondary
                            font.pixelSize: Theme.smallFontSize
                        }
                    }
                }

                Label {
                    objectName: "noCodeText"
                    Layout.leftMargin: 40
                    Layout.fillWidth: true
                    visible: card.groups.length === 0
                    text: qsTr("No device yet, so there is no code to compare.")
                    wrapMode: Text.Wrap
                    color: Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize + 1
                }

                Grid {
                    objectName: "codeGrid"
                    visible: card.groups.length > 0
                    Layout.leftMargin: 40
                    columns: 4
                    columnSpacing: Theme.padding + 2
                    rowSpacing: 2
                    Repeater {
                        model: card.groups
                        Label {
                            objectName: "codeGroup"
                            required property string modelData
                            text: modelData
                            color: Theme.text
                            font.family: Theme.monoFontFamily
                            font.pixelSize: Theme.fontSize + 1
                            font.letterSpacing: 0.5
                        }
                    }
                }
            }
        }
    }
}
