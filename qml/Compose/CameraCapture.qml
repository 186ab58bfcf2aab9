// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtMultimedia
import Larch

// Takes a photo or records a video with this device's camera, into the app's private folder, for the compose
// bar. Without a camera it says so and offers the photo library instead.
Rectangle {
    id: root

    /// The compose bar's attachments (ComposeAttachmentModel): where a capture is written (capturePath).
    property var attachments: null
    /// "photo" or "video".
    property string mode: "photo"
    /// There is at least one camera; the capture controls show only then.
    readonly property bool hasCamera: devices.videoInputs.length > 0
    /// One sentence when the camera or the capture failed; "" otherwise.
    property string errorText: ""

    /// A photo or video was written (a path or a file URL); the bar adds it as a chip.
    signal captured(string location)
    /// The person chose the library instead (no camera, or changed their mind).
    signal libraryRequested()
    /// The person closed the camera.
    signal closeRequested()

    color: hasCamera ? "#000000" : Theme.surface
    focus: true
    Keys.onEscapePressed: root.closeRequested()

    MediaDevices { id: devices }

    // No camera: one sentence and the way forward.
    ColumnLayout {
        objectName: "noCamera"
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, 340)
        visible: !root.hasCamera
        spacing: Theme.padding

        Rectangle {
            Layout.alignment: Qt.AlignHCenter
            width: 64
            height: 64
            radius: 32
            color: Theme.accentSoft
            Icon {
                anchors.centerIn: parent
                iconName: "camera"
                size: 28
                color: Theme.accent
            }
        }
        Label {
            objectName: "noCameraText"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: qsTr("No camera found on this device. Choose a photo or video from your library instead.")
            color: Theme.text
            font.pixelSize: Theme.fontSize
        }
        PrimaryButton {
            objectName: "cameraLibraryButton"
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Choose from library")
            onClicked: root.libraryRequested()
        }
    }

    // The camera exists only while this page is shown, so its light is off otherwise.
    Loader {
        anchors.fill: parent
        active: root.hasCamera
        // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
        // qmllint disable unqualified
        sourceComponent: Item {
            CaptureSession {
                id: session
                camera: Camera {
                    id: camera
                    cameraDevice: devices.defaultVideoInput
                    active: true
                    onErrorOccurred: (error, errorString) =>
                        root.errorText = qsTr("The camera can't be used now. Close other apps that use it and try again.")
                }
                imageCapture: ImageCapture {
                    id: imageCapture
                    onImageSaved: (requestId, fileName) => root.captured(fileName)
                    onErrorOccurred: (requestId, error, message) =>
                        root.errorText = qsTr("The photo could not be saved. Try again.")
                }
                recorder: MediaRecorder {
                    id: recorder
                    onRecorderStateChanged: {
                        if (recorderState === MediaRecorder.StoppedState && String(actualLocation).length > 0)
                            root.captured(String(actualLocation))
                    }
                    onErrorOccurred: (error, errorString) =>
                        root.errorText = qsTr("The video could not be recorded. Try again.")
                }
                audioInput: root.mode === "video" ? microphone : null
                videoOutput: viewfinder
            }
            AudioInput { id: microphone }

            VideoOutput {
                id: viewfinder
                anchors.fill: parent
                fillMode: VideoOutput.PreserveAspectFit
            }

            Label {
                anchors.top: parent.top
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.topMargin: Theme.margin
                width: Math.min(parent.width - 2 * Theme.margin, 420)
                visible: root.errorText.length > 0
                text: root.errorText
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                color: Theme.danger
                padding: Theme.spacing
                background: Rectangle { color: Theme.dangerSoft; radius: Theme.radius }
            }

            RowLayout {
                anchors.bottom: parent.bottom
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.bottomMargin: Theme.margin
                spacing: Theme.margin

                SecondaryButton {
                    text: root.mode === "photo" ? qsTr("Video") : qsTr("Photo")
                    enabled: recorder.recorderState !== MediaRecorder.RecordingState
                    onClicked: root.mode = root.mode === "photo" ? "video" : "photo"
                }
                RoundButton {
                    id: shutter
                    objectName: "cameraShutter"
                    implicitWidth: 64
                    implicitHeight: 64
                    readonly property bool recording: recorder.recorderState === MediaRecorder.RecordingState
                    enabled: root.mode === "video" || imageCapture.readyForCapture
                    Accessible.name: root.mode === "photo" ? qsTr("Take photo")
                                   : recording ? qsTr("Stop recording") : qsTr("Record video")
                    onClicked: {
                        root.errorText = ""
                        if (root.mode === "photo") {
                            imageCapture.captureToFile(root.attachments ? root.attachments.capturePath("jpg") : "")
                        } else if (recording) {
                            recorder.stop()
                        } else {
                            if (root.attachments)
                                recorder.outputLocation = root.attachments.captureUrl("mp4")
                            recorder.record()
                        }
                    }
                    background: Rectangle {
                        radius: width / 2
                        color: shutter.recording ? Theme.danger : "#FFFFFF"
                        border.width: 4
                        border.color: Theme.accent
                    }
                }
                SecondaryButton {
                    text: qsTr("Library")
                    onClicked: root.libraryRequested()
                }
            }
        }
        // qmllint enable unqualified
    }

    IconButton {
        objectName: "cameraClose"
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: Theme.spacing
        iconName: "close"
        iconColor: root.hasCamera ? "#FFFFFF" : Theme.textSecondary
        label: qsTr("Close camera")
        onClicked: root.closeRequested()
    }
}
