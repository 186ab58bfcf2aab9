// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch
import Larch.Models

// The top of a standard thread says it is not end-to-end encrypted and where messages go, asks for
// consent until it is recorded, says when the number opted out, and shows the controller's error.
// The thread header marks standard threads and its ⋮ menu invites the patient to a secure conversation.
Item {
    id: scene
    width: 800
    height: 500

    Component {
        id: standardComponent
        StandardThreadStandIn { }
    }
    Component {
        id: bannerComponent
        StandardBanner { width: 760 }
    }
    Component {
        id: headerComponent
        ThreadHeader { width: 760; title: "Sam Lee"; isSecure: false }
    }
    SignalSpy { id: consentSpy; signalName: "consentRequested" }
    SignalSpy { id: openSpy; signalName: "openConversationRequested" }
    SignalSpy { id: safetySpy; signalName: "safetyCodesRequested" }

    TestCase {
        name: "StandardBanner"
        when: windowShown

        function createStandard(properties) {
            return createTemporaryObject(standardComponent, scene, properties || {})
        }

        function createBanner(standardProperties, width) {
            const standard = createStandard(standardProperties)
            const banner = createTemporaryObject(bannerComponent, scene, { standard: standard, width: width || 760 })
            verify(banner)
            consentSpy.target = banner
            consentSpy.clear()
            return banner
        }

        function test_hiddenForSecureConversations() {
            const banner = createBanner({ isStandard: false })
            verify(!banner.visible)
            const none = createTemporaryObject(bannerComponent, scene, { standard: null })
            verify(!none.visible)
        }

        function test_markingSaysNotEncryptedAndWhere_data() {
            return [
                { tag: "sms", channel: Channel.Sms, contact: "(201) 555-0123",
                  line: "Standard conversation · not end-to-end encrypted · SMS to (201) 555-0123" },
                { tag: "email", channel: Channel.Email, contact: "sam@example.org",
                  line: "Standard conversation · not end-to-end encrypted · Email to sam@example.org" },
            ]
        }

        function test_markingSaysNotEncryptedAndWhere(data) {
            const banner = createBanner({ channel: data.channel, contactDisplay: data.contact })
            verify(banner.visible)
            compare(findChild(banner, "markingText").text.replace(/\u00a0/g, " "), data.line)
            verify(findChild(banner, "markingText").visible)
        }

        function test_consentStripUntilRecorded() {
            const banner = createBanner({ consentRecorded: false })
            const strip = findChild(banner, "consentStrip")
            verify(strip.visible)
            verify(!findChild(banner, "consentText").visible)
            const button = findChild(banner, "consentStripButton")
            compare(button.text, "Record consent")
            waitForRendering(banner)
            mouseClick(button)
            compare(consentSpy.count, 1)

            banner.standard.busy = true
            verify(!button.enabled, "no second request while one is in flight")

            banner.standard.busy = false
            banner.standard.consentRecorded = true
            banner.standard.consentText = "Verbal consent recorded by Ana Ruiz on 3 Nov"
            verify(!strip.visible, "recorded consent needs no strip")
            verify(findChild(banner, "consentText").visible)
            compare(findChild(banner, "consentText").text, "Verbal consent recorded by Ana Ruiz on 3 Nov")
            verify(!findChild(banner, "consentNote").visible, "no note line without a note")
            banner.standard.consentNote = "Agreed at check-in"
            compare(findChild(banner, "consentNote").text, "Note: Agreed at check-in")
        }

        function test_optedOutStrip() {
            const banner = createBanner({ optedOut: true,
                                          optedOutText: "This number replied STOP and gets no texts until it replies START." })
            const strip = findChild(banner, "optedOutStrip")
            verify(strip.visible)
            compare(findChild(banner, "optedOutText").text, "This number replied STOP and gets no texts until it replies START.")
            verify(!findChild(banner, "consentStrip").visible, "consent cannot help an opted-out number")
            banner.standard.optedOut = false
            verify(!strip.visible)
            verify(findChild(banner, "consentStrip").visible)
        }

        function test_errorShown() {
            const banner = createBanner()
            verify(!findChild(banner, "standardError").visible)
            banner.standard.error = "Can't reach the server. Check the connection and try again."
            verify(findChild(banner, "standardError").visible)
            compare(findChild(banner, "standardError").text, banner.standard.error)
        }

        function test_phoneWidthPutsTheButtonUnderTheSentence() {
            const banner = createBanner({}, 360)
            waitForRendering(banner)
            const sentence = findChild(banner, "consentSentence")
            const button = findChild(banner, "consentStripButton")
            const sentenceBottom = sentence.mapToItem(banner, 0, sentence.height).y
            verify(button.mapToItem(banner, 0, 0).y >= sentenceBottom, "the button sits under the sentence")
            verify(button.mapToItem(banner, button.width, 0).x <= banner.width, "and fits the width")
        }

        function createHeader(standardProperties, headerProperties) {
            const standard = createStandard(standardProperties)
            const props = headerProperties || {}
            props.standard = standard
            const header = createTemporaryObject(headerComponent, scene, props)
            verify(header)
            consentSpy.target = header
            openSpy.target = header
            safetySpy.target = header
            consentSpy.clear()
            openSpy.clear()
            safetySpy.clear()
            return header
        }

        function openMenu(header) {
            const menu = findChild(header, "threadMenu")
            header.openMenu()
            tryCompare(menu, "opened", true)
            waitForRendering(menu.contentItem)
            return menu
        }

        function menuItem(menu, name) {
            for (let i = 0; i < menu.count; ++i) {
                if (menu.itemAt(i).objectName === name)
                    return menu.itemAt(i)
            }
            return null
        }

        function test_headerMarksStandardThreads() {
            const header = createHeader({ channel: Channel.Sms })
            verify(findChild(header, "conversationMark").visible)
            compare(findChild(header, "conversationMarkText").text, "SMS · not end-to-end encrypted")
            verify(findChild(header, "threadMenuButton").visible, "the ⋮ menu is there for standard threads")
            header.standard.channel = Channel.Email
            compare(findChild(header, "conversationMarkText").text, "Email · not end-to-end encrypted")
        }

        // The title and the line under it never overlap, however the conversation changes under the header (a
        // secure conversation, then a new standard one, as after '+' → "Text Message (SMS)").
        function checkTitleAboveMark(header) {
            waitForRendering(header)
            const title = findChild(header, "threadTitle")
            const mark = findChild(header, "conversationMark")
            verify(mark.visible)
            const titleBottom = title.mapToItem(header, 0, title.height).y
            const markTop = mark.mapToItem(header, 0, 0).y
            verify(titleBottom <= markTop + 0.5, "title ends at " + titleBottom + ", the line under it starts at " + markTop)
            verify(mark.mapToItem(header, 0, mark.height).y <= header.height, "the line under the title fits the bar")
        }

        function test_titleAndMarkStayApartWhenTheConversationChanges() {
            const header = createHeader({ isStandard: false }, { isSecure: true })
            checkTitleAboveMark(header)
            compare(findChild(header, "conversationMarkText").text, "Secure conversation")
            header.isSecure = false
            header.standard.isStandard = true
            checkTitleAboveMark(header)
            compare(findChild(header, "conversationMarkText").text, "SMS · not end-to-end encrypted")
            header.standard.isStandard = false
            header.isSecure = true
            checkTitleAboveMark(header)
        }

        function test_menuInvitesToSecureConversation() {
            const header = createHeader({ startsRequests: true })
            const menu = openMenu(header)
            const invite = menuItem(menu, "inviteToSecureItem")
            verify(invite.visible)
            verify(invite.enabled)
            compare(invite.text, "Invite to Secure Conversation")
            verify(!menuItem(menu, "safetyCodesItem").visible, "no safety codes without encryption")
            mouseClick(invite)
            compare(header.standard.calls.length, 1)
            compare(header.standard.calls[0][0], "inviteToSecure")
            verify(findChild(header, "invitingIndicator").visible, "the header shows the invitation is on its way")

            openMenu(header)
            compare(invite.text, "Inviting…")
            verify(!invite.enabled)
            menu.close()

            header.standard.busy = false
            header.standard.secureConversationId = "c-secure"
            verify(!findChild(header, "invitingIndicator").visible)
            openMenu(header)
            compare(invite.text, "Open Secure Conversation")
            verify(invite.enabled)
            mouseClick(invite)
            compare(openSpy.count, 1)
            compare(openSpy.signalArguments[0][0], "c-secure")
            compare(header.standard.calls.length, 1, "no second invitation")
        }

        function test_menuCannotInviteAnOptedOutNumber() {
            const header = createHeader({ optedOut: true })
            const menu = openMenu(header)
            const invite = menuItem(menu, "inviteToSecureItem")
            verify(!invite.enabled)
            verify(invite.Accessible.name.indexOf("opted out") > 0)
        }

        function test_menuRecordsConsent() {
            const header = createHeader({ consentRecorded: false })
            const menu = openMenu(header)
            const item = menuItem(menu, "recordConsentItem")
            compare(item.text, "Record consent…")
            mouseClick(item)
            compare(consentSpy.count, 1)
            header.standard.consentRecorded = true
            compare(item.text, "Update consent…")
        }

        function test_secureThreadMenuKeepsSafetyCodes() {
            const header = createHeader({ isStandard: false }, { isSecure: true })
            compare(findChild(header, "conversationMarkText").text, "Secure conversation")
            const menu = openMenu(header)
            verify(!menuItem(menu, "inviteToSecureItem").visible)
            verify(!menuItem(menu, "recordConsentItem").visible)
            const safety = menuItem(menu, "safetyCodesItem")
            verify(safety.visible)
            mouseClick(safety)
            compare(safetySpy.count, 1)
        }
    }
}
