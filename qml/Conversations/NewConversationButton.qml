// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch

// The '+' on the conversation list header and its menu of new conversations: secure (in the app,
// end-to-end encrypted) or standard (SMS or email, not end-to-end encrypted).
IconButton {
    id: button

    /// Emitted when "Secure Conversation" is chosen.
    signal secureConversationRequested()
    /// Emitted when "Text Message (SMS)" ("sms") or "Email" ("email") is chosen.
    signal standardConversationRequested(string channel)
    /// Opens the menu (also used by the screenshot script).
    function openMenu() { menu.open() }

    iconName: "plus"
    label: qsTr("New conversation")
    popup: menu
    onClicked: menu.open()

    LarchMenu {
        id: menu
        objectName: "newConversationMenu"
        y: button.height
        x: button.width - width
        preferredWidth: 290

        LarchMenuItem {
            objectName: "secureConversationItem"
            text: qsTr("Secure Conversation")
            detail: qsTr("End-to-end encrypted, in the app")
            iconName: "lock"
            iconColor: Theme.accent
            onTriggered: button.secureConversationRequested()
        }
        LarchMenuItem {
            objectName: "smsConversationItem"
            text: qsTr("Text Message (SMS)")
            detail: qsTr("Not end-to-end encrypted")
            iconName: "chat"
            onTriggered: button.standardConversationRequested("sms")
        }
        LarchMenuItem {
            objectName: "emailConversationItem"
            text: qsTr("Email")
            detail: qsTr("Not end-to-end encrypted")
            iconName: "mail"
            onTriggered: button.standardConversationRequested("email")
        }
    }
}
