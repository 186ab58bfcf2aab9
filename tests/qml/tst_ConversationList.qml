// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch
import Larch.Models

// The conversation list marks the open conversation, opens a row on click and explains why it is empty.
Item {
    id: scene
    width: 360
    height: 600

    TestCase {
        id: testCase
        name: "ConversationList"
        when: windowShown

        ListModel {
            id: conversations
            ListElement { conversationId: "a"; title: "Sam Lee"; preview: "See you soon"; timeText: "09:12"; unreadCount: 2; isSecure: true; isInvited: false; initials: "SL"; channel: Channel.Secure; contactDisplay: ""; tags: []; needsConsent: false; optedOut: false }
            ListElement { conversationId: "b"; title: "Maya Chen"; preview: "Thank you"; timeText: "Mon"; unreadCount: 0; isSecure: true; isInvited: false; initials: "MC"; channel: Channel.Sms; contactDisplay: "(201) 555-0123"; tags: []; needsConsent: true; optedOut: false }
        }

        ListModel { id: emptyModel }

        Component {
            id: listComponent
            ConversationList {
                width: 340
                height: 560
            }
        }

        SignalSpy {
            id: openedSpy
            signalName: "conversationActivated"
        }

        function createList(model) {
            const list = createTemporaryObject(listComponent, scene, { model: model })
            verify(list)
            openedSpy.clear()
            openedSpy.target = list
            return list
        }

        function test_clickOpensAndCurrentFollows() {
            const list = createList(conversations)
            const view = findChild(list, "conversationListView")
            tryCompare(view, "count", 2)
            waitForRendering(view)
            const second = view.itemAtIndex(1)
            verify(second)
            mouseClick(second)
            compare(openedSpy.count, 1)
            compare(openedSpy.signalArguments[0][0], "b")
            list.currentConversationId = "b"
            verify(second.current)
            verify(!view.itemAtIndex(0).current)
        }

        function test_emptyStates() {
            const list = createList(emptyModel)
            const empty = findChild(list, "emptyState")
            const title = findChild(empty, "emptyTitle")
            verify(empty.visible)
            compare(title.text, "No conversations yet")
            list.searchText = "zebra"
            compare(title.text, "No results")
            list.searchText = ""
            list.filter = 1
            compare(title.text, "You're all caught up")
            const full = createList(conversations)
            verify(!findChild(full, "emptyState").visible)
        }

        function test_kindFiltersForStaff() {
            const list = createList(emptyModel)
            verify(!findChild(list, "filterTab2"), "patients get All and Unread only")
            list.kindFilters = true
            const standardTab = findChild(list, "filterTab3")
            verify(standardTab)
            compare(standardTab.text, "Standard")
            compare(findChild(list, "filterTab2").text, "Secure")
            waitForRendering(list)
            mouseClick(standardTab)
            compare(list.filter, 3)
            compare(findChild(findChild(list, "emptyState"), "emptyTitle").text, "No standard conversations")
        }
    }
}
