// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch
import Larch.Models

// A message's files in the thread: photos at their shape with their size, videos with ▶ and their length, PDFs
// with their first page, name, page count and size; uploads and downloads show a ring and can be stopped;
// failures say why; a caption sits below the cards inside the bubble. A message with several files shows a card
// for each, each opened, stopped and failing on its own. Thumbnails come through the app's "attachment" image
// provider (tst_qml_components.cpp puts m-photo, m-pdf and m-video there); rows are given their files as a ListModel
// with MessageAttachmentModel's roles, or read them from a real thread (sampleThread).
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
            attachmentCount: 1
        }
    }

    Component {
        id: filesComponent
        ListModel { }
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

        // One file as MessageAttachmentModel gives it: the PDF of the row above, changed by overrides.
        function file(overrides) {
            const f = { kind: AttachmentKind.Pdf, name: "Blood results March.pdf", sizeText: "2.4 MB",
                        mime: "application/pdf", thumbnail: "image://attachment/thumb/m-pdf", width: 0, height: 0,
                        pages: 12, durationText: "", progress: 0, state: AttachmentState.Available, error: "" }
            for (const key in overrides || {})
                f[key] = overrides[key]
            return f
        }

        // A ThreadRow whose message carries these files (ListModel rows with MessageAttachmentModel's roles).
        function createRow(files, properties) {
            const model = createTemporaryObject(filesComponent, scene)
            for (const f of files)
                model.append(f)
            const props = properties || {}
            props.files = model
            props.attachmentCount = files.length
            const row = createTemporaryObject(rowComponent, scene, props)
            verify(row, "ThreadRow is created")
            return row
        }

        // The row's cards, in the message's order.
        function cardsOf(row) {
            const cards = []
            for (let i = 0; ; ++i) {
                const card = findChild(row, i === 0 ? "attachmentCard" : "attachmentCard" + i)
                if (!card)
                    return cards
                cards.push(card)
            }
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

        function test_placeAmongSeveralFilesIsSpoken() {
            compare(createCard({ count: 3, position: 1 }).Accessible.name.indexOf("Photo 2 of 3, Rash on forearm.jpg"), 0)
            compare(createCard({ count: 1 }).Accessible.name.indexOf("Photo, Rash on forearm.jpg"), 0)
            verify(!findChild(createCard({ count: 3 }), "moreLabel"), "no \"+N more\": every file has its card")
        }

        function test_bubbleShowsCardAndCaptionBelow() {
            const row = createRow([file()], { body: "Here are your results." })
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
            const row = createRow([file()])
            verify(!findChild(row, "bodyText").visible)
            const bubble = findChild(row, "bubble")
            const card = findChild(row, "attachmentCard")
            verify(bubble.height < card.height + 50, "no room for an empty caption: " + bubble.height)
        }

        function test_unverifiedMessageShowsNoFile() {
            const row = createRow([file()], { verification: VerificationState.Unverifiable, verificationText: "Not verified." })
            const card = findChild(row, "attachmentCard")
            verify(!card || !card.visible, "no card of a message that did not verify")
        }

        function test_rowForwardsOpenAndCancel() {
            const row = createRow([file()])
            rowOpenSpy.target = row
            rowOpenSpy.clear()
            waitForRendering(row)
            mouseClick(findChild(row, "attachmentMedia"))
            compare(rowOpenSpy.count, 1)
            compare(rowOpenSpy.signalArguments[0][0], "m-pdf")
            compare(rowOpenSpy.signalArguments[0][1], 0)
            compare(rowOpenSpy.signalArguments[0][2], AttachmentKind.Pdf)

            const pending = createRow([file({ state: AttachmentState.Uploading, progress: 0.5 })],
                                      { messageId: "", clientId: "c-up", isMine: true,
                                        deliveryState: DeliveryState.Pending })
            rowCancelSpy.target = pending
            rowCancelSpy.clear()
            waitForRendering(pending)
            mouseClick(findChild(pending, "cancelButton"))
            compare(rowCancelSpy.count, 1)
            compare(rowCancelSpy.signalArguments[0][0], "")
            compare(rowCancelSpy.signalArguments[0][1], "c-up")
            compare(rowCancelSpy.signalArguments[0][2], 0)
            compare(rowCancelSpy.signalArguments[0][3], AttachmentState.Uploading)
        }

        function test_eachFileHasItsCard() {
            const row = createRow([file({ kind: AttachmentKind.Image, name: "Forearm, day 3.jpg", mime: "image/jpeg",
                                          thumbnail: "image://attachment/thumb/m-photo", width: 1600, height: 1200,
                                          pages: 0 }),
                                   file({ name: "Lab results.pdf", pages: 3 }),
                                   file({ kind: AttachmentKind.Video, name: "Wrist, day 3.webm", mime: "video/webm",
                                          thumbnail: "image://attachment/thumb/m-video", width: 1920, height: 1080,
                                          pages: 0, durationText: "0:03" })],
                                  { body: "Today's photo, my results and the wrist" })
            waitForRendering(row)
            const cards = cardsOf(row)
            compare(cards.length, 3)
            compare(cards.map(c => c.name), ["Forearm, day 3.jpg", "Lab results.pdf", "Wrist, day 3.webm"])
            compare(cards[0].Accessible.name.indexOf("Photo 1 of 3, Forearm, day 3.jpg"), 0)
            compare(cards[1].Accessible.name.indexOf("PDF 2 of 3, Lab results.pdf"), 0)
            compare(cards[2].Accessible.name.indexOf("Video 3 of 3, Wrist, day 3.webm"), 0)
            verify(row.Accessible.name.indexOf("3 files") >= 0, row.Accessible.name)
            // Stacked in the message's order, the caption below the last, all inside the bubble.
            for (let i = 1; i < cards.length; ++i)
                verify(cards[i].mapToItem(row, 0, 0).y >= cards[i - 1].mapToItem(row, 0, cards[i - 1].height).y,
                       "card " + i + " sits below the one before it")
            const caption = findChild(row, "bodyText")
            verify(caption.mapToItem(row, 0, 0).y >= cards[2].mapToItem(row, 0, cards[2].height).y)
            const bubble = findChild(row, "bubble")
            for (const card of cards) {
                verify(card.visible)
                verify(card.mapToItem(bubble, card.width, 0).x <= bubble.width, "within the bubble: " + card.name)
            }
            verify(!findChild(row, "moreLabel"))

            // Each card opens its own file.
            rowOpenSpy.target = row
            rowOpenSpy.clear()
            mouseClick(findChild(cards[1], "attachmentMedia"))
            compare(rowOpenSpy.count, 1)
            compare(rowOpenSpy.signalArguments[0][1], 1)
            compare(rowOpenSpy.signalArguments[0][2], AttachmentKind.Pdf)
            mouseClick(cards[2])
            compare(rowOpenSpy.signalArguments[1][1], 2)
            compare(rowOpenSpy.signalArguments[1][2], AttachmentKind.Video)
        }

        function test_eachFileHasItsOwnTransfer() {
            const row = createRow([file({ name: "One.pdf" }),
                                   file({ name: "Two.pdf", state: AttachmentState.Downloading, progress: 0.25 }),
                                   file({ name: "Three.pdf", state: AttachmentState.Failed,
                                          error: "Downloads are paused for a moment." })])
            const cards = cardsOf(row)
            compare(cards.length, 3)
            verify(!findChild(cards[0], "transferOverlay").visible)
            verify(!findChild(cards[0], "attachmentFailure").visible)
            verify(findChild(cards[1], "progressRing").visible)
            compare(findChild(cards[1], "progressRing").progress, 0.25)
            compare(findChild(cards[1], "cancelButton").Accessible.name, "Stop download")
            verify(!findChild(cards[1], "attachmentFailure").visible)
            verify(findChild(cards[2], "attachmentFailure").visible)
            compare(findChild(cards[2], "attachmentError").text, "Downloads are paused for a moment.")
            verify(!findChild(cards[2], "transferOverlay").visible)

            // ✕ on the second stops that file's download; tapping the third tries that one again.
            rowCancelSpy.target = row
            rowCancelSpy.clear()
            rowOpenSpy.target = row
            rowOpenSpy.clear()
            waitForRendering(row)
            mouseClick(findChild(cards[1], "cancelButton"))
            compare(rowCancelSpy.count, 1)
            compare(rowCancelSpy.signalArguments[0][2], 1)
            compare(rowCancelSpy.signalArguments[0][3], AttachmentState.Downloading)
            mouseClick(findChild(cards[2], "attachmentMedia"))
            compare(rowOpenSpy.count, 1)
            compare(rowOpenSpy.signalArguments[0][1], 2)

            // The model moves one file: only its card changes.
            row.files.setProperty(1, "progress", 0.75)
            compare(findChild(cards[1], "progressRing").progress, 0.75)
            verify(!findChild(cards[0], "transferOverlay").visible)
        }

        function test_filesFromTheThread() {
            // The app's own models: a real thread, and the row's MessageAttachmentModel reading the message from it.
            const row = createTemporaryObject(rowComponent, scene, { thread: sampleThread, messageId: "m-three",
                                                                     clientId: "c-three", attachmentCount: 3,
                                                                     body: "Today's photo, my results and the wrist" })
            verify(row)
            tryCompare(row.files, "count", 3)
            const cards = cardsOf(row)
            compare(cards.length, 3)
            compare(cards.map(c => c.kind), [AttachmentKind.Image, AttachmentKind.Pdf, AttachmentKind.Video])
            compare(cards.map(c => c.name), ["Forearm, day 3.jpg", "Lab results.pdf", "Wrist, day 3.webm"])
            compare(cards[1].thumbnail, "image://attachment/thumb/m1-m-three")
            compare(cards[1].pages, 3)
            compare(cards[2].durationText, "0:03")
            compare(cards.map(c => c.transferState),
                    [AttachmentState.Available, AttachmentState.Available, AttachmentState.Available])
            tryCompare(findChild(cards[1], "attachmentPreview"), "status", Image.Ready)
            compare(cards[2].Accessible.name.indexOf("Video 3 of 3, Wrist, day 3.webm"), 0)
        }

        function test_failedUploadSaysWhyOnceOnTheCard() {
            const row = createRow([file({ state: AttachmentState.Failed, error: "Too large." })],
                                  { messageId: "", isMine: true, deliveryState: DeliveryState.Failed,
                                    failureReason: "Too large." })
            compare(findChild(row, "attachmentError").text, "Too large.")
            verify(!findChild(row, "failureLabel").visible, "the sentence is not said twice")
        }
    }
}
