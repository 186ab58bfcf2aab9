import QtQuick
import QtTest
import Larch

// A thread row draws what its kind and verification say: notices as a small centred line,
// unverifiable messages as a warning with the reason and never the body, messages whose key is
// on its way as a muted bubble with a key, and verified messages with their text.
Item {
    id: scene
    width: 700
    height: 400

    Component {
        id: rowComponent
        ThreadRow {
            width: scene.width
            kind: "message"
            body: "See you on Tuesday at 10."
            senderName: "Sam Lee"
            isMine: false
            timeText: "14:05"
            dayText: "Today"
            showDaySeparator: false
            deliveryState: "received"
            isFirstOfGroup: true
            verification: "verified"
            verificationText: ""
        }
    }

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
            const row = createRow({ verification: "unverifiable", verificationText: reason,
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
            const row = createRow({ verification: "keyPending", verificationText: sentence, body: "" })
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
            const row = createRow({ isMine: true, deliveryState: "sent", verification: "unverifiable",
                                    verificationText: "This message could not be verified." })
            const bubble = findChild(row, "bubble")
            verify(String(bubble.color) !== String(Theme.accent), "a failed message never looks like a normal one")
        }

        function test_noticeIsASmallCentredLine() {
            const row = createRow({ kind: "notice", body: "Sam Lee added a new device.", senderName: "",
                                    deliveryState: "", verification: "verified" })
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
            const row = createRow({ kind: "notice", body: "Dr. Ben Okafor's device was removed.", showDaySeparator: true })
            const separator = row.children[0].children[0]
            verify(separator.visible)
            compare(separator.text, "Today")
        }
    }
}
