// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtTest
import Larch

// A dialog opens with the cursor in its first field, so a person types at once (inside a form's FocusScope too),
// unless it names another item; its buttons sit together at the right, the main action rightmost.
Item {
    id: scene
    width: 900
    height: 700

    Component {
        id: fieldsDialog
        LarchDialog {
            title: "Secure Conversation"
            property alias first: firstField
            property alias second: secondField
            property alias main: mainButton
            property alias other: otherButton
            Label { text: "Patient name" }
            LarchTextField { id: firstField; Layout.fillWidth: true }
            Label { text: "Mobile phone" }
            LarchTextField { id: secondField; Layout.fillWidth: true }
            buttons: [
                PrimaryButton { id: mainButton; text: "Create and invite" },
                SecondaryButton { id: otherButton; text: "Cancel" }
            ]
        }
    }

    Component {
        id: formDialog
        LarchDialog {
            title: "Text Message (SMS)"
            property alias field: formField
            // As the conversation forms are: a FocusScope holding the fields.
            FocusScope {
                Layout.fillWidth: true
                implicitHeight: column.implicitHeight
                ColumnLayout {
                    id: column
                    width: parent.width
                    Label { text: "Mobile phone" }
                    LarchTextField { id: formField; Layout.fillWidth: true }
                }
            }
        }
    }

    Component {
        id: buttonFirstDialog
        LarchDialog {
            title: "Recovery key"
            property alias button: copyButton
            SecondaryButton { id: copyButton; text: "Copy" }
            LarchTextField { Layout.fillWidth: true }
        }
    }

    TestCase {
        name: "LarchDialog"
        when: windowShown

        function openDialog(component, properties) {
            const dialog = createTemporaryObject(component, scene, properties || {})
            dialog.open()
            tryVerify(() => dialog.opened, 3000, "the dialog opens")
            return dialog
        }

        function test_typingGoesToTheFirstField() {
            const dialog = openDialog(fieldsDialog)
            tryVerify(() => dialog.first.activeFocus, 2000, "the first field has the keyboard")
            keyClick(Qt.Key_R)
            keyClick(Qt.Key_O)
            compare(dialog.first.text, "ro")
            keyClick(Qt.Key_Tab)
            verify(dialog.second.activeFocus, "Tab goes on to the next field")
        }

        function test_aFormInsideADialogGetsTheKeyboardToo() {
            const dialog = openDialog(formDialog)
            tryVerify(() => dialog.field.activeFocus, 2000)
        }

        function test_aDialogMayNameItsFirstItem() {
            const dialog = openDialog(fieldsDialog, {})
            dialog.close()
            tryVerify(() => !dialog.visible)
            dialog.initialFocusItem = dialog.second
            dialog.open()
            tryVerify(() => dialog.second.activeFocus, 2000)
        }

        function test_aButtonIsNotGivenTheKeyboard() {
            const dialog = openDialog(buttonFirstDialog)
            wait(50)
            verify(!dialog.button.activeFocus, "Space or Enter pressed by habit must not press a button")
        }

        function test_buttonsSitTogetherAtTheRight() {
            const dialog = openDialog(fieldsDialog)
            waitForRendering(dialog.contentItem)
            const main = dialog.main.mapToItem(dialog.background, 0, 0)
            const other = dialog.other.mapToItem(dialog.background, 0, 0)
            verify(other.x + dialog.other.width < main.x, "Cancel is left of the main action")
            verify(main.x - (other.x + dialog.other.width) <= Theme.spacing + 1,
                   "no gap between them: " + (main.x - (other.x + dialog.other.width)))
            verify(dialog.background.width - (main.x + dialog.main.width) <= Theme.margin + 8 + 1,
                   "the main action is at the right edge")
        }
    }
}
