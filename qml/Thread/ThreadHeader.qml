// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The bar above a thread: back (on phones), the conversation's title, whether it is secure or a
// standard (SMS/email) conversation that is not end-to-end encrypted, and the ⋮ menu: the members'
// safety codes for secure conversations; "Invite to Secure Conversation" and consent for standard ones.
Rectangle {
    id: root

    property string title
    property bool isSecure: true
    /// Shows the back button (stacked, phone-sized layout).
    property bool showBack: false

    signal backRequested()
    /// Emitted when the person asks to compare safety codes (secure conversations only).
    signal safetyCodesRequested()
    /// Emitted for "Record consent…" on a standard conversation; the page opens the consent dialog.
    signal consentRequested()
    /// Emitted for "Open Secure Conversation" once a standard conversation's patient was invited.
    signal openConversationRequested(string conversationId)

    /// The open standard conversation: App.standard, or a stand-in with its properties isStandard, channel,
    /// consentRecorded, optedOut, secureConversationId, busy; and inviteToSecure(). null or !isStandard
    /// for a secure conversation.
    property var standard: null

    readonly property bool isStandard: standard !== null && standard.isStandard
    readonly property bool hasMenu: isSecure || isStandard
    /// "Invite to Secure Conversation" was chosen and its answer has not arrived yet.
    property bool inviting: false
    readonly property bool standardBusy: isStandard && standard.busy
    onStandardBusyChanged: if (!standardBusy) inviting = false

    /// Opens the ⋮ menu (also used by the screenshot script).
    function openMenu() { menu.open() }

    implicitHeight: Theme.headerHeight
    color: Theme.surface

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: root.showBack ? Theme.gap : Theme.margin + 4
        anchors.rightMargin: root.hasMenu ? Theme.spacing : Theme.margin
        spacing: Theme.spacing

        IconButton {
            objectName: "backButton"
            visible: root.showBack
            iconName: "back"
            iconColor: Theme.text
            label: qsTr("Back to conversations")
            onClicked: root.backRequested()
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 1
            Label {
                objectName: "threadTitle"
                Layout.fillWidth: true
                text: root.title
                elide: Text.ElideRight
                color: Theme.text
                font.pixelSize: Theme.titleFontSize
                font.weight: Font.DemiBold
                Accessible.role: Accessible.Heading
            }
            // One line whose words change with the conversation: two lines swapped by visibility overlapped the
            // title when a secure conversation gave way to a standard one (the column kept the old placement).
            RowLayout {
                objectName: "conversationMark"
                Layout.fillWidth: true
                spacing: 5
                visible: root.isSecure || root.isStandard
                Icon {
                    iconName: root.isSecure ? "lock" : "lock-open"
                    size: 12
                    color: root.isSecure ? Theme.accent : Theme.textSecondary
                }
                Label {
                    objectName: "conversationMarkText"
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                    text: root.isSecure ? qsTr("Secure conversation")
                        : root.isStandard && root.standard.channel === Channel.Email ? qsTr("Email · not end-to-end encrypted")
                        : qsTr("SMS · not end-to-end encrypted")
                    color: root.isSecure ? Theme.accent : Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize
                    font.weight: Font.Medium
                }
            }
        }
        BusyIndicator {
            objectName: "invitingIndicator"
            visible: root.inviting
            running: visible
            implicitWidth: 24
            implicitHeight: 24
            padding: 0
            Accessible.name: qsTr("Inviting to a secure conversation")
        }
        IconButton {
            id: menuButton
            objectName: "threadMenuButton"
            visible: root.hasMenu
            iconName: "menu"
            label: qsTr("Conversation menu")
            popup: menu
            onClicked: menu.open()

            LarchMenu {
                id: menu
                objectName: "threadMenu"
                y: menuButton.height
                x: menuButton.width - width
                preferredWidth: root.isStandard ? 300 : 220

                LarchMenuItem {
                    objectName: "safetyCodesItem"
                    visible: root.isSecure
                    text: qsTr("Safety codes")
                    iconName: "shield"
                    onTriggered: root.safetyCodesRequested()
                }
                LarchMenuItem {
                    // Before the invitation: invite. After it: open the secure conversation it made.
                    readonly property string secureId: root.isStandard ? root.standard.secureConversationId : ""
                    objectName: "inviteToSecureItem"
                    visible: root.isStandard
                    enabled: secureId.length > 0 || (root.isStandard && !root.standard.busy && !root.standard.optedOut)
                    text: secureId.length > 0 ? qsTr("Open Secure Conversation")
                        : root.inviting ? qsTr("Inviting…")
                        : qsTr("Invite to Secure Conversation")
                    detail: secureId.length > 0 ? qsTr("The patient was invited to Larch")
                          : root.isStandard && root.standard.optedOut ? qsTr("This number opted out of texts")
                          : qsTr("Sends an invitation to download Larch")
                    iconName: "lock"
                    iconColor: Theme.accent
                    onTriggered: {
                        if (secureId.length > 0)
                            root.openConversationRequested(secureId)
                        else {
                            root.inviting = true
                            root.standard.inviteToSecure()
                            // Nothing went out (e.g. refused at once): no spinner.
                            if (!root.standard.busy)
                                root.inviting = false
                        }
                    }
                }
                LarchMenuItem {
                    objectName: "recordConsentItem"
                    visible: root.isStandard
                    enabled: root.isStandard && !root.standard.busy
                    text: root.isStandard && root.standard.consentRecorded ? qsTr("Update consent…") : qsTr("Record consent…")
                    iconName: "check"
                    onTriggered: root.consentRequested()
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
