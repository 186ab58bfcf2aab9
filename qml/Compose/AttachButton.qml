// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch
import Larch.Models

// The compose bar's "+": Camera, Photo or video (library) and PDF (file picker), on phones and desktops alike.
IconButton {
    id: root

    /// The compose bar's attachments (ComposeAttachmentModel); chosen and captured files are added to it.
    property var attachments: null

    /// Files were chosen or captured (already handed to `attachments`).
    signal filesAdded()

    /// Opens the menu above the button (the compose bar sits at the bottom of the window).
    function openMenu() { menu.open() }
    /// Shows the camera page (or, without a camera, its sentence and the library button).
    function openCamera() { camera.open() }
    function openLibrary() { libraryDialog.open() }
    function openPdfPicker() { pdfDialog.open() }

    function addFiles(urls) {
        if (root.attachments && urls.length > 0) {
            root.attachments.add(urls)
            root.filesAdded()
        }
    }

    objectName: "attachButton"
    iconName: "plus"
    label: qsTr("Add attachment")
    popup: menu
    Accessible.role: Accessible.ButtonMenu
    onClicked: openMenu()

    LarchMenu {
        id: menu
        objectName: "attachMenu"
        preferredWidth: 220
        y: -height - Theme.gap

        LarchMenuItem {
            objectName: "attachCamera"
            text: qsTr("Camera")
            iconName: "camera"
            onTriggered: root.openCamera()
        }
        LarchMenuItem {
            objectName: "attachLibrary"
            text: qsTr("Photo or video")
            iconName: "photo"
            onTriggered: root.openLibrary()
        }
        LarchMenuItem {
            objectName: "attachPdf"
            text: qsTr("PDF")
            iconName: "document"
            onTriggered: root.openPdfPicker()
        }
    }

    // The filters only guide the picker; the compose bar still checks each file's content.
    FilePicker {
        id: libraryDialog
        objectName: "libraryDialog"
        title: qsTr("Choose photos or videos")
        fileMode: FilePicker.OpenFiles
        nameFilters: [qsTr("Photos and videos (*.jpg *.jpeg *.png *.heic *.heif *.webp *.gif *.mp4 *.m4v *.mov *.webm)")]
        onAccepted: root.addFiles(selectedFiles)
    }

    FilePicker {
        id: pdfDialog
        objectName: "pdfDialog"
        title: qsTr("Choose PDFs")
        fileMode: FilePicker.OpenFiles
        nameFilters: [qsTr("PDF documents (*.pdf)")]
        onAccepted: root.addFiles(selectedFiles)
    }

    // Full window on a phone, a large card on a desktop.
    Popup {
        id: camera
        objectName: "cameraPopup"
        parent: Overlay.overlay
        modal: true
        focus: true
        padding: 0
        x: parent ? Math.round((parent.width - width) / 2) : 0
        y: parent ? Math.round((parent.height - height) / 2) : 0
        readonly property bool phone: parent ? parent.width < Theme.wideBreakpoint : true
        width: !parent ? 0 : phone ? parent.width : Math.min(parent.width - 2 * Theme.margin, 900)
        height: !parent ? 0 : phone ? parent.height : Math.min(parent.height - 2 * Theme.margin, 680)
        Overlay.modal: Rectangle { color: Theme.scrim }
        background: Rectangle { color: Theme.surface; radius: camera.phone ? 0 : Theme.radius }

        contentItem: Loader {
            // Built on opening and destroyed on closing, so the camera runs only while it is seen.
            active: camera.opened || camera.visible
            sourceComponent: CameraCapture {
                // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
                // qmllint disable unqualified
                objectName: "cameraCapture"
                attachments: root.attachments
                onCaptured: (location) => {
                    if (root.attachments) {
                        root.attachments.addCaptured(location)
                        root.filesAdded()
                    }
                    camera.close()
                }
                onLibraryRequested: {
                    camera.close()
                    root.openLibrary()
                }
                onCloseRequested: camera.close()
                // qmllint enable unqualified
            }
        }
    }
}
