// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import Larch

// A new recovery key is shown as its groups in large fixed-width type; Copy reports it was copied.
// The dialog asks for a key, shows it once, forgets it on close, and hands a typed key on to restore.
Item {
    id: scene
    width: 800
    height: 760

    readonly property string sampleKey: "ABCD EFGH JKLM NPQR STUV WXYZ 2345 6789 ABCD EFGH JKLM NPQR ST23"

    Component {
        id: displayComponent
        RecoveryKeyDisplay { width: 480 }
    }
    Component {
        id: dialogComponent
        RecoveryKeyDialog { }
    }

    SignalSpy { id: copiedSpy; signalName: "copied" }
    SignalSpy { id: createSpy; signalName: "createRequested" }
    SignalSpy { id: restoreSpy; signalName: "restoreRequested" }

    TestCase {
        name: "RecoveryKey"
        when: windowShown

        function groupTexts(root) {
            const grid = findChild(root, "recoveryKeyGrid")
            const texts = []
            for (let i = 0; i < grid.children.length; ++i) {
                if (grid.children[i].objectName === "recoveryKeyGroup")
                    texts.push(grid.children[i].text)
            }
            return texts
        }

        function test_groupsRenderedInLargeFixedWidthType() {
            const display = createTemporaryObject(displayComponent, scene, { keyText: scene.sampleKey })
            waitForRendering(display)
            const groups = groupTexts(display)
            compare(groups.length, 13)
            compare(groups.join(" "), scene.sampleKey)
            const grid = findChild(display, "recoveryKeyGrid")
            verify(grid.columns >= 2)
            const first = grid.children[0]
            compare(first.font.family, Theme.monoFontFamily)
            verify(first.font.pixelSize > Theme.fontSize, "the key is larger than body text")
            verify(grid.width <= display.width, "the groups fit")
        }

        function test_copyEmitsAndSaysCopied() {
            const display = createTemporaryObject(displayComponent, scene, { keyText: scene.sampleKey })
            copiedSpy.target = display
            copiedSpy.clear()
            waitForRendering(display)
            const button = findChild(display, "copyRecoveryKeyButton")
            compare(button.text, "Copy")
            mouseClick(button)
            compare(copiedSpy.count, 1)
            compare(button.text, "Copied")
            display.keyText = "WXYZ WXYZ"
            compare(button.text, "Copy", "a new key has not been copied yet")
        }

        function test_copyWithoutAKeyDoesNothing() {
            const display = createTemporaryObject(displayComponent, scene, { keyText: "" })
            copiedSpy.target = display
            copiedSpy.clear()
            display.copy()
            compare(copiedSpy.count, 0)
            verify(!findChild(display, "copyRecoveryKeyButton").enabled)
        }

        function openDialog(properties) {
            const dialog = createTemporaryObject(dialogComponent, scene, properties || {})
            verify(dialog, "RecoveryKeyDialog is created")
            createSpy.target = dialog
            restoreSpy.target = dialog
            createSpy.clear()
            restoreSpy.clear()
            dialog.openAt("intro")
            tryCompare(dialog, "opened", true)
            // The card grows to its wrapped text over the first frames; click only once it has.
            waitForRendering(dialog.contentItem)
            return dialog
        }

        function test_introOffersToCreateWhenNoneExists() {
            const dialog = openDialog({ hasRecoveryKey: false })
            const create = findChild(dialog.footer, "createRecoveryKeyButton")
            compare(create.text, "Create recovery key")
            verify(!findChild(dialog.contentItem, "recoveryKeyExists").visible)
            mouseClick(create)
            compare(createSpy.count, 1)
        }

        function test_introSaysOneExists() {
            const dialog = openDialog({ hasRecoveryKey: true })
            verify(findChild(dialog.contentItem, "recoveryKeyExists").visible)
            compare(findChild(dialog.footer, "createRecoveryKeyButton").text, "Create a new key")
        }

        function test_keyShownOnceWithWarningThenForgotten() {
            const dialog = openDialog()
            dialog.showKey(scene.sampleKey)
            compare(dialog.step, "key")
            verify(findChild(dialog.contentItem, "writeItDownWarning").visible)
            compare(groupTexts(dialog.contentItem).length, 13)
            verify(!dialog.dismissable, "a click outside cannot lose the key")
            mouseClick(findChild(dialog.footer, "wroteItDownButton"))
            tryCompare(dialog, "visible", false)
            compare(dialog.keyText, "", "the key is forgotten once the dialog closes")
            compare(groupTexts(dialog.contentItem).length, 0)
        }

        function test_restoreHandsOnTheTypedKeyAndShowsErrors() {
            const dialog = openDialog()
            mouseClick(findChild(dialog.contentItem, "showRestoreButton"))
            compare(dialog.step, "restore")
            waitForRendering(dialog.contentItem)
            const field = findChild(dialog.contentItem, "restoreField")
            const restore = findChild(dialog.footer, "restoreButton")
            verify(!restore.enabled, "nothing to restore from yet")
            field.text = "  abcd efgh jklm  "
            verify(restore.enabled)
            waitForRendering(dialog.footer)
            mouseClick(restore)
            compare(restoreSpy.count, 1)
            compare(restoreSpy.signalArguments[0][0], "abcd efgh jklm")
            dialog.errorText = "That recovery key is not right. Check each group of four characters."
            const error = findChild(dialog.contentItem, "recoveryError")
            verify(error.visible)
            compare(error.text, dialog.errorText)
            dialog.showRestored()
            compare(dialog.step, "restored")
            verify(!error.visible)
            compare(field.text, "", "the typed key is cleared")
        }

        function test_olderErrorIsNotShownBeforeAsking() {
            const dialog = openDialog({ errorText: "Only an administrator can decline a device." })
            verify(!findChild(dialog.contentItem, "recoveryError").visible)
        }
    }
}
