// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import Larch

// The Practice Links page: each link with its real QR code (the app's "qr" image provider), label, tag chip and
// link; staff copy and save, only administrators switch, edit and add (with the form's sentences); the loading,
// empty and error states; and a phone-width layout that stacks the QR code above the details.
Item {
    id: scene
    width: 900
    height: 800

    // A stand-in for App.practiceLinks with the same names, recording what the page asked for.
    Component {
        id: controllerComponent
        QtObject {
            property ListModel model: ListModel {
                ListElement { linkId: "l-1"; label: "Practice Link"; tag: ""; enabled: true
                              url: "https://larch.birch.example/p/AbCdEfGhIj?fp=K7QM2XD9ABCDEFGH0123456789JKMNPQ"
                              conversationCount: 0; fingerprint: "K7QM 2XD9 ABCD EFGH 0123 4567 89JK MNPQ" }
                ListElement { linkId: "l-2"; label: "Front desk flyer"; tag: "new-patient"; enabled: false
                              url: "https://larch.birch.example/p/KlMnOpQrSt"; conversationCount: 3; fingerprint: "" }
            }
            property bool canEdit: true
            property bool busy: false
            property bool loaded: true
            property string error
            property string formError
            property string notice
            property var calls: []
            signal added(string linkId)
            signal updated(string linkId)
            function record(call) { calls = calls.concat([call]) }
            function load() { record(["load"]) }
            function add(label, tag) { record(["add", label, tag]) }
            function update(linkId, label, tag) { record(["update", linkId, label, tag]) }
            function setEnabled(linkId, on) {
                record(["setEnabled", linkId, on])
                for (let i = 0; i < model.count; ++i) {
                    if (model.get(i).linkId === linkId)
                        model.setProperty(i, "enabled", on)
                }
            }
            function copyLink(url) { record(["copy", url]); notice = "Link copied." }
            function saveQrCode(url, fileUrl) { record(["save", url, fileUrl]); return true }
            function suggestedQrFile(label) { return "file:///tmp/" + label + " QR code.png" }
            function dismissNotice() { notice = "" }
            function clearFormError() { formError = "" }
            function problemWithLabel(text) { return text.trim().length === 0 ? "Give the link a name." : "" }
            function problemWithTag(text) { return /^[A-Za-z0-9 _-]*$/.test(text.trim()) ? "" : "Use only letters, digits, spaces, - and _ in the tag." }
        }
    }
    Component {
        id: pageComponent
        PracticeLinksPage { anchors.fill: parent }
    }
    SignalSpy { id: closeSpy; signalName: "closeRequested" }

    TestCase {
        name: "PracticeLinksPage"
        when: windowShown

        function createPage(properties) {
            const links = createTemporaryObject(controllerComponent, scene, properties || {})
            const page = createTemporaryObject(pageComponent, scene, { links: links })
            verify(page)
            closeSpy.target = page
            closeSpy.clear()
            return page
        }

        function card(page, row) {
            const list = findChild(page, "practiceLinkList")
            tryVerify(() => list.count > row && list.itemAtIndex(row) !== null)
            return list.itemAtIndex(row)
        }

        function test_linksShowTheirQrLabelTagAndLink() {
            const page = createPage()
            const first = card(page, 0)
            const second = card(page, 1)
            compare(findChild(first, "linkLabel").text, "Practice Link")
            verify(!findChild(first, "tagChip").visible)
            compare(findChild(second, "linkLabel").text, "Front desk flyer")
            verify(findChild(second, "tagChip").visible)
            // The link, and its QR code, carry the practice identity's code; the card shows it for patients who ask.
            const shared = "https://larch.birch.example/p/AbCdEfGhIj?fp=K7QM2XD9ABCDEFGH0123456789JKMNPQ"
            compare(findChild(first, "linkText").text, shared)
            compare(findChild(first, "linkText").cursorPosition, 0)
            verify(findChild(first, "fingerprintLine").visible)
            verify(!findChild(second, "fingerprintLine").visible)
            compare(findChild(second, "conversationCountLabel").text, "3 conversations started")
            verify(findChild(second, "stateSentence").text.indexOf("Turned off") === 0)

            // The QR code comes from the app's provider, in whole modules that fit the 176 px asked for.
            const qr = findChild(first, "qrImage")
            compare(qr.source.toString(), "image://qr/" + encodeURIComponent(shared))
            tryCompare(qr, "status", Image.Ready)
            verify(qr.implicitWidth > 120 && qr.implicitWidth <= 176, "QR image is " + qr.implicitWidth + " px")
            compare(qr.implicitWidth, qr.implicitHeight)
            verify(!qr.smooth)
            verify(first.wide, "QR code beside the details on a wide window")
        }

        function test_administratorSwitchesAndEdits() {
            const page = createPage()
            const first = card(page, 0)
            const toggle = findChild(first, "enabledSwitch")
            verify(toggle.visible)
            verify(toggle.checked)
            mouseClick(toggle)
            compare(page.links.calls[0], ["setEnabled", "l-1", false])
            verify(!toggle.checked)
            verify(findChild(first, "stateSentence").text.indexOf("Turned off") === 0)
            // Still bound to the model: a change from elsewhere (an event) moves the switch.
            page.links.model.setProperty(0, "enabled", true)
            verify(toggle.checked)

            verify(findChild(first, "editLinkButton").visible)
            mouseClick(findChild(card(page, 1), "editLinkButton"))
            const dialog = findChild(page, "practiceLinkDialog")
            tryCompare(dialog, "opened", true)
            compare(dialog.title, "Edit Practice Link")
            compare(findChild(dialog, "linkLabelField").text, "Front desk flyer")
            compare(findChild(dialog, "linkTagField").text, "new-patient")
            findChild(dialog, "linkTagField").text = ""
            mouseClick(findChild(dialog, "saveLinkButton"))
            compare(page.links.calls[page.links.calls.length - 1], ["update", "l-2", "Front desk flyer", ""])
            page.links.updated("l-2")
            tryCompare(dialog, "visible", false)
        }

        function test_addLinkDialogShowsSentences() {
            const page = createPage()
            const add = findChild(page, "addLinkButton")
            verify(add.visible)
            mouseClick(add)
            const dialog = findChild(page, "practiceLinkDialog")
            tryCompare(dialog, "opened", true)
            compare(dialog.title, "Add Practice Link")
            verify(!findChild(dialog, "linkLabelProblem").visible, "no sentence before anything was tried")

            mouseClick(findChild(dialog, "saveLinkButton"))
            verify(findChild(dialog, "linkLabelProblem").visible)
            compare(findChild(dialog, "linkLabelProblem").text, "Give the link a name.")
            verify(findChild(dialog, "linkLabelField").invalid)
            compare(page.links.calls.length, 0)

            findChild(dialog, "linkLabelField").text = "Waiting room poster"
            findChild(dialog, "linkTagField").text = "new/patient"
            verify(!findChild(dialog, "linkLabelProblem").visible)
            verify(findChild(dialog, "linkTagProblem").visible)
            mouseClick(findChild(dialog, "saveLinkButton"))
            compare(page.links.calls.length, 0)

            findChild(dialog, "linkTagField").text = "walk-in"
            mouseClick(findChild(dialog, "saveLinkButton"))
            compare(page.links.calls[0], ["add", "Waiting room poster", "walk-in"])

            // The server's refusal shows in the dialog, which stays open with what was typed.
            page.links.formError = "The practice has 50 links, the most it can have."
            verify(findChild(dialog, "linkFormError").visible)
            verify(dialog.opened)
            compare(findChild(dialog, "linkLabelField").text, "Waiting room poster")
            page.links.added("l-3")
            tryCompare(dialog, "visible", false)
        }

        function test_clinicianSeesAndCopiesOnly() {
            const page = createPage({ canEdit: false })
            const first = card(page, 0)
            verify(!findChild(page, "addLinkButton").visible)
            verify(!findChild(first, "enabledSwitch").visible)
            verify(findChild(first, "stateLabel").visible)
            compare(findChild(first, "stateLabel").text, "On")
            verify(!findChild(first, "editLinkButton").visible)

            mouseClick(findChild(first, "copyLinkButton"))
            compare(page.links.calls[0],
                    ["copy", "https://larch.birch.example/p/AbCdEfGhIj?fp=K7QM2XD9ABCDEFGH0123456789JKMNPQ"])
            const notice = findChild(page, "practiceLinksNotice")
            verify(notice.visible)
            compare(notice.text, "Link copied.")
            mouseClick(findChild(notice, "noticeStripClose"))
            verify(!notice.visible)

            verify(findChild(first, "saveQrButton").visible)
            verify(findChild(page, "saveQrDialog"))
        }

        function test_loadingEmptyAndErrorStates() {
            const page = createPage({ loaded: false, busy: true })
            verify(findChild(page, "practiceLinksBusy").visible)
            verify(!findChild(page, "practiceLinkList").visible)

            page.links.busy = false
            page.links.error = "Can't reach the server. Check your connection."
            verify(findChild(page, "practiceLinksLoadError").visible)
            verify(!findChild(page, "practiceLinksBusy").visible)
            mouseClick(findChild(page, "practiceLinksRetryButton"))
            compare(page.links.calls[0], ["load"])

            page.links.error = ""
            page.links.model.clear()
            page.links.loaded = true
            verify(findChild(page, "practiceLinksEmpty").visible)
            verify(!findChild(page, "practiceLinksLoadError").visible)

            // A refusal while the list shows (a switch the server refused) is a strip above the list.
            page.links.model.append({ linkId: "l-1", label: "Practice Link", tag: "", enabled: true,
                                      url: "https://larch.birch.example/p/AbCdEfGhIj", conversationCount: 0,
                                      fingerprint: "" })
            page.links.error = "Only an administrator of the practice can change its links."
            verify(findChild(page, "practiceLinksErrorStrip").visible)
            tryVerify(() => !findChild(page, "practiceLinksEmpty").visible)
            verify(findChild(page, "practiceLinkList").visible)
        }

        function test_backClosesThePage() {
            const page = createPage()
            mouseClick(findChild(page, "practiceLinksBackButton"))
            compare(closeSpy.count, 1)
        }

        function test_phoneWidthStacksTheCard() {
            const links = createTemporaryObject(controllerComponent, scene)
            const page = createTemporaryObject(pageComponent, scene, { links: links, width: 360, height: 740 })
            page.anchors.fill = undefined
            page.width = 360
            page.height = 740
            const first = card(page, 0)
            verify(!first.wide)
            verify(first.width <= 360)
            const copy = findChild(first, "copyLinkButton")
            const save = findChild(first, "saveQrButton")
            for (const button of [copy, save]) {
                const right = button.mapToItem(page, button.width, 0).x
                verify(right <= 360, button.objectName + " fits (right edge at " + right + ")")
            }
            const qr = findChild(first, "qrImage")
            const qrCentre = qr.mapToItem(page, qr.width / 2, 0).x
            verify(Math.abs(qrCentre - 180) < 24, "the QR code is centred above the details")
        }
    }
}
