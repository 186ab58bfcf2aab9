// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch
// Qualified: Larch.Models has a C++ type named StandardConversationForm, which would hide the form under test.
import Larch.Models as Models

// The "Text Message (SMS)" / "Email" form writes what is typed to the controller, shows the live
// check's sentence (error, landline warning, where messages go), creates only when the controller
// allows it, and offers the existing conversation after a duplicate refusal. The '+' menu offers the
// three kinds of conversation.
Item {
    id: scene
    width: 480
    height: 700

    Component {
        id: controllerComponent
        StandardFormStandIn { }
    }
    Component {
        id: formComponent
        StandardConversationForm { width: 440 }
    }
    Component {
        id: plusComponent
        NewConversationButton { x: 400 }
    }
    SignalSpy { id: openSpy; signalName: "openConversationRequested" }
    SignalSpy { id: secureSpy; signalName: "secureConversationRequested" }
    SignalSpy { id: standardSpy; signalName: "standardConversationRequested" }

    TestCase {
        name: "StandardConversationForm"
        when: windowShown

        function createForm(controllerProperties) {
            const controller = createTemporaryObject(controllerComponent, scene, controllerProperties || {})
            const form = createTemporaryObject(formComponent, scene, { controller: controller })
            verify(form)
            openSpy.target = form
            openSpy.clear()
            return form
        }

        function test_smsAsksForAMobileNumber() {
            const form = createForm({ channel: Models.Channel.Sms })
            const field = findChild(form, "contactField")
            compare(field.Accessible.name, "Mobile phone")
            compare(field.placeholderText, "(201) 555-0123")
            verify(findChild(form, "notEncryptedNote").Accessible.name.indexOf("not end-to-end encrypted") > 0)
        }

        function test_emailAsksForAnAddress() {
            const form = createForm({ channel: Models.Channel.Email })
            const field = findChild(form, "contactField")
            compare(field.Accessible.name, "Email")
            compare(field.placeholderText, "patient@example.com")
            verify(findChild(form, "notEncryptedNote").Accessible.name.indexOf("email") >= 0)
        }

        function test_typingWritesToTheController() {
            const form = createForm()
            const contact = findChild(form, "contactField")
            contact.forceActiveFocus()
            keyClick(Qt.Key_2)
            keyClick(Qt.Key_0)
            compare(form.controller.contact, "20")
            const name = findChild(form, "nameField")
            name.forceActiveFocus()
            keyClick(Qt.Key_S)
            compare(form.controller.name, "s")
        }

        function test_tabMovesFromContactToName() {
            const form = createForm()
            const contact = findChild(form, "contactField")
            contact.forceActiveFocus()
            keyClick(Qt.Key_Tab)
            verify(findChild(form, "nameField").activeFocus)
            compare(form.controller.calls.length, 0, "an empty field is not checked")
            contact.forceActiveFocus()
            keyClick(Qt.Key_2)
            keyClick(Qt.Key_Tab)
            compare(form.controller.calls.length, 1)
            compare(form.controller.calls[0][0], "checkNow", "leaving the field checks at once")
        }

        function test_checkSentences() {
            const form = createForm({ contact: "201 555 0123", checking: true })
            verify(findChild(form, "checkingRow").visible)
            verify(!findChild(form, "contactDisplay").visible, "no result while the check runs")
            form.controller.checking = false
            form.controller.contactDisplay = "(201) 555-0123"
            compare(findChild(form, "contactDisplay").text, "Texts go to (201) 555-0123.")
            verify(!findChild(form, "checkingRow").visible)

            form.controller.warning = "This is a landline: it can't receive text messages. Start an email conversation instead."
            verify(findChild(form, "contactWarning").visible)
            verify(!findChild(form, "contactDisplay").visible)
            verify(!findChild(form, "contactField").invalid, "a warning is not an error")

            form.controller.contactError = "This phone number is too short. Enter all 10 digits."
            verify(findChild(form, "contactError").visible)
            compare(findChild(form, "contactError").text, "This phone number is too short. Enter all 10 digits.")
            verify(!findChild(form, "contactWarning").visible, "the error is the one sentence shown")
            verify(findChild(form, "contactField").invalid)
        }

        function test_emailDisplaySentence() {
            const form = createForm({ channel: Models.Channel.Email, contactDisplay: "sam@example.org" })
            compare(findChild(form, "contactDisplay").text, "Emails go to sam@example.org.")
        }

        function test_enterCreatesOnlyWhenAllowed() {
            const form = createForm({ contact: "201 555 0123", canCreate: false })
            findChild(form, "contactField").forceActiveFocus()
            keyClick(Qt.Key_Return)
            compare(form.controller.calls.length, 0, "nothing to create yet")
            form.controller.canCreate = true
            keyClick(Qt.Key_Return)
            compare(form.controller.calls.length, 1)
            compare(form.controller.calls[0][0], "create")
        }

        function test_busyLocksTheFields() {
            const form = createForm({ busy: true, canCreate: true })
            verify(!findChild(form, "contactField").enabled)
            verify(!findChild(form, "nameField").enabled)
            form.submit()
            compare(form.controller.calls.length, 0, "no second create while one is in flight")
        }

        function test_duplicateOffersTheExistingConversation() {
            const form = createForm({ contact: "201 555 0123" })
            verify(!findChild(form, "formError").visible)
            form.controller.error = "This practice already has a text conversation with (201) 555-0123."
            verify(findChild(form, "formError").visible)
            compare(findChild(form, "formErrorText").text, form.controller.error)
            const open = findChild(form, "openExistingButton")
            verify(!open.visible, "no button without a conversation to open")
            form.controller.duplicateConversationId = "c-9"
            verify(open.visible)
            compare(open.text, "Open the existing conversation")
            waitForRendering(form)
            mouseClick(open)
            compare(openSpy.count, 1)
            compare(openSpy.signalArguments[0][0], "c-9")
            compare(findChild(form, "contactField").text, "201 555 0123", "what was typed stays")
        }

        function test_plusMenuOffersThreeKinds() {
            const plus = createTemporaryObject(plusComponent, scene)
            secureSpy.target = plus
            standardSpy.target = plus
            secureSpy.clear()
            standardSpy.clear()
            const menu = findChild(plus, "newConversationMenu")
            const items = [["secureConversationItem", "Secure Conversation"],
                           ["smsConversationItem", "Text Message (SMS)"],
                           ["emailConversationItem", "Email"]]
            for (let i = 0; i < items.length; ++i) {
                const [name, text] = items[i]
                plus.openMenu()
                tryCompare(menu, "opened", true)
                const item = menu.itemAt(i)
                compare(item.objectName, name)
                compare(item.text, text)
                verify(item.visible)
                waitForRendering(menu.contentItem)
                mouseClick(item)
                tryCompare(menu, "visible", false)
            }
            compare(secureSpy.count, 1)
            compare(standardSpy.count, 2)
            compare(standardSpy.signalArguments[0][0], "sms")
            compare(standardSpy.signalArguments[1][0], "email")
            verify(menu.itemAt(1).Accessible.name.indexOf("Not end-to-end encrypted") > 0)
        }
    }
}
