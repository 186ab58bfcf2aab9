// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch
import LarchTest

// Files dropped on the compose bar become chips with names and sizes, can be removed, and a refused file is
// explained while the chips already there stay; "+" offers Camera, Photo or video and PDF; the camera page says
// when there is no camera. Drops arrive at the window as a desktop's drag and drop does (ComposeKit.dropFiles),
// so they pass through the bar's DropArea.
Item {
    id: scene
    width: 720
    height: 520

    Component {
        id: barComponent
        ComposeBar {
            anchors.bottom: parent.bottom
            attachments: ComposeKit.attachments
            enterSends: true
        }
    }

    Component {
        id: cameraComponent
        CameraCapture {
            width: 390
            height: 640
        }
    }

    SignalSpy {
        id: librarySpy
        signalName: "libraryRequested"
    }

    TestCase {
        id: testCase
        name: "ComposeAttachments"
        when: windowShown

        function init() {
            ComposeKit.reset()
        }

        function createBar(width) {
            const bar = createTemporaryObject(barComponent, scene, { width: width || scene.width })
            verify(bar, "ComposeBar is created")
            waitForRendering(bar)
            return bar
        }

        function chipAt(bar, row) {
            const chips = findChild(bar, "attachmentChips")
            chips.forceLayout()
            return chips.itemAtIndex(row)
        }

        function test_droppedFilesBecomeChipsWithNamesAndSizes() {
            const bar = createBar()
            const chips = findChild(bar, "attachmentChips")
            verify(!chips.visible, "no chips before anything is added")
            compare(findChild(bar, "composeArea").placeholderText, "Write a secure message…")

            verify(ComposeKit.dropFiles(bar, [ComposeKit.file("xray.png"), ComposeKit.file("Referral.pdf")]),
                   "the bar accepts the drop")
            tryCompare(chips, "count", 2)
            verify(chips.visible)
            const first = chipAt(bar, 0)
            const second = chipAt(bar, 1)
            compare(findChild(first, "chipName").text, "xray.png")
            verify(/^\d+(\.\d)? (bytes|KB)$/.test(findChild(first, "chipSize").text), findChild(first, "chipSize").text)
            compare(findChild(second, "chipName").text, "Referral.pdf")
            tryVerify(() => findChild(second, "chipSize").text.endsWith(" · 2 pages"), 10000,
                      "a PDF chip says how many pages it has")
            tryVerify(() => findChild(first, "chipThumbnail").status === Image.Ready, 10000,
                      "the photo's thumbnail shows through the compose image provider")
            compare(findChild(bar, "composeArea").placeholderText, "Add a caption…")
            tryVerify(() => findChild(bar, "sendButton").enabled, 10000, "files alone can be sent")
            compare(findChild(bar, "attachmentRefusal").visible, false)
        }

        function test_highlightWhileFilesAreDraggedOver() {
            const bar = createBar()
            const highlight = findChild(bar, "dropHighlight")
            verify(!highlight.visible)
            ComposeKit.dragOver(bar, [ComposeKit.file("xray.png")])
            verify(bar.dropActive)
            verify(highlight.visible)
            ComposeKit.dragLeave(bar)
            verify(!bar.dropActive)
            verify(!highlight.visible)
        }

        function test_removeTakesOneChipAway() {
            const bar = createBar()
            ComposeKit.dropFiles(bar, [ComposeKit.file("xray.png"), ComposeKit.file("wound.jpg")])
            const chips = findChild(bar, "attachmentChips")
            tryCompare(chips, "count", 2)
            waitForRendering(bar)
            const remove = findChild(chipAt(bar, 0), "chipRemove")
            compare(remove.Accessible.name, "Remove xray.png")
            mouseClick(remove)
            tryCompare(chips, "count", 1)
            compare(findChild(chipAt(bar, 0), "chipName").text, "wound.jpg")
            mouseClick(findChild(chipAt(bar, 0), "chipRemove"))
            tryCompare(chips, "count", 0)
            verify(!chips.visible)
            compare(findChild(bar, "composeArea").placeholderText, "Write a secure message…")
        }

        function test_refusedDropIsExplainedAndChipsStay() {
            const bar = createBar()
            ComposeKit.dropFiles(bar, [ComposeKit.file("xray.png")])
            const chips = findChild(bar, "attachmentChips")
            tryCompare(chips, "count", 1)

            ComposeKit.dropFiles(bar, [ComposeKit.file("notes.txt")])
            const strip = findChild(bar, "attachmentRefusal")
            tryVerify(() => strip.visible)
            const sentence = findChild(bar, "attachmentRefusalText").text
            verify(sentence.startsWith("“notes.txt” isn't a file Larch can send. Larch takes PDFs"), sentence)
            compare(chips.count, 1, "the chip already there stays")
            compare(findChild(chipAt(bar, 0), "chipName").text, "xray.png")

            waitForRendering(bar)
            mouseClick(findChild(bar, "attachmentRefusalClose"))
            tryVerify(() => !strip.visible)
            compare(chips.count, 1)
        }

        function test_mixedDropNamesEachRefusedFile() {
            const bar = createBar()
            ComposeKit.dropFiles(bar, [ComposeKit.file("wound.jpg"), ComposeKit.file("Scans"),
                                       ComposeKit.file("notes.txt")])
            const chips = findChild(bar, "attachmentChips")
            tryCompare(chips, "count", 1)
            const sentence = findChild(bar, "attachmentRefusalText").text
            verify(sentence.startsWith("2 files were not added: “Scans” is a folder; “notes.txt” isn't a file Larch can send."),
                   sentence)
            // The next drop that adds a file clears the explanation.
            ComposeKit.dropFiles(bar, [ComposeKit.file("xray.png")])
            tryCompare(chips, "count", 2)
            tryVerify(() => !findChild(bar, "attachmentRefusal").visible)
        }

        function test_plusOffersCameraLibraryAndPdf() {
            const bar = createBar()
            const plus = findChild(bar, "attachButton")
            verify(plus.visible)
            compare(plus.Accessible.name, "Add attachment")
            mouseClick(plus)
            const menu = findChild(bar, "attachMenu")
            tryVerify(() => menu.opened && menu.height > 3 * 40, 2000, "the menu opens with its items")
            compare(menu.count, 3)
            compare(menu.itemAt(0).text, "Camera")
            compare(menu.itemAt(1).text, "Photo or video")
            compare(menu.itemAt(2).text, "PDF")
            // The menu opens above the bar, inside the window.
            const top = menu.background.mapToItem(scene, 0, 0).y
            verify(top >= 0 && top < bar.mapToItem(scene, 0, 0).y + 1, "menu at " + top)
            menu.close()
            tryVerify(() => !menu.visible)
        }

        function test_cameraItemOpensTheCameraPage() {
            const bar = createBar()
            mouseClick(findChild(bar, "attachButton"))
            const menu = findChild(bar, "attachMenu")
            tryVerify(() => menu.opened && menu.height > 3 * 40)
            mouseClick(menu.itemAt(0))
            const popup = findChild(bar, "cameraPopup")
            tryVerify(() => popup.opened)
            tryVerify(() => popup.contentItem.item !== null)
            const page = popup.contentItem.item
            compare(findChild(page, "noCameraText").visible, true)
            mouseClick(findChild(page, "cameraClose"))
            tryVerify(() => !popup.visible)
        }

        function test_noCameraSaysSoAndOffersTheLibrary() {
            const camera = createTemporaryObject(cameraComponent, scene)
            verify(camera)
            verify(!camera.hasCamera, "offscreen has no camera")
            const text = findChild(camera, "noCameraText")
            verify(text.visible)
            compare(text.text, "No camera found on this device. Choose a photo or video from your library instead.")
            const library = findChild(camera, "cameraLibraryButton")
            verify(library.visible)
            librarySpy.clear()
            librarySpy.target = camera
            waitForRendering(camera)
            mouseClick(library)
            compare(librarySpy.count, 1)
        }

        function test_fitsAPhone() {
            const bar = createBar(390)
            ComposeKit.dropFiles(bar, [ComposeKit.file("xray.png"), ComposeKit.file("wound.jpg"),
                                       ComposeKit.file("Referral.pdf")])
            const chips = findChild(bar, "attachmentChips")
            tryCompare(chips, "count", 3)
            waitForRendering(bar)
            verify(chips.width <= 390)
            verify(chipAt(bar, 0).width <= chips.width)
            const field = findChild(bar, "composeArea")
            verify(field.width > 150, "the caption field keeps room beside + and Send: " + field.width)
            const send = findChild(bar, "sendButton")
            verify(send.mapToItem(scene, send.width, 0).x <= 390, "Send stays on screen")
        }
    }
}
