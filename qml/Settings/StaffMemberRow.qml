// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// One staff member on the Staff page: initials, name and email, role, two-factor sign-in and whether their setup
// link still waits; the menu of what an administrator can do with them (nothing for their own row).
Rectangle {
    id: row

    property string userId
    property string name
    property string email
    property bool admin
    property bool twoFactor
    property bool passwordSet
    property bool isYou
    property bool busy

    /// The administrator chose an action: "admin", "clinician", "resendLink", "resetTwoFactor" or "deactivate".
    signal actionRequested(string action, string userId, string name)

    implicitHeight: layout.implicitHeight + 2 * Theme.padding
    radius: Theme.radius
    color: Theme.surface
    border.color: Theme.divider
    Accessible.role: Accessible.ListItem
    Accessible.name: name + ", " + (admin ? qsTr("administrator") : qsTr("clinician"))

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: Theme.padding
        spacing: Theme.spacing

        Avatar {
            Layout.alignment: Qt.AlignTop
            initials: row.name.split(" ").filter(w => w.length > 0).slice(0, 2).map(w => w[0].toUpperCase()).join("")
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                objectName: "staffName"
                Layout.fillWidth: true
                text: row.isYou ? qsTr("%1 (you)").arg(row.name) : row.name
                elide: Text.ElideRight
                color: Theme.text
                font.weight: Font.DemiBold
            }
            Label {
                Layout.fillWidth: true
                text: row.email
                elide: Text.ElideMiddle
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize + 1
            }
            Flow {
                Layout.fillWidth: true
                Layout.topMargin: 4
                spacing: Theme.spacing
                Tag {
                    objectName: "staffRole"
                    text: row.admin ? qsTr("Administrator") : qsTr("Clinician")
                    tint: row.admin ? Theme.accent : Theme.textSecondary
                }
                Tag {
                    objectName: "staffTwoFactor"
                    visible: row.passwordSet
                    text: row.twoFactor ? qsTr("Two-factor on") : qsTr("Two-factor off")
                    tint: row.twoFactor ? Theme.accent : Theme.warning
                }
                Tag {
                    objectName: "staffWaiting"
                    visible: !row.passwordSet
                    text: qsTr("Hasn't chosen a password yet")
                    tint: Theme.warning
                }
            }
        }
        IconButton {
            objectName: "staffMenuButton"
            Layout.alignment: Qt.AlignTop
            visible: !row.isYou
            enabled: !row.busy
            iconName: "menu"
            label: qsTr("Actions for %1").arg(row.name)
            popup: actions
            onClicked: actions.open()

            LarchMenu {
                id: actions
                objectName: "staffActionsMenu"
                y: parent.height
                x: parent.width - width
                preferredWidth: 280
                LarchMenuItem {
                    objectName: "makeAdminItem"
                    visible: !row.admin
                    text: qsTr("Make administrator…")
                    iconName: "shield"
                    onTriggered: row.actionRequested("admin", row.userId, row.name)
                }
                LarchMenuItem {
                    objectName: "makeClinicianItem"
                    visible: row.admin
                    text: qsTr("Make clinician…")
                    iconName: "shield"
                    onTriggered: row.actionRequested("clinician", row.userId, row.name)
                }
                LarchMenuItem {
                    objectName: "resendLinkItem"
                    visible: !row.passwordSet
                    text: qsTr("Send the setup link again")
                    iconName: "mail"
                    onTriggered: row.actionRequested("resendLink", row.userId, row.name)
                }
                LarchMenuItem {
                    objectName: "resetTwoFactorItem"
                    visible: row.twoFactor
                    text: qsTr("Reset two-factor sign-in…")
                    iconName: "device"
                    onTriggered: row.actionRequested("resetTwoFactor", row.userId, row.name)
                }
                LarchMenuItem {
                    objectName: "deactivateItem"
                    text: qsTr("Deactivate…")
                    iconName: "block"
                    destructive: true
                    onTriggered: row.actionRequested("deactivate", row.userId, row.name)
                }
            }
        }
    }

    // A small rounded label in a tint of its colour.
    component Tag: Rectangle {
        property alias text: tagText.text
        property color tint: Theme.textSecondary
        implicitWidth: tagText.implicitWidth + 2 * Theme.spacing
        implicitHeight: tagText.implicitHeight + 4
        radius: height / 2
        color: Qt.rgba(tint.r, tint.g, tint.b, 0.12)
        Label {
            id: tagText
            anchors.centerIn: parent
            color: parent.tint
            font.pixelSize: Theme.smallFontSize
            font.weight: Font.DemiBold
        }
    }
}
