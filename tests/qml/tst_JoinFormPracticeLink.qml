// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch

// The join form opened from a Practice Link: "Join <practice> on Larch" with the patient's own phone or email,
// and a polite sentence, with a way on, when the link is turned off.
Item {
    id: scene
    width: 390
    height: 700

    Component {
        id: formComponent
        JoinForm { width: 342 }
    }
    SignalSpy { id: withoutLinkSpy; signalName: "withoutLinkRequested" }
    SignalSpy { id: codeSpy; signalName: "codeRequested" }

    TestCase {
        name: "JoinFormPracticeLink"
        when: windowShown

        function createForm(properties) {
            const form = createTemporaryObject(formComponent, scene, properties || {})
            verify(form)
            withoutLinkSpy.target = form
            withoutLinkSpy.clear()
            codeSpy.target = form
            codeSpy.clear()
            return form
        }

        function test_joinsThePracticeByName() {
            const form = createForm({ fromPracticeLink: true, practiceName: "Birch Family Medicine" })
            compare(findChild(form, "joinHeading").text, "Join Birch Family Medicine on Larch")
            verify(findChild(form, "contactField").visible)
            verify(!findChild(form, "linkUnusableNotice").visible)
            findChild(form, "contactField").text = "201 555 0177"
            mouseClick(findChild(form, "sendCodeButton"))
            compare(codeSpy.count, 1)
        }

        function test_aMatchingSecurityCodeIsSaid() {
            const form = createForm({ fromPracticeLink: true, practiceName: "Birch Family Medicine" })
            verify(!findChild(form, "identityMatchedLine").visible)
            form.identityMatched = true
            verify(findChild(form, "identityMatchedLine").visible)
        }

        function test_beforeTheNameIsKnown() {
            const form = createForm({ fromPracticeLink: true, busy: true })
            compare(findChild(form, "joinHeading").text, "Join your practice on Larch")
        }

        function test_turnedOffLinkIsAPoliteSentence() {
            const sentence = "This Practice Link is turned off. Ask Birch Family Medicine for a new link."
            const form = createForm({ fromPracticeLink: true, practiceName: "Birch Family Medicine",
                                      linkUnusable: true, errorText: sentence })
            verify(findChild(form, "linkUnusableNotice").visible)
            compare(findChild(form, "linkUnusableText").text, sentence)
            verify(!findChild(form, "contactField").visible, "no code can be asked with the link")
            verify(!findChild(form, "contactError").visible, "the sentence shows once, not as a field error")
            mouseClick(findChild(form, "withoutLinkButton"))
            compare(withoutLinkSpy.count, 1)
        }

        function test_invitationWordingUnchanged() {
            const form = createForm({ fromInvitation: true })
            compare(findChild(form, "joinHeading").text, "Accept your invitation")
            const plain = createForm()
            compare(findChild(plain, "joinHeading").text, "Join as a patient")
        }
    }
}
