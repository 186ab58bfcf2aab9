import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The bar above a thread: back (on phones), the conversation's title, whether it is secure, and
// for secure conversations a menu with the members' safety codes.
Rectangle {
    id: root

    property string title
    property bool isSecure: true
    /// Shows the back button (stacked, phone-sized layout).
    property bool showBack: false

    signal backRequested()
    /// Emitted when the person asks to compare safety codes (secure conversations only).
    signal safetyCodesRequested()

    implicitHeight: Theme.headerHeight
    color: Theme.surface

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: root.showBack ? Theme.gap : Theme.margin + 4
        anchors.rightMargin: root.isSecure ? Theme.spacing : Theme.margin
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
            RowLayout {
                spacing: 5
                visible: root.isSecure
                Icon {
                    iconName: "lock"
                    size: 12
                    color: Theme.accent
                }
                Label {
                    text: qsTr("Secure conversation")
                    color: Theme.accent
                    font.pixelSize: Theme.smallFontSize
                    font.weight: Font.Medium
                }
            }
        }
        IconButton {
            id: menuButton
            objectName: "threadMenuButton"
            visible: root.isSecure
            iconName: "menu"
            label: qsTr("Conversation menu")
            onClicked: menu.open()

            Menu {
                id: menu
                y: menuButton.height
                x: menuButton.width - width
                MenuItem {
                    objectName: "safetyCodesItem"
                    text: qsTr("Safety codes")
                    onTriggered: root.safetyCodesRequested()
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
