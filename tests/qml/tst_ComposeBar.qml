// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch

// The compose bar sends on Enter, breaks lines on Shift+Enter, never sends blank text,
// and reports what was typed.
Item {
    id: scene
    width: 480
    height: 300

    TestCase {
        id: testCase
        name: "ComposeBar"
        when: windowShown

        Component {
            id: composeComponent
            ComposeBar {
                width: 420
                enterSends: true
            }
        }

        SignalSpy {
            id: sendSpy
            signalName: "sendRequested"
        }

        function createBar() {
            const bar = createTemporaryObject(composeComponent, scene)
            verify(bar, "ComposeBar is created")
            sendSpy.clear()
            sendSpy.target = bar
            const area = findChild(bar, "composeArea")
            verify(area, "the compose bar has its text area")
            area.forceActiveFocus()
            tryVerify(() => area.activeFocus)
            return bar
        }

        function test_focusingTheBarFocusesTheField() {
            const bar = createTemporaryObject(composeComponent, scene)
            bar.forceActiveFocus()
            verify(findChild(bar, "composeArea").activeFocus, "typing goes straight into the field")
        }

        function test_typingUpdatesText() {
            const bar = createBar()
            keyClick(Qt.Key_H)
            keyClick(Qt.Key_I)
            compare(bar.text, "hi")
        }

        function test_enterSendsTheText() {
            const bar = createBar()
            keySequence("o")
            keySequence("k")
            keyClick(Qt.Key_Return)
            compare(sendSpy.count, 1)
            compare(sendSpy.signalArguments[0][0], "ok")
            verify(findChild(bar, "composeArea").activeFocus, "focus stays in the compose bar after sending")
        }

        function test_keypadEnterSends() {
            const bar = createBar()
            bar.text = "from the keypad"
            keyClick(Qt.Key_Enter)
            compare(sendSpy.count, 1)
            compare(sendSpy.signalArguments[0][0], "from the keypad")
        }

        function test_shiftEnterInsertsNewLine() {
            const bar = createBar()
            keyClick(Qt.Key_A)
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            keyClick(Qt.Key_B)
            compare(sendSpy.count, 0)
            compare(bar.text, "a\nb")
        }

        function test_blankTextDoesNotSend_data() {
            return [
                { tag: "empty", text: "" },
                { tag: "spaces", text: "   " },
                { tag: "newlines and tabs", text: "\n\t \n" },
            ]
        }

        function test_blankTextDoesNotSend(data) {
            const bar = createBar()
            bar.text = data.text
            keyClick(Qt.Key_Return)
            compare(sendSpy.count, 0)
            const button = findChild(bar, "sendButton")
            verify(!button.enabled, "Send is disabled for blank text")
            mouseClick(button)
            compare(sendSpy.count, 0)
        }

        function test_sendButtonFollowsCanSend() {
            const bar = createBar()
            const button = findChild(bar, "sendButton")
            verify(!button.enabled)
            bar.text = "Your results are in"
            verify(button.enabled)
            waitForRendering(bar)
            mouseClick(button)
            compare(sendSpy.count, 1)
            compare(sendSpy.signalArguments[0][0], "Your results are in")
            // The page binds canSend to the compose controller, which may refuse (no conversation open).
            bar.canSend = false
            verify(!button.enabled)
            keyClick(Qt.Key_Return)
            compare(sendSpy.count, 1)
        }

        function test_growsThenScrolls() {
            const bar = createBar()
            waitForRendering(bar)
            const oneLine = bar.height
            verify(oneLine > 0)
            bar.text = "1\n2\n3"
            tryVerify(() => bar.height > oneLine, 1000, "the bar grows with more lines")
            waitForRendering(bar)
            const threeLines = bar.height
            bar.text = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12"
            tryVerify(() => bar.height > threeLines, 1000)
            waitForRendering(bar)
            const capped = bar.height
            verify(capped < oneLine * 6, "twelve lines do not make the bar twelve lines tall")
            bar.text = bar.text + "\n13\n14\n15"
            waitForRendering(bar)
            compare(bar.height, capped, "past six lines the bar stops growing and scrolls")
        }
    }
}
