// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The full-window viewer of a message's file, over the whole app: a bar with the name, "Save a copy" and
// close, then the photo (ImageViewer), the video (VideoPlayer) or the PDF (PdfViewer) once it is downloaded
// and decrypted; progress with Stop while it downloads, the sentence when that failed, with "Try again" when
// another try can help.
// Esc or ✕ closes it, and closing releases the decrypted copy (its private temporary file is removed).
Popup {
    id: host

    /// App.attachments (AttachmentViewer): what is open and how far its download got.
    property var controller: null

    /// The open file's AttachmentKind, and where its download stands (an AttachmentState).
    readonly property int kind: controller ? controller.kind : AttachmentKind.None
    readonly property int state_: controller ? controller.state : AttachmentState.None
    readonly property bool isPdf: kind === AttachmentKind.Pdf
    readonly property bool narrow: width < Theme.wideBreakpoint

    /// Opens a message's file (index: its place in the message, from 0): the viewer shows at once and fills in
    /// when the download is done.
    function show(messageId, index) {
        if (!controller)
            return
        controller.open(messageId, index)
        open()
    }

    parent: Overlay.overlay
    x: 0
    y: 0
    width: parent ? parent.width : 0
    height: parent ? parent.height : 0
    modal: true
    focus: true
    padding: 0
    closePolicy: Popup.CloseOnEscape
    Overlay.modal: Rectangle { color: "#CC0B1113" }
    background: Rectangle { color: host.isPdf ? Theme.window : "#0E1416" }

    onOpened: content.forceActiveFocus()
    // The download was stopped from the thread's card: nothing is left to show.
    onState_Changed: if (visible && state_ === AttachmentState.None) close()
    onClosed: {
        if (controller)
            controller.release()
    }

    contentItem: FocusScope {
        id: content
        Accessible.role: Accessible.Dialog
        Accessible.name: host.controller ? host.controller.name : ""

        ColumnLayout {
            anchors.fill: parent
            spacing: 0

            Rectangle {
                objectName: "viewerBar"
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.headerHeight - 4
                color: host.isPdf ? Theme.surface : "#151D20"
                Rectangle {
                    anchors.bottom: parent.bottom
                    width: parent.width
                    height: 1
                    color: host.isPdf ? Theme.divider : "#243033"
                }

                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.gap
                    anchors.rightMargin: Theme.spacing
                    spacing: Theme.gap

                    IconButton {
                        objectName: "closeViewer"
                        iconName: host.narrow ? "back" : "close"
                        label: qsTr("Close")
                        iconColor: host.isPdf ? Theme.textSecondary : "white"
                        onClicked: host.close()
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 0
                        Label {
                            objectName: "viewerTitle"
                            Layout.fillWidth: true
                            text: host.controller ? host.controller.name : ""
                            textFormat: Text.PlainText
                            elide: Text.ElideMiddle
                            color: host.isPdf ? Theme.text : "white"
                            font.pixelSize: Theme.fontSize
                            font.weight: Font.DemiBold
                        }
                        Label {
                            Layout.fillWidth: true
                            text: host.controller ? host.controller.sizeText : ""
                            elide: Text.ElideRight
                            color: host.isPdf ? Theme.textSecondary : "#AFC0C2"
                            font.pixelSize: Theme.smallFontSize
                        }
                    }
                    IconButton {
                        objectName: "zoomOutImage"
                        visible: host.kind === AttachmentKind.Image && !host.narrow && loader.item !== null
                        iconName: "zoom-out"
                        label: qsTr("Zoom out")
                        iconColor: "white"
                        onClicked: (loader.item as ImageViewer).zoomBy(1 / 1.5)
                    }
                    IconButton {
                        objectName: "zoomInImage"
                        visible: host.kind === AttachmentKind.Image && !host.narrow && loader.item !== null
                        iconName: "zoom-in"
                        label: qsTr("Zoom in")
                        iconColor: "white"
                        onClicked: (loader.item as ImageViewer).zoomBy(1.5)
                    }
                    IconButton {
                        objectName: "saveCopy"
                        iconName: "download"
                        label: qsTr("Save a copy")
                        iconColor: host.isPdf ? Theme.textSecondary : "white"
                        // One copy at a time: the next waits until the last is written.
                        enabled: host.state_ === AttachmentState.Ready && !(host.controller && host.controller.saving)
                        onClicked: {
                            saveDialog.selectedFile = host.controller.suggestedSaveUrl(host.controller.messageId,
                                                                                       host.controller.index)
                            saveDialog.open()
                        }
                    }
                }
            }

            Label {
                // What happened to "Save a copy": where it went, or why it could not be saved.
                objectName: "saveMessage"
                Layout.fillWidth: true
                visible: text.length > 0
                text: host.controller ? host.controller.saveMessage : ""
                wrapMode: Text.Wrap
                padding: Theme.spacing
                leftPadding: Theme.margin
                color: host.controller && host.controller.saveFailed ? Theme.danger : Theme.text
                background: Rectangle {
                    color: host.controller && host.controller.saveFailed ? Theme.dangerSoft : Theme.accentSofter
                }
            }

            Item {
                Layout.fillWidth: true
                Layout.fillHeight: true

                Loader {
                    id: loader
                    objectName: "viewerLoader"
                    anchors.fill: parent
                    focus: true
                    active: host.visible && host.state_ === AttachmentState.Ready
                    // Qt PDF and Qt Multimedia are loaded only when needed: the thread works without them.
                    source: !active ? ""
                          : host.kind === AttachmentKind.Image ? Qt.resolvedUrl("ImageViewer.qml")
                          : host.kind === AttachmentKind.Video ? Qt.resolvedUrl("VideoPlayer.qml")
                          : host.kind === AttachmentKind.Pdf ? Qt.resolvedUrl("PdfViewer.qml") : ""
                    onLoaded: {
                        item.source = Qt.binding(() => host.controller ? host.controller.source : "")
                        if (host.kind === AttachmentKind.Image)
                            item.placeholder = Qt.binding(() => host.controller ? host.controller.thumbnail : "")
                        item.forceActiveFocus()
                    }
                }

                Label {
                    objectName: "viewerUnavailable"
                    anchors.centerIn: parent
                    width: Math.min(parent.width - 2 * Theme.margin, 420)
                    visible: loader.status === Loader.Error
                    text: host.isPdf ? qsTr("PDFs cannot be shown on this device. Save a copy to open it in another app.")
                                     : qsTr("Videos cannot be played on this device. Save a copy to open it in another app.")
                    wrapMode: Text.Wrap
                    horizontalAlignment: Text.AlignHCenter
                    color: host.isPdf ? Theme.textSecondary : "white"
                }

                Image {
                    // The sender's thumbnail while the file is on its way.
                    anchors.centerIn: parent
                    width: Math.min(parent.width, 360)
                    height: implicitWidth > 0 ? width * implicitHeight / implicitWidth : 0
                    visible: host.state_ === AttachmentState.Downloading && String(source).length > 0
                    source: host.controller && host.state_ === AttachmentState.Downloading ? host.controller.thumbnail : ""
                    opacity: 0.35
                }

                ColumnLayout {
                    objectName: "downloadState"
                    anchors.centerIn: parent
                    width: Math.min(parent.width - 2 * Theme.margin, 420)
                    visible: host.state_ === AttachmentState.Downloading || host.state_ === AttachmentState.Failed
                    spacing: Theme.margin

                    ProgressRing {
                        Layout.alignment: Qt.AlignHCenter
                        Layout.preferredWidth: 56
                        Layout.preferredHeight: 56
                        visible: host.state_ === AttachmentState.Downloading
                        progress: host.controller ? host.controller.progress : 0
                        color: host.isPdf ? Theme.accent : "white"
                    }
                    Label {
                        objectName: "downloadText"
                        Layout.fillWidth: true
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.Wrap
                        text: host.state_ === AttachmentState.Failed ? (host.controller ? host.controller.error : "")
                                                       : qsTr("Downloading and decrypting…")
                        color: host.state_ === AttachmentState.Failed ? (host.isPdf ? Theme.danger : "#FFB4AB")
                                                        : (host.isPdf ? Theme.textSecondary : "white")
                    }
                    RowLayout {
                        Layout.alignment: Qt.AlignHCenter
                        spacing: Theme.spacing
                        SecondaryButton {
                            objectName: "stopDownload"
                            visible: host.state_ === AttachmentState.Downloading
                            text: qsTr("Stop")
                            onClicked: host.close()
                        }
                        PrimaryButton {
                            objectName: "retryDownload"
                            // A damaged or removed file would fail the same way again.
                            visible: host.state_ === AttachmentState.Failed && host.controller && host.controller.canRetry
                            text: qsTr("Try again")
                            onClicked: host.controller.open(host.controller.messageId, host.controller.index)
                        }
                    }
                }
            }
        }
    }

    FilePicker {
        id: saveDialog
        objectName: "saveAttachmentDialog"
        title: qsTr("Save a copy")
        fileMode: FilePicker.SaveFile
        onAccepted: host.controller.saveCopy(host.controller.messageId, host.controller.index, selectedFile)
    }
}
