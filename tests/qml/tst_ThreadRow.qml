// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch
import Larch.Models

// A thread row draws what its kind and verification say: notices as a small centred line,
// unverifiable messages as a warning with the reason and never the body, messages whose key is
// on its way as a muted bubble with a key, and verified messages with their text. A notice that points
// at another conversation carries a link; standard messages show how far their delivery got.
Item {
    id: scene
    width: 700
    height: 400

    Component {
        id: rowComponent
        ThreadRow {
            width: scene.width
            kind: MessageKind.Message
            body: "See you on Tuesday at 10."
            senderName: "Sam Lee"
            isMine: false
            timeText: "14:05"
            dayText: "Today"
            showDaySeparator: false
            deliveryState: DeliveryState.Received
            isFirstOfGroup: true
            verification: VerificationState.Verified
            verificationText: ""
            failureReason: ""
            linkConversationId: ""
            messageId: "m-1"
            clientId: "c-1"
            attachmentCount: 0
        }
    }

    SignalSpy { id: openSpy; signalName: "openConversationRequested" }

    TestCase {
        name: "ThreadRow"
        when: windowShown

        function createRow(properties) {
            const row = createTemporaryObject(rowComponent, scene, properties || {})
            verify(row, "ThreadRow is created")
            return row
        }

        // Every text any item of the row holds, visible or not.
        function allTexts(item) {
            let texts = []
            if (item.text !== undefined && typeof item.text === "string")
                texts.push(item.text)
            if (item.Accessible && item.Accessible.name)
                texts.push(item.Accessible.name)
            for (let i = 0; i < item.children.length; ++i)
                texts = texts.concat(allTexts(item.children[i]))
            return texts
        }

        function test_verifiedMessageShowsItsText() {
            const row = createRow()
            const body = findChild(row, "bodyText")
            verify(body.visible)
            compare(body.text, "See you on Tuesday at 10.")
            verify(!findChild(row, "statusRow").visible)
            verify(!findChild(row, "noticeLine").visible)
        }

        function test_unverifiableShowsTheReasonAndNeverTheBody() {
            const reason = "This message could not be verified: its signature does not match the sender's device."
            const row = createRow({ verification: VerificationState.Unverifiable, verificationText: reason,
                                    body: "Altered text a server slipped in" })
            waitForRendering(row)
            const status = findChild(row, "verificationText")
            verify(status.visible)
            compare(status.text, reason)
            compare(findChild(row, "statusIcon").iconName, "warning")
            verify(!findChild(row, "bodyText").visible)
            for (const text of allTexts(row))
                verify(text.indexOf("Altered text") < 0, "the body never reaches the screen: " + text)
            const bubble = findChild(row, "bubble")
            compare(String(bubble.color), String(Theme.warningSoft))
        }

        function test_keyPendingShowsAKeyAndTheSentence() {
            const sentence = "The key for this message is on its way. It opens as soon as someone at the practice is online."
            const row = createRow({ verification: VerificationState.KeyPending, verificationText: sentence, body: "" })
            waitForRendering(row)
            const status = findChild(row, "verificationText")
            verify(status.visible)
            compare(status.text, sentence)
            compare(findChild(row, "statusIcon").iconName, "key")
            verify(!findChild(row, "bodyText").visible)
            compare(String(findChild(row, "bubble").color), String(Theme.mutedBubble))
            verify(status.width <= row.width * Theme.maxBubbleFraction, "the sentence wraps inside the bubble")
            verify(status.lineCount >= 1)
        }

        function test_mineUnverifiableIsNotDrawnAsAnOrdinaryMessage() {
            const row = createRow({ isMine: true, deliveryState: DeliveryState.Sent, verification: VerificationState.Unverifiable,
                                    verificationText: "This message could not be verified." })
            const bubble = findChild(row, "bubble")
            verify(String(bubble.color) !== String(Theme.accent), "a failed message never looks like a normal one")
        }

        function test_noticeIsASmallCentredLine() {
            const row = createRow({ kind: MessageKind.Notice, body: "Sam Lee added a new device.", senderName: "",
                                    deliveryState: DeliveryState.None, verification: VerificationState.Verified })
            waitForRendering(row)
            const notice = findChild(row, "noticeLine")
            verify(notice.visible)
            compare(findChild(row, "noticeText").text, "Sam Lee added a new device.  ·  14:05")
            verify(!findChild(row, "messageBubble").visible, "a notice is not a bubble")
            verify(!findChild(row, "senderLabel").visible)
            const text = findChild(row, "noticeText")
            verify(text.font.pixelSize < Theme.fontSize)
            const centre = text.mapToItem(row, text.width / 2, 0).x
            fuzzyCompare(centre, row.width / 2, 40)
        }

        function test_daySeparatorAboveANotice() {
            const row = createRow({ kind: MessageKind.Notice, body: "Dr. Ben Okafor's device was removed.", showDaySeparator: true })
            const separator = row.children[0].children[0]
            verify(separator.visible)
            compare(separator.text, "Today")
        }

        function test_noticeLinkOpensTheSecureConversation() {
            const row = createRow({ kind: MessageKind.Notice, body: "Invited to a secure conversation.", senderName: "",
                                    linkConversationId: "c-secure" })
            openSpy.target = row
            openSpy.clear()
            const link = findChild(row, "noticeLink")
            verify(link.visible)
            compare(link.text, "Open secure conversation")
            waitForRendering(row)
            mouseClick(link)
            compare(openSpy.count, 1)
            compare(openSpy.signalArguments[0][0], "c-secure")
            link.forceActiveFocus()
            keyClick(Qt.Key_Return)
            compare(openSpy.count, 2, "the link works from the keyboard too")
        }

        function test_noticeWithoutLink() {
            const row = createRow({ kind: MessageKind.Notice, body: "Ana Ruiz recorded verbal consent to unencrypted messages.",
                                    senderName: "" })
            verify(!findChild(row, "noticeLink").visible)
        }

        function test_deliveryStates_data() {
            return [
                { tag: "queued", state: DeliveryState.Queued, icon: "clock", word: "", spoken: "Queued" },
                { tag: "sent", state: DeliveryState.Sent, icon: "check", word: "", spoken: "Sent" },
                { tag: "delivered", state: DeliveryState.Delivered, icon: "", word: "Delivered", spoken: "Delivered" },
                { tag: "failed", state: DeliveryState.Failed, icon: "warning", word: "", spoken: "Not delivered" },
            ]
        }

        function test_deliveryStates(data) {
            const row = createRow({ isMine: true, deliveryState: data.state, senderName: "Ben Okafor" })
            const mark = findChild(row, "deliveryMark")
            verify(mark.visible)
            compare(mark.Accessible.name, data.spoken)
            compare(findChild(mark, "deliveryIcon").visible, data.icon.length > 0)
            if (data.icon.length > 0)
                compare(findChild(mark, "deliveryIcon").iconName, data.icon)
            compare(findChild(mark, "deliveryWord").visible, data.word.length > 0)
            if (data.word.length > 0)
                compare(findChild(mark, "deliveryWord").text, data.word)
        }

        function test_failedMessageSaysWhy() {
            const row = createRow({ isMine: true, deliveryState: DeliveryState.Failed, senderName: "Ben Okafor",
                                    failureReason: "The number can't receive text messages." })
            const failure = findChild(row, "failureLabel")
            verify(failure.visible)
            compare(failure.text, "Not delivered: The number can't receive text messages.")
            const delivered = createRow({ isMine: true, deliveryState: DeliveryState.Delivered, senderName: "Ben Okafor" })
            verify(!findChild(delivered, "failureLabel").visible)
        }

        // Pixels of the row whose colour is strong (the text and the bubble are greys and pale tints).
        function colourfulPixels(row) {
            const image = grabImage(row)
            let count = 0
            for (let y = 0; y < image.height; y += 1) {
                for (let x = 0; x < image.width; x += 1) {
                    const c = image.pixel(x, y)
                    const high = Math.max(c.r, c.g, c.b), low = Math.min(c.r, c.g, c.b)
                    if (high - low > 0.35)
                        count += 1
                }
            }
            return count
        }

        function test_emojiAreDrawnInColour() {
            // A patient's reply with emoji: the system needs a colour emoji font (fonts-noto-color-emoji on
            // Debian), which the run and test commands install; without one they render as nothing.
            // One row at a time: a grab is of the window, so a row on top would count in the other's pixels.
            const plain = createRow({ body: "Thank you, see you Tuesday" })
            waitForRendering(plain)
            const before = colourfulPixels(plain)
            plain.visible = false
            const withEmoji = createRow({ body: "Thank you, see you Tuesday \u{1F600}\u{1F44D}\u{2764}\u{FE0F}" })
            waitForRendering(withEmoji)
            const extra = colourfulPixels(withEmoji) - before
            verify(extra > 40, "the emoji add " + extra + " coloured pixels")
        }
    }
}
