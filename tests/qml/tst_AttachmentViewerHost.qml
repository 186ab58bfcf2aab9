// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import Larch
import Larch.Models

// The full-window viewer around a file: it opens over everything with the file's name, shows the download's
// progress with Stop, the failure with "Try again", then the viewer for the kind once the file is ready (the photo
// viewer, the PDF viewer through its Loader); "Save a copy" waits for the file; Esc and ✕ close it and let the
// decrypted copy go. The controller is a stand-in (AttachmentViewerStandIn.qml) that records calls.
Item {
    id: scene
    width: 900
    height: 700

    Component {
        id: standInComponent
        AttachmentViewerStandIn { }
    }
    Component {
        id: hostComponent
        AttachmentViewerHost { }
    }

    TestCase {
        name: "AttachmentViewerHost"
        when: windowShown

        function createHost(properties) {
            const controller = createTemporaryObject(standInComponent, scene, properties || {})
            const host = createTemporaryObject(hostComponent, scene, { controller: controller })
            verify(host)
            return host
        }

        function names(calls) { return calls.map(c => c[0]) }

        function cleanup() { scene.width = 900 }

        function test_opensOverTheAppWithTheName() {
            const host = createHost()
            host.show("m-photo", 0)
            tryCompare(host, "opened", true)
            compare(host.controller.calls[0], ["open", "m-photo", 0])
            compare(host.width, scene.width)
            compare(host.height, scene.height)
            compare(findChild(host.contentItem, "viewerTitle").text, "IMG_2041.jpg")
        }

        function test_downloadingShowsProgressAndStop() {
            const host = createHost()
            host.show("m-photo", 0)
            tryCompare(host, "opened", true)
            verify(findChild(host.contentItem, "downloadState").visible)
            compare(findChild(host.contentItem, "downloadText").text, "Downloading and decrypting…")
            verify(!findChild(host.contentItem, "saveCopy").enabled, "nothing to save before the file is here")
            compare(findChild(host.contentItem, "viewerLoader").status, Loader.Null)
            mouseClick(findChild(host.contentItem, "stopDownload"))
            tryCompare(host, "visible", false)
            verify(names(host.controller.calls).indexOf("release") >= 0, "closing lets the copy go")
        }

        function test_failureSaysWhyAndTriesAgain() {
            const sentence = "The attachment could not be downloaded. Check the connection and try again."
            const host = createHost({ state: AttachmentState.Failed, error: sentence, messageId: "m-three", index: 2 })
            host.show("m-three", 2)
            tryCompare(host, "opened", true)
            compare(findChild(host.contentItem, "downloadText").text, sentence)
            mouseClick(findChild(host.contentItem, "retryDownload"))
            compare(host.controller.calls[host.controller.calls.length - 1], ["open", "m-three", 2],
                    "the same file of the message is tried again")
        }

        function test_damagedFileOffersNoRetry() {
            const sentence = "This attachment was damaged on its way; ask the sender to send it again."
            const host = createHost({ state: AttachmentState.Failed, error: sentence, canRetry: false })
            host.show("m-photo", 0)
            tryCompare(host, "opened", true)
            compare(findChild(host.contentItem, "downloadText").text, sentence)
            verify(!findChild(host.contentItem, "retryDownload").visible)
        }

        function test_readyPhotoShowsTheImageViewer() {
            const host = createHost({ state: AttachmentState.Ready, source: "image://attachment/thumb/m-photo" })
            host.show("m-photo", 0)
            tryCompare(host, "opened", true)
            tryCompare(host, "width", 900)
            const loader = findChild(host.contentItem, "viewerLoader")
            tryCompare(loader, "status", Loader.Ready)
            const photo = findChild(loader.item, "photo")
            verify(photo)
            tryCompare(photo, "status", Image.Ready)
            verify(findChild(host.contentItem, "saveCopy").enabled)
            verify(findChild(host.contentItem, "zoomInImage").visible, "zoom buttons on desktop")
            mouseClick(findChild(host.contentItem, "zoomInImage"))
            fuzzyCompare(loader.item.zoom, 1.5, 0.001)
        }

        function test_readyPdfShowsThePdfViewer() {
            const host = createHost({ kind: AttachmentKind.Pdf, name: "letter.pdf", state: AttachmentState.Ready, source: samplePdfUrl })
            host.show("m-pdf", 0)
            tryCompare(host, "opened", true)
            const loader = findChild(host.contentItem, "viewerLoader")
            tryCompare(loader, "status", Loader.Ready)
            tryCompare(loader.item, "pageCount", 3, 10000)
            compare(findChild(loader.item, "pageLabel").text, "Page 1 of 3")
            verify(!findChild(host.contentItem, "zoomInImage").visible, "the PDF viewer has its own zoom")
        }

        function test_escapeClosesAndReleases() {
            const host = createHost({ state: AttachmentState.Ready, source: "image://attachment/thumb/m-photo" })
            host.show("m-photo", 0)
            tryCompare(host, "opened", true)
            keyClick(Qt.Key_Escape)
            tryCompare(host, "visible", false)
            compare(host.controller.calls[host.controller.calls.length - 1], ["release"])
        }

        function test_stoppedFromTheCardCloses() {
            const host = createHost()
            host.show("m-photo", 0)
            tryCompare(host, "opened", true)
            host.controller.state = AttachmentState.None
            tryCompare(host, "visible", false)
        }

        function test_saveMessageShows() {
            const host = createHost({ state: AttachmentState.Ready, source: "image://attachment/thumb/m-photo",
                                      saveMessage: "Saved a copy to /home/ben/Downloads/IMG_2041.jpg." })
            host.show("m-photo", 0)
            tryCompare(host, "opened", true)
            const message = findChild(host.contentItem, "saveMessage")
            verify(message.visible)
            compare(message.text, "Saved a copy to /home/ben/Downloads/IMG_2041.jpg.")
        }

        function test_savesTheOpenFileOfTheMessage() {
            const host = createHost({ state: AttachmentState.Ready, source: "image://attachment/thumb/m-photo",
                                      messageId: "m-three", index: 1 })
            host.show("m-three", 1)
            tryCompare(host, "opened", true)
            mouseClick(findChild(host.contentItem, "saveCopy"))
            const asked = host.controller.calls.filter(c => c[0] === "suggestedSaveUrl")
            compare(asked[asked.length - 1], ["suggestedSaveUrl", "m-three", 1])
            const dialog = findChild(host, "saveAttachmentDialog")
            dialog.accepted()
            const saved = host.controller.calls.filter(c => c[0] === "saveCopy")
            compare(saved.length, 1)
            compare(saved[0][1], "m-three")
            compare(saved[0][2], 1, "the copy is of the open file, not the message's first")
            dialog.close()
        }

        function test_oneCopyAtATime() {
            const host = createHost({ state: AttachmentState.Ready, source: "image://attachment/thumb/m-photo", saving: true,
                                      saveMessage: "Saving a copy to /home/ben/Downloads/IMG_2041.jpg…" })
            host.show("m-photo", 0)
            tryCompare(host, "opened", true)
            const save = findChild(host.contentItem, "saveCopy")
            verify(!save.enabled, "the next copy waits for the one being written")
            compare(findChild(host.contentItem, "saveMessage").text, "Saving a copy to /home/ben/Downloads/IMG_2041.jpg…")
            host.controller.saving = false
            tryCompare(save, "enabled", true)
        }

        function test_phoneWidthHasABackButton() {
            // The window follows the scene's size; the popup covers the window.
            scene.width = 390
            const host = createHost({ state: AttachmentState.Ready, source: "image://attachment/thumb/m-photo" })
            host.show("m-photo", 0)
            tryCompare(host, "opened", true)
            tryCompare(host, "width", 390)
            compare(findChild(host.contentItem, "closeViewer").iconName, "back")
            verify(!findChild(host.contentItem, "zoomInImage").visible, "phones pinch instead")
        }
    }
}
