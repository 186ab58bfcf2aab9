// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import Larch
import Larch.Models

// "Record consent" asks how the patient agreed, takes an optional note, calls recordConsent(method,
// note), closes once the record is stored (consentSaved) and stays open with the sentence when it is refused.
Item {
    id: scene
    width: 800
    height: 760

    Component {
        id: standardComponent
        StandardThreadStandIn { startsRequests: true }
    }
    Component {
        id: dialogComponent
        ConsentDialog { }
    }

    TestCase {
        name: "ConsentDialog"
        when: windowShown

        function openDialog(standardProperties) {
            const standard = createTemporaryObject(standardComponent, scene, standardProperties || {})
            const dialog = createTemporaryObject(dialogComponent, scene, { standard: standard })
            verify(dialog, "ConsentDialog is created")
            dialog.open()
            tryCompare(dialog, "opened", true)
            waitForRendering(dialog.contentItem)
            return dialog
        }

        function option(dialog, name) { return findChild(dialog.contentItem, name) }
        function recordButton(dialog) { return findChild(dialog.footer, "recordConsentButton") }

        function test_threeMethodsNoneChosen_data() {
            return [
                { tag: "sms", channel: Channel.Sms, first: "The patient texted first" },
                { tag: "email", channel: Channel.Email, first: "The patient emailed first" },
            ]
        }

        function test_threeMethodsNoneChosen(data) {
            const dialog = openDialog({ channel: data.channel })
            compare(option(dialog, "verbalOption").text, "Verbal")
            compare(option(dialog, "writtenOption").text, "Written")
            compare(option(dialog, "patientInitiatedOption").text, data.first)
            verify(!option(dialog, "verbalOption").checked)
            verify(!recordButton(dialog).enabled, "a method must be chosen first")
        }

        function test_recordsTheChosenMethodAndNote_data() {
            return [
                { tag: "verbal", option: "verbalOption", method: "verbal" },
                { tag: "written", option: "writtenOption", method: "written" },
                { tag: "patient_initiated", option: "patientInitiatedOption", method: "patient_initiated" },
            ]
        }

        function test_recordsTheChosenMethodAndNote(data) {
            const dialog = openDialog()
            mouseClick(option(dialog, data.option))
            verify(option(dialog, data.option).checked)
            const note = findChild(dialog.contentItem, "consentNoteField")
            note.text = "  Agreed at check-in  "
            waitForRendering(dialog.footer)
            const record = recordButton(dialog)
            verify(record.enabled)
            mouseClick(record)
            const calls = dialog.standard.calls
            compare(calls.length, 1)
            compare(calls[0][0], "recordConsent")
            compare(calls[0][1], data.method)
            compare(calls[0][2], "Agreed at check-in")
            verify(dialog.standard.busy)
            verify(dialog.opened, "open while the record is on its way")
            dialog.standard.busy = false
            dialog.standard.consentSaved()
            tryCompare(dialog, "visible", false)
        }

        function test_keyboardOnly() {
            const dialog = openDialog()
            verify(option(dialog, "verbalOption").activeFocus, "focus starts on the first method")
            keyClick(Qt.Key_Down)
            verify(option(dialog, "writtenOption").activeFocus)
            keyClick(Qt.Key_Space)
            verify(option(dialog, "writtenOption").checked)
            const record = recordButton(dialog)
            verify(record.enabled)
            record.forceActiveFocus()
            keyClick(Qt.Key_Space)
            compare(dialog.standard.calls.length, 1)
            compare(dialog.standard.calls[0][1], "written")
            compare(dialog.standard.calls[0][2], "")
        }

        function test_refusalKeepsTheDialogAndSaysWhy() {
            const dialog = openDialog({ error: "An older error from another action." })
            verify(!findChild(dialog.contentItem, "consentError").visible, "an older error is not this dialog's")
            mouseClick(option(dialog, "verbalOption"))
            waitForRendering(dialog.footer)
            mouseClick(recordButton(dialog))
            dialog.standard.error = "Only staff of this practice can record consent."
            dialog.standard.busy = false
            wait(50)
            verify(dialog.opened, "the dialog stays open")
            const error = findChild(dialog.contentItem, "consentError")
            verify(error.visible)
            compare(error.text, "Only staff of this practice can record consent.")
            verify(option(dialog, "verbalOption").checked, "the choice stays")
        }

        function test_noteTooLong() {
            const dialog = openDialog()
            mouseClick(option(dialog, "verbalOption"))
            const note = findChild(dialog.contentItem, "consentNoteField")
            note.text = "x".repeat(501)
            const count = findChild(dialog.contentItem, "noteCount")
            verify(count.visible)
            compare(count.text, "Too long: 501 of 500 characters. Shorten the note.")
            verify(!recordButton(dialog).enabled)
            note.text = "x".repeat(500)
            verify(recordButton(dialog).enabled)
        }

        function test_noteCountsWhatAPersonCounts() {
            // An emoji is one character though two UTF-16 units, a family joined by zero-width joiners one though
            // eleven: 450 of them are 450 of the 500 characters.
            const dialog = openDialog()
            mouseClick(option(dialog, "verbalOption"))
            const note = findChild(dialog.contentItem, "consentNoteField")
            const count = findChild(dialog.contentItem, "noteCount")
            note.text = "\u{1F44D}".repeat(450)
            compare(count.text, "450 of 500 characters")
            verify(recordButton(dialog).enabled)
            note.text = "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}".repeat(501)
            compare(count.text, "Too long: 501 of 500 characters. Shorten the note.")
            verify(!recordButton(dialog).enabled)
        }

        function test_reopenStartsAfresh() {
            const dialog = openDialog()
            mouseClick(option(dialog, "writtenOption"))
            findChild(dialog.contentItem, "consentNoteField").text = "Signed form in chart"
            dialog.close()
            tryCompare(dialog, "visible", false)
            dialog.open()
            tryCompare(dialog, "opened", true)
            verify(!option(dialog, "writtenOption").checked)
            compare(findChild(dialog.contentItem, "consentNoteField").text, "")
            verify(!recordButton(dialog).enabled)
        }
    }
}
