// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The top of the conversation pane: who is signed in, and the account menu.
Rectangle {
    id: root

    property string userName
    /// An AccountRole: Admin, Clinician or Patient.
    property int userRole: AccountRole.None
    /// The window is phone-sized: the menu offers the unlock PIN.
    property bool phoneMode: false

    signal signOutRequested()
    /// Emitted when the person opens the recovery key dialog from the account menu.
    signal recoveryKeyRequested()
    /// Emitted when "Secure Conversation" is chosen from the '+' menu.
    signal secureConversationRequested()
    /// Emitted when "Text Message (SMS)" ("sms") or "Email" ("email") is chosen from the '+' menu.
    signal standardConversationRequested(string channel)
    /// Emitted when an administrator opens the invitation text from the account menu.
    signal invitationTextRequested()
    /// Emitted when a staff member opens the practice's Practice Links from the account menu.
    signal practiceLinksRequested()
    /// Emitted when an administrator opens the practice's audit log from the account menu.
    signal auditLogRequested()
    /// Emitted when an administrator opens the practice's staff.
    signal staffRequested()
    /// Emitted when a staff member opens their two-factor sign-in from the account menu.
    signal twoFactorRequested()
    /// Emitted when an administrator opens the practice's security settings from the account menu.
    signal securitySettingsRequested()
    /// Emitted when the person opens the unlock PIN of this phone from the account menu.
    signal lockPinRequested()
    /// Emitted when the person locks the app from the account menu.
    signal lockRequested()

    implicitHeight: Theme.headerHeight
    color: Theme.surface

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.spacing
        spacing: Theme.padding

        Image {
            source: Theme.icon("app")
            sourceSize.width: 32
            sourceSize.height: 32
            Layout.preferredWidth: 32
            Layout.preferredHeight: 32
            Accessible.ignored: true
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label {
                objectName: "userNameLabel"
                Layout.fillWidth: true
                text: root.userName
                elide: Text.ElideRight
                color: Theme.text
                font.pixelSize: Theme.fontSize + 1
                font.weight: Font.DemiBold
            }
            Label {
                Layout.fillWidth: true
                text: root.userRole === AccountRole.Admin ? qsTr("Admin")
                    : root.userRole === AccountRole.Clinician ? qsTr("Clinician")
                    : root.userRole === AccountRole.Patient ? qsTr("Patient") : ""
                visible: text.length > 0
                elide: Text.ElideRight
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
                font.capitalization: Font.Capitalize
            }
        }
        NewConversationButton {
            objectName: "newConversationButton"
            visible: root.userRole === AccountRole.Admin || root.userRole === AccountRole.Clinician
            onSecureConversationRequested: root.secureConversationRequested()
            onStandardConversationRequested: (channel) => root.standardConversationRequested(channel)
        }
        IconButton {
            id: menuButton
            objectName: "accountMenuButton"
            iconName: "menu"
            label: qsTr("Account menu")
            popup: menu
            onClicked: menu.open()

            LarchMenu {
                id: menu
                objectName: "accountMenu"
                y: menuButton.height
                x: menuButton.width - width
                preferredWidth: 240
                LarchMenuItem {
                    objectName: "recoveryKeyItem"
                    text: qsTr("Recovery key…")
                    iconName: "key"
                    onTriggered: root.recoveryKeyRequested()
                }
                LarchMenuItem {
                    objectName: "invitationTextItem"
                    text: qsTr("Invitation settings…")
                    iconName: "mail"
                    visible: root.userRole === AccountRole.Admin
                    onTriggered: root.invitationTextRequested()
                }
                LarchMenuItem {
                    objectName: "practiceLinksItem"
                    text: qsTr("Practice Links…")
                    iconName: "link"
                    visible: root.userRole === AccountRole.Admin || root.userRole === AccountRole.Clinician
                    onTriggered: root.practiceLinksRequested()
                }
                LarchMenuItem {
                    objectName: "staffItem"
                    text: qsTr("Staff…")
                    iconName: "people"
                    visible: root.userRole === AccountRole.Admin
                    onTriggered: root.staffRequested()
                }
                LarchMenuItem {
                    objectName: "auditLogItem"
                    text: qsTr("Audit log…")
                    iconName: "document"
                    visible: root.userRole === AccountRole.Admin
                    onTriggered: root.auditLogRequested()
                }
                LarchMenuItem {
                    objectName: "twoFactorItem"
                    text: qsTr("Two-factor sign-in…")
                    iconName: "device"
                    visible: root.userRole === AccountRole.Admin || root.userRole === AccountRole.Clinician
                    onTriggered: root.twoFactorRequested()
                }
                LarchMenuItem {
                    objectName: "securitySettingsItem"
                    text: qsTr("Security settings…")
                    iconName: "shield"
                    visible: root.userRole === AccountRole.Admin
                    onTriggered: root.securitySettingsRequested()
                }
                LarchMenuItem {
                    objectName: "lockPinItem"
                    text: qsTr("Unlock PIN…")
                    iconName: "key"
                    visible: root.phoneMode
                    onTriggered: root.lockPinRequested()
                }
                LarchMenuItem {
                    objectName: "lockNowItem"
                    text: qsTr("Lock now")
                    iconName: "lock"
                    onTriggered: root.lockRequested()
                }
                LarchMenuItem {
                    objectName: "signOutItem"
                    text: qsTr("Sign out")
                    iconName: "sign-out"
                    onTriggered: root.signOutRequested()
                }
            }
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.divider
    }
}
