// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The searchable, filterable list of conversations with its empty states.
FocusScope {
    id: root

    /// A model with the conversation list roles.
    property alias model: list.model
    /// The id of the open conversation, highlighted in the list.
    property string currentConversationId
    /// The search text as typed.
    property alias searchText: search.text
    /// 0 = All, 1 = Unread, 2 = Secure, 3 = Standard (the last two only with kindFilters).
    property alias filter: tabs.currentIndex
    /// Offers the "Secure" and "Standard" filters (staff).
    property alias kindFilters: tabs.kindFilters
    /// Whether the list has been loaded at least once; before that no empty state is shown.
    property bool loaded: true
    readonly property alias count: list.count
    readonly property alias listView: list

    /// Emitted when the person opens a conversation.
    signal conversationActivated(string conversationId, bool isSecure)

    /// Moves keyboard focus to the search field.
    function focusSearch() { search.forceActiveFocus() }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        SearchField {
            id: search
            objectName: "searchField"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.margin
            Layout.rightMargin: Theme.margin
            Layout.topMargin: Theme.spacing
            KeyNavigation.down: list
        }

        FilterTabs {
            id: tabs
            Layout.leftMargin: Theme.margin
            Layout.topMargin: Theme.padding
            Layout.bottomMargin: Theme.spacing
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 1
            color: Theme.divider
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: list
                objectName: "conversationListView"
                anchors.fill: parent
                clip: true
                focus: true
                keyNavigationEnabled: true
                boundsBehavior: Flickable.StopAtBounds
                highlightFollowsCurrentItem: false
                ScrollBar.vertical: ScrollBar { }
                Accessible.role: Accessible.List
                Accessible.name: qsTr("Conversations")

                delegate: ConversationDelegate {
                    width: ListView.view.width
                    // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
                    // qmllint disable unqualified
                    current: conversationId === root.currentConversationId
                    // qmllint enable unqualified
                    onActivated: (id, secure) => {
                        ListView.view.currentIndex = index
                        root.conversationActivated(id, secure)
                    }
                    required property int index
                }
            }

            EmptyState {
                objectName: "emptyState"
                anchors.fill: parent
                visible: root.loaded && list.count === 0
                iconName: root.searchText.length > 0 ? "search" : "chat"
                title: root.searchText.length > 0 ? qsTr("No results")
                     : root.filter === 1 ? qsTr("You're all caught up")
                     : root.filter === 2 ? qsTr("No secure conversations")
                     : root.filter === 3 ? qsTr("No standard conversations")
                     : qsTr("No conversations yet")
                text: root.searchText.length > 0 ? qsTr("No conversation matches “%1”.").arg(root.searchText)
                    : root.filter === 1 ? qsTr("Conversations with unread messages appear here.")
                    : root.filter === 2 ? qsTr("End-to-end encrypted conversations in the Larch app appear here.")
                    : root.filter === 3 ? qsTr("Text message and email conversations, not end-to-end encrypted, appear here.")
                    : qsTr("When a patient writes to your practice, the conversation appears here.")
            }
        }
    }
}
