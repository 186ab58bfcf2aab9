// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch
import Larch.Models

// The code step: 6 digits enable Continue; wrong, locked and expired codes each say what to do.
Item {
    id: scene
    width: 390
    height: 600

    TestCase {
        name: "CodeEntry"
        when: windowShown

        Component {
            id: entryComponent
            CodeEntry { width: 340 }
        }
        SignalSpy { id: verifySpy; signalName: "verifyRequested" }
        SignalSpy { id: newCodeSpy; signalName: "newCodeRequested" }

        function createEntry(properties) {
            const entry = createTemporaryObject(entryComponent, scene, properties || {})
            verify(entry)
            verifySpy.target = entry
            newCodeSpy.target = entry
            verifySpy.clear()
            newCodeSpy.clear()
            return entry
        }

        function test_sixDigitsEnableContinue() {
            const entry = createEntry({ contactHint: "•••• ••• 0123" })
            verify(findChild(entry, "codeSentTo").text.indexOf("•••• ••• 0123") >= 0)
            const button = findChild(entry, "verifyButton")
            verify(!button.enabled)
            findChild(entry, "codeField").forceActiveFocus()
            for (const key of [Qt.Key_1, Qt.Key_2, Qt.Key_3, Qt.Key_4, Qt.Key_5, Qt.Key_6])
                keyClick(key)
            verify(button.enabled)
            keyClick(Qt.Key_Return)
            compare(verifySpy.count, 1)
            compare(verifySpy.signalArguments[0][0], "123456")
        }

        function test_lettersAreRefused() {
            const entry = createEntry()
            findChild(entry, "codeField").forceActiveFocus()
            keyClick(Qt.Key_A)
            compare(entry.code, "")
        }

        function test_wrongCode() {
            const entry = createEntry({ errorText: "That code is not right. 3 tries left.", errorKind: CodeError.Wrong })
            verify(findChild(entry, "codeError").visible)
            verify(findChild(entry, "codeField").enabled)
        }

        function test_lockedDisablesEntry() {
            const entry = createEntry({ errorText: "Too many wrong codes. Ask for a new code in 15 minutes, or call your practice for help.",
                                        errorKind: CodeError.Locked })
            verify(!findChild(entry, "codeField").enabled)
            verify(!findChild(entry, "verifyButton").enabled)
        }

        function test_expiredOffersNewCode() {
            const entry = createEntry({ errorText: "This code has expired.", errorKind: CodeError.Expired })
            const button = findChild(entry, "newCodeButton")
            verify(button.filled)
            mouseClick(button)
            compare(newCodeSpy.count, 1)
        }
    }
}
