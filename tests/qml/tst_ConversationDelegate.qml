import QtQuick
import QtTest
import Larch

// A conversation row shows the model's words, marks unread and secure conversations,
// elides long titles and reports when it is opened.
Item {
    id: scene
    width: 400
    height: 200

    TestCase {
        id: testCase
        name: "ConversationDelegate"
        when: windowShown

        Component {
            id: rowComponent
            ConversationDelegate {
                width: 340
                conversationId: "c-1"
                title: "Sam Lee"
                preview: "Thanks, see you Tuesday"
                timeText: "14:05"
                unreadCount: 0
                isSecure: true
                isInvited: false
                initials: "SL"
            }
        }

        SignalSpy {
            id: activatedSpy
            signalName: "activated"
        }

        function createRow(properties) {
            const row = createTemporaryObject(rowComponent, scene, properties || {})
            verify(row, "ConversationDelegate is created")
            activatedSpy.clear()
            activatedSpy.target = row
            return row
        }

        function test_showsTitlePreviewAndTime() {
            const row = createRow()
            compare(findChild(row, "titleLabel").text, "Sam Lee")
            compare(findChild(row, "previewLabel").text, "Thanks, see you Tuesday")
            compare(findChild(row, "timeLabel").text, "14:05")
        }

        function test_unreadBadgeOnlyWhenUnread_data() {
            return [
                { tag: "none", unread: 0, badge: false },
                { tag: "one", unread: 1, badge: true },
                { tag: "many", unread: 12, badge: true },
            ]
        }

        function test_unreadBadgeOnlyWhenUnread(data) {
            const row = createRow({ unreadCount: data.unread })
            const badge = findChild(row, "unreadBadge")
            compare(badge.visible, data.badge)
            if (data.badge)
                compare(badge.count, data.unread)
        }

        function test_badgeFollowsModelChanges() {
            const row = createRow({ unreadCount: 3 })
            const badge = findChild(row, "unreadBadge")
            verify(badge.visible)
            row.unreadCount = 0
            verify(!badge.visible, "reading the conversation hides the badge")
        }

        function test_secureMark_data() {
            return [ { tag: "secure", secure: true }, { tag: "standard", secure: false } ]
        }

        function test_secureMark(data) {
            const row = createRow({ isSecure: data.secure })
            compare(findChild(row, "secureMark").visible, data.secure)
        }

        function test_longTitleIsElided() {
            const row = createRow({ title: "Maximilian Alexander Fitzgerald-Montgomery of Northumberland and Strathclyde" })
            const title = findChild(row, "titleLabel")
            waitForRendering(row)
            verify(title.truncated, "a long title is elided, not clipped or wrapped")
            verify(title.width < row.width)
            compare(title.lineCount, 1)
            const shortRow = createRow({ title: "Sam Lee" })
            waitForRendering(shortRow)
            verify(!findChild(shortRow, "titleLabel").truncated)
        }

        function test_clickEmitsActivated() {
            const row = createRow({ conversationId: "c-42", isSecure: false })
            mouseClick(row)
            compare(activatedSpy.count, 1)
            compare(activatedSpy.signalArguments[0][0], "c-42")
            compare(activatedSpy.signalArguments[0][1], false)
        }

        function test_keyboardActivates() {
            const row = createRow({ conversationId: "c-7" })
            row.forceActiveFocus()
            keyClick(Qt.Key_Return)
            compare(activatedSpy.count, 1)
            compare(activatedSpy.signalArguments[0][0], "c-7")
        }

        function test_currentIsHighlighted() {
            const row = createRow()
            verify(!row.highlighted)
            row.current = true
            verify(row.highlighted)
        }
    
        function test_invitedLabel() {
            const row = createRow({ isInvited: true })
            const label = findChild(row, "invitedLabel")
            verify(label.visible)
            compare(label.text, "Invited")
            row.isInvited = false
            verify(!label.visible)
        }
    }
}
