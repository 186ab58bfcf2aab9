// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch
import Larch.Models

// A conversation row shows the model's words, marks unread and secure conversations, marks standard
// (SMS/email) ones as not end-to-end encrypted with their consent or opt-out hint and tags, elides
// long titles and reports when it is opened.
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
                channel: Channel.Secure
                contactDisplay: ""
                tags: []
                needsConsent: false
                optedOut: false
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

        function test_standardRowShowsChannelNotLock_data() {
            return [
                { tag: "sms", channel: Channel.Sms, word: "SMS", spoken: "Text message conversation with Sam Lee, not end-to-end encrypted" },
                { tag: "email", channel: Channel.Email, word: "Email", spoken: "Email conversation with Sam Lee, not end-to-end encrypted" },
            ]
        }

        function test_standardRowShowsChannelNotLock(data) {
            const row = createRow({ isSecure: false, channel: data.channel, contactDisplay: "(201) 555-0123" })
            verify(!findChild(row, "secureMark").visible, "no lock on a standard conversation")
            const mark = findChild(row, "channelMark")
            verify(mark.visible)
            compare(findChild(row, "channelLabel").text, data.word)
            verify(row.Accessible.name.indexOf(data.spoken) === 0, row.Accessible.name)
            verify(row.Accessible.name.indexOf("(201) 555-0123") > 0, "a screen reader hears where messages go")
        }

        function test_secureRowHasNoChannelMark() {
            const row = createRow()
            verify(findChild(row, "secureMark").visible)
            verify(!findChild(row, "channelMark").visible)
            verify(!findChild(row, "chips").parent.visible, "no chip line without hints or tags")
            compare(row.implicitHeight, 72)
        }

        function test_consentAndOptOutHints() {
            const row = createRow({ isSecure: false, channel: Channel.Sms, needsConsent: true })
            verify(findChild(row, "needsConsentChip").visible)
            verify(!findChild(row, "optedOutChip").visible)
            verify(row.Accessible.name.indexOf("needs consent") > 0)
            verify(row.implicitHeight > 72, "the chip line adds room")
            row.optedOut = true
            verify(findChild(row, "optedOutChip").visible, "an opted-out number says so")
            verify(!findChild(row, "needsConsentChip").visible, "and not both hints at once")
            row.needsConsent = false
            row.optedOut = false
            verify(!findChild(row, "chips").parent.visible)
        }

        function test_tagsAsChips() {
            const row = createRow({ tags: ["new-patient", "flu clinic"] })
            const repeater = findChild(row, "tagChips")
            compare(repeater.count, 2)
            compare(repeater.itemAt(0).text, "new-patient")
            compare(repeater.itemAt(1).text, "flu clinic")
            verify(repeater.itemAt(0).visible)
            verify(row.Accessible.name.indexOf("tags: new-patient, flu clinic") > 0)
        }
    }
}
