// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtMultimedia
import Larch

// A video from a private temporary file: the picture, play/pause, a seek bar and the time. Space plays and
// pauses, the arrow keys skip five seconds. Playback stops when the viewer closes.
FocusScope {
    id: player

    /// The decrypted video (file:// URL of a private temporary file).
    property url source
    /// The length the sender measured ("1:05"), shown until the player knows better.
    property string durationText
    /// Play as soon as the video is loaded.
    property bool autoPlay: true
    readonly property bool playing: media.playbackState === MediaPlayer.PlayingState
    /// Why the video cannot play; "" while it can.
    readonly property string errorText: media.error === MediaPlayer.NoError ? "" : media.errorString.length > 0
        ? qsTr("This video cannot be played here (%1). Save a copy to open it in another app.").arg(media.errorString)
        : qsTr("This video cannot be played here. Save a copy to open it in another app.")

    /// "1:05" of milliseconds.
    function timeText(ms) {
        const total = Math.max(0, Math.round(ms / 1000))
        const h = Math.floor(total / 3600), m = Math.floor(total / 60) % 60, s = total % 60
        const ss = (s < 10 ? "0" : "") + s
        return h > 0 ? h + ":" + (m < 10 ? "0" : "") + m + ":" + ss : m + ":" + ss
    }
    function togglePlay() {
        if (playing)
            media.pause()
        else
            media.play()
    }
    function stop() { media.stop() }

    Keys.onSpacePressed: togglePlay()
    // Qt 6.4's qmllint cannot read MediaPlayer's qlonglong position and duration (docs/development.md, "qmllint").
    // qmllint disable type
    Keys.onLeftPressed: media.position = Math.max(0, media.position - 5000)
    Keys.onRightPressed: media.position = Math.min(media.duration, media.position + 5000)
    // qmllint enable type
    Component.onDestruction: media.stop()

    MediaPlayer {
        id: media
        objectName: "mediaPlayer"
        source: player.source
        videoOutput: output
        audioOutput: AudioOutput { id: audio }
        onMediaStatusChanged: {
            if (mediaStatus === MediaPlayer.LoadedMedia && player.autoPlay)
                play()
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            VideoOutput {
                id: output
                anchors.fill: parent
                fillMode: VideoOutput.PreserveAspectFit
            }
            TapHandler { onTapped: player.togglePlay() }

            Rectangle {
                // A big ▶ while paused, so a tap anywhere reads as "play".
                anchors.centerIn: parent
                width: 72
                height: 72
                radius: 36
                color: "#99000000"
                visible: !player.playing && player.errorText.length === 0
                Icon {
                    anchors.centerIn: parent
                    anchors.horizontalCenterOffset: 3
                    iconName: "play"
                    size: 32
                    color: "white"
                }
            }

            Label {
                objectName: "videoError"
                anchors.centerIn: parent
                width: Math.min(parent.width - 2 * Theme.margin, 420)
                visible: text.length > 0
                text: player.errorText
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                color: "white"
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.margin
            Layout.topMargin: Theme.gap
            Layout.bottomMargin: Theme.spacing
            spacing: Theme.spacing

            IconButton {
                objectName: "playButton"
                iconName: player.playing ? "pause" : "play"
                label: player.playing ? qsTr("Pause") : qsTr("Play")
                iconColor: "white"
                enabled: player.errorText.length === 0
                onClicked: player.togglePlay()
            }
            // Qt 6.4's qmllint cannot read MediaPlayer's qlonglong position and duration (docs/development.md, "qmllint").
            // qmllint disable type
            Label {
                objectName: "positionLabel"
                text: player.timeText(media.position)
                color: "white"
                font.pixelSize: Theme.smallFontSize
            }
            Slider {
                id: seek
                objectName: "seekSlider"
                Layout.fillWidth: true
                from: 0
                to: Math.max(1, media.duration)
                value: media.position
                enabled: media.seekable
                Accessible.name: qsTr("Position")
                onMoved: media.position = value
            }
            Label {
                objectName: "durationLabel"
                text: media.duration > 0 ? player.timeText(media.duration) : player.durationText
                color: "white"
                font.pixelSize: Theme.smallFontSize
            }
            // qmllint enable type
        }
    }
}
