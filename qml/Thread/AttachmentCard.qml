// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// One file inside a message bubble: a photo at its own shape, a video frame with ▶ and its length, or a PDF's
// first page with its name and "12 pages · 2.4 MB". Its upload or download turns a ring (with ✕ to stop it); a
// failed one says why. Tapping opens the viewer. A message with several files shows one card for each.
Item {
    id: card

    // One row of the message's MessageAttachmentModel (see its roles).
    /// An AttachmentKind: Image, Video or Pdf.
    property int kind: AttachmentKind.None
    property string name
    property string sizeText
    property string mime
    /// image://attachment/… of the sender's thumbnail; "" when it sent none.
    property string thumbnail
    property int mediaWidth: 0
    property int mediaHeight: 0
    property int pages: 0
    property string durationText
    /// 0..1 of the upload or download.
    property real progress: 0
    /// An AttachmentState: Uploading, Sent, Available, Downloading, Ready or Failed.
    property int transferState: AttachmentState.None
    /// Why the transfer failed; "" otherwise.
    property string error
    /// Files the message carries, and this one's place among them (from 0): it is spoken as "Photo 2 of 3".
    property int count: 1
    property int position: 0
    /// A local echo (not on the server yet): ✕ cancels its upload, also after it failed.
    property bool pending: false
    /// The widest the card may be.
    property real maxWidth: 280
    /// The card sits on the accent colour (my own bubble): its words turn light.
    property bool overAccent: false
    /// What is around the card (the bubble's colour): it rounds the picture's corners.
    property color cornerColor: Theme.surface

    /// The person wants to see the file (or try its download again).
    signal openRequested()
    /// The person stopped the upload or download (✕), or removed a failed upload.
    signal cancelRequested()

    readonly property bool isPdf: kind === AttachmentKind.Pdf
    readonly property bool isVideo: kind === AttachmentKind.Video
    readonly property bool busy: transferState === AttachmentState.Uploading
                                 || transferState === AttachmentState.Downloading
    readonly property bool failed: transferState === AttachmentState.Failed
    readonly property bool hasPreview: thumbnail.length > 0 && preview.status !== Image.Error
    /// width / height of the picture: from the sender's numbers, else the thumbnail's, else a photo's 4:3.
    readonly property real aspect: mediaWidth > 0 && mediaHeight > 0 ? mediaWidth / mediaHeight
                                 : preview.implicitWidth > 0 && preview.implicitHeight > 0
                                   ? preview.implicitWidth / preview.implicitHeight : 4 / 3
    readonly property real boxWidth: Math.min(maxWidth, 280)
    /// The media area: photos and videos at their shape (tall ones narrower), PDFs show the top of page 1.
    readonly property real mediaAreaWidth: isPdf ? boxWidth : Math.max(120, Math.min(boxWidth, 340 * aspect))
    readonly property real mediaAreaHeight: isPdf ? (hasPreview ? 150 : 0)
                                          : (!hasPreview && !isVideo) ? 0
                                          : Math.max(90, Math.min(340, mediaAreaWidth / aspect))
    readonly property string kindWord: isPdf ? qsTr("PDF") : isVideo ? qsTr("Video") : qsTr("Photo")
    /// "Photo", or "Photo 2 of 3" in a message with several files.
    readonly property string placeText: count > 1 ? qsTr("%1 %2 of %3").arg(kindWord).arg(position + 1).arg(count)
                                                  : kindWord
    readonly property string detailText: {
        const parts = []
        if (isPdf && pages > 0)
            parts.push(pages === 1 ? qsTr("1 page") : qsTr("%1 pages").arg(pages))
        if (isVideo && durationText.length > 0)
            parts.push(durationText)
        if (sizeText.length > 0)
            parts.push(sizeText)
        return parts.join(" · ")
    }

    implicitWidth: column.implicitWidth
    implicitHeight: column.implicitHeight
    activeFocusOnTab: true
    Accessible.role: Accessible.Button
    Accessible.name: placeText + ", " + name + (detailText.length > 0 ? ", " + detailText : "")
                     + (busy ? ", " + ring.Accessible.name : "") + (failed ? ". " + error : "")
    Keys.onReturnPressed: card.openRequested()
    Keys.onSpacePressed: card.openRequested()

    ColumnLayout {
        id: column
        width: Math.max(card.mediaAreaWidth, implicitWidth)
        spacing: 0

        Rectangle {
            id: media
            objectName: "attachmentMedia"
            Layout.preferredWidth: card.mediaAreaWidth
            Layout.preferredHeight: card.mediaAreaHeight
            visible: card.mediaAreaHeight > 0
            radius: 10
            clip: true
            color: card.isVideo ? "#11181B" : card.isPdf ? Theme.surface : Theme.mutedBubble
            border.width: card.isPdf ? 1 : 0
            border.color: Theme.divider

            Image {
                id: preview
                objectName: "attachmentPreview"
                anchors.fill: parent
                anchors.margins: card.isPdf ? 1 : 0
                source: card.thumbnail
                sourceSize.width: Math.ceil(card.boxWidth * Screen.devicePixelRatio)
                fillMode: Image.PreserveAspectCrop
                // A PDF shows the top of its first page, where the title is.
                verticalAlignment: card.isPdf ? Image.AlignTop : Image.AlignVCenter
                asynchronous: true
                smooth: true
                // Dimmed while the file is on its way, like a photo developing.
                opacity: card.busy || card.failed ? 0.55 : 1
            }

            Rectangle {
                // ▶ on a video that is not on its way.
                objectName: "playBadge"
                anchors.centerIn: parent
                width: 52
                height: 52
                radius: 26
                visible: card.isVideo && !card.busy
                color: "#99000000"
                Icon {
                    anchors.centerIn: parent
                    anchors.horizontalCenterOffset: 2
                    iconName: "play"
                    size: 24
                    color: "white"
                }
            }

            Rectangle {
                // Rounds the picture's corners: a ring of the bubble's colour over them (clip is square, and
                // Qt 6.4 has no mask effect without an extra module).
                anchors.fill: parent
                anchors.margins: -4
                radius: parent.radius + 4
                color: "transparent"
                border.width: 4
                border.color: card.cornerColor
                visible: !card.isPdf
            }

            Label {
                // How long and how big a photo or video is, on the picture itself.
                objectName: "mediaPill"
                anchors.left: parent.left
                anchors.bottom: parent.bottom
                anchors.margins: 8
                visible: !card.isPdf && text.length > 0
                text: card.detailText
                color: "white"
                font.pixelSize: Theme.smallFontSize - 1
                leftPadding: 7
                rightPadding: 7
                topPadding: 2
                bottomPadding: 2
                background: Rectangle { radius: height / 2; color: "#8C000000" }
            }
        }

        RowLayout {
            // A PDF (or a photo or video sent without a thumbnail): icon, name and details.
            objectName: "attachmentInfo"
            Layout.preferredWidth: card.isPdf || card.mediaAreaHeight === 0 ? card.boxWidth : card.mediaAreaWidth
            Layout.topMargin: media.visible ? 6 : 2
            Layout.leftMargin: 4
            // Room for the ring, which sits at the row's end when there is no picture.
            Layout.rightMargin: overlay.visible && !media.visible ? overlay.width + 6 : 4
            visible: card.isPdf || card.mediaAreaHeight === 0
            spacing: Theme.spacing

            Rectangle {
                Layout.preferredWidth: 36
                Layout.preferredHeight: 36
                Layout.alignment: Qt.AlignTop
                radius: Theme.radius
                color: card.isPdf ? Theme.dangerSoft : Theme.accentSoft
                Icon {
                    anchors.centerIn: parent
                    iconName: card.isPdf ? "document" : card.isVideo ? "video" : "photo"
                    size: 20
                    color: card.isPdf ? Theme.danger : Theme.accent
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 1
                Label {
                    objectName: "attachmentName"
                    Layout.fillWidth: true
                    text: card.name
                    textFormat: Text.PlainText
                    elide: Text.ElideMiddle
                    maximumLineCount: 1
                    color: card.overAccent ? Theme.textOnAccent : Theme.text
                    font.pixelSize: Theme.fontSize
                    font.weight: Font.DemiBold
                }
                Label {
                    objectName: "attachmentDetail"
                    Layout.fillWidth: true
                    text: card.detailText
                    elide: Text.ElideRight
                    color: card.overAccent ? Theme.textOnAccentMuted : Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize
                }
            }
        }

        Rectangle {
            // On its own light strip, so the sentence reads on my accent bubble too.
            objectName: "attachmentFailure"
            Layout.preferredWidth: card.isPdf || card.mediaAreaHeight === 0 ? card.boxWidth : card.mediaAreaWidth
            Layout.preferredHeight: failureRow.implicitHeight + 12
            Layout.topMargin: 6
            visible: card.failed
            radius: 8
            color: Theme.dangerSoft
            RowLayout {
                id: failureRow
                x: 8
                y: 6
                width: parent.width - 16
                spacing: 6
                Icon {
                    Layout.alignment: Qt.AlignTop
                    iconName: "warning"
                    size: 16
                    color: Theme.danger
                }
                Label {
                    objectName: "attachmentError"
                    Layout.fillWidth: true
                    text: card.error.length > 0 ? card.error
                          : card.pending ? qsTr("This file could not be sent.")
                          : qsTr("This file could not be downloaded.")
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                    color: Theme.danger
                    font.pixelSize: Theme.smallFontSize
                }
            }
        }
    }

    TapHandler {
        // Opening waits for the upload; a failed download is tried again.
        enabled: !card.busy && !(card.pending && card.failed)
        onTapped: card.openRequested()
    }
    HoverHandler {
        cursorShape: card.busy ? Qt.ArrowCursor : Qt.PointingHandCursor
    }

    Item {
        id: overlay
        // The ring sits on the picture, or at the end of the info row when there is no picture.
        objectName: "transferOverlay"
        x: media.visible ? (media.width - width) / 2 : card.width - width - 2
        y: media.visible ? (media.height - height) / 2 : 0
        width: 48
        height: 48
        visible: card.busy || (card.pending && card.failed)

        Rectangle {
            anchors.fill: parent
            radius: width / 2
            color: media.visible ? "#99000000" : card.overAccent ? Theme.accentPressed : Theme.accentSoft
        }
        ProgressRing {
            id: ring
            objectName: "progressRing"
            anchors.fill: parent
            anchors.margins: 3
            visible: card.busy
            progress: card.progress
            color: media.visible || card.overAccent ? "white" : Theme.accent
        }
        AbstractButton {
            id: cancelButton
            objectName: "cancelButton"
            anchors.fill: parent
            focusPolicy: Qt.StrongFocus
            Accessible.name: card.transferState === AttachmentState.Downloading ? qsTr("Stop download")
                             : card.failed ? qsTr("Remove") : qsTr("Cancel upload")
            ToolTip.visible: hovered
            ToolTip.delay: 600
            ToolTip.text: Accessible.name
            onClicked: card.cancelRequested()
            contentItem: Item {
                Icon {
                    anchors.centerIn: parent
                    iconName: "close"
                    size: 18
                    color: media.visible || card.overAccent ? "white" : Theme.accent
                }
            }
            background: FocusRing { shown: cancelButton.visualFocus }
        }
    }

    FocusRing { shown: card.activeFocus }
}
