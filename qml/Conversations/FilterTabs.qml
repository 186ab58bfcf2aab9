import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The "All" / "Unread" switch above the conversation list.
Row {
    id: tabs

    /// 0 = All, 1 = Unread (the filter numbers of the conversation model).
    property int currentIndex: 0
    readonly property var labels: [qsTr("All"), qsTr("Unread")]

    spacing: Theme.spacing
    Accessible.role: Accessible.PageTabList

    Repeater {
        model: tabs.labels
        delegate: AbstractButton {
            id: tab
            required property int index
            required property string modelData
            readonly property bool selected: tabs.currentIndex === index

            objectName: "filterTab" + index
            text: modelData
            checkable: true
            checked: selected
            focusPolicy: Qt.StrongFocus
            implicitHeight: 30
            implicitWidth: tabLabel.implicitWidth + 28
            Accessible.role: Accessible.PageTab
            Accessible.name: text
            onClicked: tabs.currentIndex = index

            contentItem: Label {
                id: tabLabel
                text: tab.text
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                color: tab.selected ? Theme.textOnAccent : Theme.textSecondary
                font.pixelSize: Theme.smallFontSize + 1
                font.weight: Font.DemiBold
            }
            background: Rectangle {
                radius: height / 2
                color: tab.selected ? Theme.accent : tab.hovered ? Theme.hover : "transparent"
                border.width: tab.selected ? 0 : 1
                border.color: Theme.border
                FocusRing { shown: tab.visualFocus }
            }
        }
    }
}
