// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch
import Larch.Models

// A message's file in the thread: photos at their shape with their size, videos with ▶ and their length, PDFs
// with their first page, name, page count and size; uploads and downloads show a ring and can be stopped;
// failures say why; a caption sits below the card inside the bubble. Thumbnails come through the app's
// "attachment" image provider (tst_qml_components.cpp puts m-photo, m-pdf and m-video there).
Item {
    id: scene
    width: 700
    height: 800

    Component {
        id: cardComponent
        AttachmentCard {
            kind: AttachmentKind.Image
            name: "Rash on forearm.jpg"
            sizeText: "2.4 MB"
            mime: "image/jpeg"
            thumbnail: "image://attachment/thumb/m-photo"
            mediaWidth: 1600
            mediaHeight: 1200
            transferState: AttachmentState.Available
        }
    }

    Component {
        id: rowComponent
        ThreadRow {
            width: scene.width
            kind: MessageKind.Message
            body: ""
            senderName: "Sam Lee"
            isMine: false
            timeText: "14:05"
            dayText: "Today"
            showDaySeparator: false
            deliveryState: DeliveryState.Received
            isFirstOfGroup: true
            verification: VerificationState.Verified
            verificationText: ""
            failureReason: ""
            linkConversationId: ""
            messageId: "m-pdf"
            clientId: "c-pdf"
            attachmentKind: AttachmentKind.Pdf
            attachmentCount: 1
            attachmentName: "Blood results March.pdf"
            attachmentSizeText: "2.4 MB"
            attachmentMime: "application/pdf"
            attachmentThumbnail: "image://attachment/thumb/m-pdf"
            attachmentWidth: 0
            attachmentHeight: 0
            attachmentPages: 12
            attachmentDurationText: ""
            attachmentProgress: 0
            attachmentState: AttachmentState.Available
            attachmentError: ""
        }
    }

    SignalSpy { id: openSpy; signalName: "openRequested" }
    SignalSpy { id: cancelSpy; signalName: "cancelRequested" }
    SignalSpy { id: rowOpenSpy; signalName: "attachmentOpenRequested" }
    SignalSpy { id: rowCancelSpy; signalName: "attachmentCancelRequested" }

    TestCase {
        name: "AttachmentCard"
        when: windowShown

        function createCard(properties) {
            const card = createTemporaryObject(cardComponent, scene, properties || {})
            verify(card, "AttachmentCard is created")
            return card
        }

        function test_photoAtItsShapeWithItsSize() {
            const card = createCard()
            const preview = findChild(card, "attachmentPreview")
            tryCompare(preview, "status", Image.Ready)
            const media = findChild(card, "attachmentMedia")
            verify(media.visible)
            verify(media.width <= 280, "a photo is at most 280 px wide: " + media.width)
            fuzzyCompare(media.width / media.height, 4 / 3, 0.02)
            compare(findChild(card, "mediaPill").text, "2.4 MB")
            verify(!findChild(card, "attachmentInfo").visible, "a photo needs no file row")
            verify(!findChild(card, "playBadge").visible)
            verify(!findChild(card, "transferOverlay").visible)
            verify(card.Accessible.name.indexOf("Rash on forearm.jpg") >= 0)
            verify(card.Accessible.name.indexOf("2.4 MB") >= 0)
        }

        function test_tallPhotoIsNarrower() {
            const card = createCard({ mediaWidth: 900, mediaHeight: 1600 })
            const media = findChild(card, "attachmentMedia")
            verify(media.height <= 340, "a tall photo stays within 340 px: " + media.height)
            verify(media.width < 280)
            fuzzyCompare(media.width / media.height, 900 / 1600, 0.02)
        }

        function test_photoFitsAPhoneBubble() {
            const card = createCard({ maxWidth: 240 })
            verify(findChild(card, "attachmentMedia").width <= 240)
        }

        function test_tapOpens() {
            const card = createCard()
            openSpy.target = card
            openSpy.clear()
            waitForRendering(card)
            mouseClick(card)
            compare(openSpy.count, 1)
            card.forceActiveFocus()
            keyClick(Qt.Key_Return)
            compare(openSpy.count, 2, "the keyboard opens it too")
        }

        function test_videoShowsPlayAndLength() {
            const card = createCard({ kind: AttachmentKind.Video, name: "Knee exercise.mp4", sizeText: "12 MB", mime: "video/mp4",
                                      thumbnail: "image://attachment/thumb/m-video", mediaWidth: 1920,
                                      mediaHeight: 1080, durationText: "1:05" })
            verify(findChild(card, "playBadge").visible)
            compare(findChild(card, "mediaPill").text, "1:05 · 12 MB")
            fuzzyCompare(findChild(card, "attachmentMedia").width / findChild(card, "attachmentMedia").height,
                         16 / 9, 0.03)
        }

        function test_videoWithoutThumbnailIsADarkFrame() {
            const card = createCard({ kind: AttachmentKind.Video, name: "Clip.webm", thumbnail: "", mediaWidth: 0, mediaHeight: 0,
                                      durationText: "0:07", sizeText: "800 KB" })
            const media = findChild(card, "attachmentMedia")
            verify(media.visible && media.height > 0)
            verify(findChild(card, "playBadge").visible)
            compare(findChild(card, "mediaPill").text, "0:07 · 800 KB")
        }

        function test_pdfShowsFirstPageNamePagesAndSize() {
            const card = createCard({ kind: AttachmentKind.Pdf, name: "Blood results March.pdf", mime: "application/pdf",
                                      thumbnail: "image://attachment/thumb/m-pdf", mediaWidth: 0, mediaHeight: 0,
                                      pages: 12, sizeText: "2.4 MB" })
            tryCompare(findChild(card, "attachmentPreview"), "status", Image.Ready)
            verify(findChild(card, "attachmentMedia").visible, "the first page shows")
            compare(findChild(card, "attachmentName").text, "Blood results March.pdf")
            compare(findChild(card, "attachmentDetail").text, "12 pages · 2.4 MB")
            verify(findChild(card, "attachmentInfo").visible)
            verify(!findChild(card, "mediaPill").visible)
            verify(card.Accessible.name.indexOf("PDF") === 0)
        }

        function test_pdfWithoutPreviewIsAFileRow() {
            const card = createCard({ kind: AttachmentKind.Pdf, name: "Letter.pdf", thumbnail: "", pages: 1, sizeText: "48 KB" })
            verify(!findChild(card, "attachmentMedia").visible)
            compare(findChild(card, "attachmentDetail").text, "1 page · 48 KB")
            verify(card.height > 30 && card.height < 80, "a compact row: " + card.height)
        }

        function test_uploadShowsProgressAndCancels() {
            const card = createCard({ transferState: AttachmentState.Uploading, progress: 0.4, pending: true })
            const ring = findChild(card, "progressRing")
            verify(findChild(card, "transferOverlay").visible)
            verify(ring.visible)
            compare(ring.progress, 0.4)
            compare(ring.Accessible.name, "40 percent")
            const cancel = findChild(card, "cancelButton")
            compare(cancel.Accessible.name, "Cancel upload")
            cancelSpy.target = card
            cancelSpy.clear()
            openSpy.target = card
            openSpy.clear()
            waitForRendering(card)
            mouseClick(cancel)
            compare(cancelSpy.count, 1)
            mouseClick(card, 10, 10)
            compare(openSpy.count, 0, "a file still uploading does not open")
        }

        function test_downloadShowsProgressAndStops() {
            const card = createCard({ kind: AttachmentKind.Pdf, thumbnail: "", pages: 3, transferState: AttachmentState.Downloading,
                                      progress: 0.25 })
            verify(findChild(card, "progressRing").visible)
            compare(findChild(card, "cancelButton").Accessible.name, "Stop download")
            verify(card.Accessible.name.indexOf("25 percent") >= 0)
        }

        function test_failedDownloadSaysWhyAndTriesAgain() {
            const sentence = "This attachment was damaged on its way; ask the sender to send it again."
            const card = createCard({ transferState: AttachmentState.Failed, error: sentence })
            const failure = findChild(card, "attachmentFailure")
            verify(failure.visible)
            compare(findChild(card, "attachmentError").text, sentence)
            verify(!findChild(card, "transferOverlay").visible)
            openSpy.target = card
            openSpy.clear()
            waitForRendering(card)
            mouseClick(findChild(card, "attachmentMedia"))
            compare(openSpy.count, 1, "tapping a failed download tries again")
        }

        function test_failedUploadCanBeRemoved() {
            const card = createCard({ transferState: AttachmentState.Failed, pending: true,
                                      error: "The practice's storage is full. Ask the practice to free space." })
            verify(findChild(card, "attachmentFailure").visible)
            compare(findChild(card, "cancelButton").Accessible.name, "Remove")
            verify(findChild(card, "transferOverlay").visible)
        }

        function test_moreFilesAreNoted() {
            compare(findChild(createCard({ count: 3 }), "moreLabel").text, "+2 more files")
            compare(findChild(createCard({ count: 2 }), "moreLabel").text, "+1 more file")
            verify(!findChild(createCard({ count: 1 }), "moreLabel").visible)
        }

        function test_bubbleShowsCardAndCaptionBelow() {
            const row = createTemporaryObject(rowComponent, scene, { body: "Here are your results." })
            waitForRendering(row)
            const card = findChild(row, "attachmentCard")
            verify(card.visible)
            const caption = findChild(row, "bodyText")
            verify(caption.visible)
            compare(caption.text, "Here are your results.")
            const cardBottom = card.mapToItem(row, 0, card.height).y
            verify(caption.mapToItem(row, 0, 0).y >= cardBottom, "the caption sits below the card")
            verify(caption.width <= card.width, "the caption wraps to the card")
            compare(findChild(card, "attachmentDetail").text, "12 pages · 2.4 MB")
            verify(row.Accessible.name.indexOf("Blood results March.pdf") >= 0)
        }

        function test_bubbleWithoutCaptionHasNoEmptyText() {
            const row = createTemporaryObject(rowComponent, scene, {})
            verify(!findChild(row, "bodyText").visible)
            const bubble = findChild(row, "bubble")
            const card = findChild(row, "attachmentCard")
            verify(bubble.height < card.height + 50, "no room for an empty caption: " + bubble.height)
        }

        function test_unverifiedMessageShowsNoFile() {
            const row = createTemporaryObject(rowComponent, scene,
                                              { verification: VerificationState.Unverifiable, verificationText: "Not verified." })
            verify(!findChild(row, "attachmentCard").visible)
        }

        function test_rowForwardsOpenAndCancel() {
            const row = createTemporaryObject(rowComponent, scene, {})
            rowOpenSpy.target = row
            rowOpenSpy.clear()
            waitForRendering(row)
            mouseClick(findChild(row, "attachmentMedia"))
            compare(rowOpenSpy.count, 1)
            compare(rowOpenSpy.signalArguments[0][0], "m-pdf")
            compare(rowOpenSpy.signalArguments[0][1], AttachmentKind.Pdf)

            const pending = createTemporaryObject(rowComponent, scene, { messageId: "", clientId: "c-up", isMine: true,
                                                                         deliveryState: DeliveryState.Pending,
                                                                         attachmentState: AttachmentState.Uploading,
                                                                         attachmentProgress: 0.5 })
            rowCancelSpy.target = pending
            rowCancelSpy.clear()
            waitForRendering(pending)
            mouseClick(findChild(pending, "cancelButton"))
            compare(rowCancelSpy.count, 1)
            compare(rowCancelSpy.signalArguments[0][0], "")
            compare(rowCancelSpy.signalArguments[0][1], "c-up")
            compare(rowCancelSpy.signalArguments[0][2], AttachmentState.Uploading)
        }

        function test_failedUploadSaysWhyOnceOnTheCard() {
            const row = createTemporaryObject(rowComponent, scene, { messageId: "", isMine: true, deliveryState: DeliveryState.Failed,
                                                                     failureReason: "Too large.",
                                                                     attachmentState: AttachmentState.Failed,
                                                                     attachmentError: "Too large." })
            compare(findChild(row, "attachmentError").text, "Too large.")
            verify(!findChild(row, "failureLabel").visible, "the sentence is not said twice")
        }
    }
}
