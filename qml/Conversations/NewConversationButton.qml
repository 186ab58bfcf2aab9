import QtQuick
import QtQuick.Controls
import Larch

// The '+' on the conversation list header and its menu of new conversations.
IconButton {
    id: button

    /// Emitted when "Secure Conversation" is chosen.
    signal secureConversationRequested()
    /// Opens the menu (also used by the screenshot script).
    function openMenu() { menu.open() }

    iconName: "plus"
    label: qsTr("New conversation")
    onClicked: menu.open()

    Menu {
        id: menu
        objectName: "newConversationMenu"
        y: button.height
        x: button.width - width
        MenuItem {
            objectName: "secureConversationItem"
            text: qsTr("Secure Conversation")
            icon.source: Theme.icon("lock")
            icon.color: Theme.accent
            icon.width: 18
            icon.height: 18
            onTriggered: button.secureConversationRequested()
        }
    }
}
