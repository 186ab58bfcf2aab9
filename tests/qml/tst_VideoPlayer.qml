// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch

// The video player on a real clip (sampleVideoUrl: ten seconds of WebM made with GStreamer in
// tst_qml_components.cpp): it plays when loaded, shows its length and position, pauses and plays again from the
// button and Space, and says so when a file cannot be played.
Item {
    id: scene
    width: 600
    height: 400

    Component {
        id: playerComponent
        VideoPlayer {
            width: scene.width
            height: scene.height
        }
    }

    TestCase {
        name: "VideoPlayer"
        when: windowShown

        function test_playsPausesAndShowsTime() {
            if (String(sampleVideoUrl).length === 0)
                skip("gst-launch-1.0 (gstreamer1.0-tools) is not installed: no sample video")
            const player = createTemporaryObject(playerComponent, scene, { source: sampleVideoUrl, durationText: "0:10" })
            compare(findChild(player, "durationLabel").text, "0:10", "the sender's length shows before the file loads")
            tryVerify(() => player.playing, 10000, "it plays once loaded")
            compare(player.errorText, "")
            tryCompare(findChild(player, "durationLabel"), "text", "0:10")
            const media = findChild(player, "mediaPlayer")
            tryVerify(() => media.position > 0, 5000)
            compare(findChild(player, "playButton").label, "Pause")
            mouseClick(findChild(player, "playButton"))
            tryVerify(() => !player.playing, 5000)
            compare(findChild(player, "playButton").label, "Play")
            player.forceActiveFocus()
            keyClick(Qt.Key_Space)
            tryVerify(() => player.playing, 5000, "Space plays again")
            verify(findChild(player, "seekSlider").to >= 9900)
            player.stop()
        }

        function test_aFileThatIsNotAVideoSaysSo() {
            const player = createTemporaryObject(playerComponent, scene, { source: samplePdfUrl })
            tryVerify(() => player.errorText.length > 0, 10000)
            verify(findChild(player, "videoError").visible)
            verify(player.errorText.indexOf("Save a copy") >= 0)
            verify(!findChild(player, "playButton").enabled)
        }
    }
}
