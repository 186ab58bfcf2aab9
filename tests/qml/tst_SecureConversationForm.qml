// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch
import Larch.Models

// The "Secure Conversation" form shows each field's sentence, the landline warning, existing conversations
// instead of a duplicate, and keeps what was typed when creating fails.
Item {
    id: scene
    width: 480
    height: 700

    TestCase {
        name: "SecureConversationForm"
        when: windowShown

        Component {
            id: formComponent
            SecureConversationForm { width: 440 }
        }
        SignalSpy { id: openSpy; signalName: "openConversationRequested" }
        SignalSpy { id: phoneSpy; signalName: "phoneEdited" }

        function createForm(properties) {
            const form = createTemporaryObject(formComponent, scene, properties || {})
            verify(form)
            openSpy.target = form
            phoneSpy.target = form
            openSpy.clear()
            phoneSpy.clear()
            return form
        }

        function test_fieldErrors() {
            const form = createForm({ patientName: "Sam Lee", phone: "555", email: "sam@",
                                      phoneError: "This phone number is too short. Enter all 10 digits.",
                                      emailError: "This email address is missing its domain, e.g. name@example.com." })
            verify(findChild(form, "phoneError").visible)
            compare(findChild(form, "phoneError").text, "This phone number is too short. Enter all 10 digits.")
            verify(findChild(form, "emailError").visible)
            verify(!findChild(form, "nameError").visible)
            verify(findChild(form, "phoneField").invalid)
            verify(!findChild(form, "patientNameField").invalid)
        }

        function test_landlineWarning() {
            const form = createForm({ phone: "2015550123", phoneWarning: "This is a landline: SMS can't reach it. Add an email address." })
            verify(findChild(form, "phoneWarning").visible)
            verify(!findChild(form, "phoneError").visible)
        }

        function test_typingReportsEdits() {
            const form = createForm()
            const field = findChild(form, "phoneField")
            field.forceActiveFocus()
            keyClick(Qt.Key_5)
            compare(phoneSpy.count, 1)
            compare(phoneSpy.signalArguments[0][0], "5")
        }

        function test_matchOffersOpenConversation() {
            const form = createForm({ matches: [{ conversationId: "c-7", title: "Sam Lee", state: ContactMatch.Invited }] })
            const button = findChild(form, "openMatchButton")
            verify(button)
            mouseClick(button)
            compare(openSpy.count, 1)
            compare(openSpy.signalArguments[0][0], "c-7")
        }

        function test_duplicateErrorKeepsTypedText() {
            const form = createForm({ patientName: "Sam Lee", email: "sam@example.com",
                                      errorText: "Sam Lee already has a conversation with your practice.",
                                      duplicateConversationId: "c-9" })
            verify(findChild(form, "formError").visible)
            compare(findChild(form, "emailField").text, "sam@example.com")
            compare(findChild(form, "patientNameField").text, "Sam Lee")
            mouseClick(findChild(form, "openDuplicateButton"))
            compare(openSpy.signalArguments[0][0], "c-9")
        }
    }
}
