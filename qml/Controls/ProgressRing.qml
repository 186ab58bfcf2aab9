// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import Larch

// A round progress indicator for transfers: an arc that fills as bytes move, or a turning arc while the
// amount is not known yet (progress 0).
Item {
    id: ring

    /// 0..1; 0 turns an indeterminate arc.
    property real progress: 0
    /// The colour of the filled arc; the track is a faint version of it.
    property color color: Theme.textOnAccent
    property color trackColor: Qt.rgba(color.r, color.g, color.b, 0.3)
    property real lineWidth: 3
    /// Whether the ring animates (off when hidden, so it costs nothing).
    property bool running: visible

    implicitWidth: 44
    implicitHeight: 44
    Accessible.role: Accessible.ProgressBar
    Accessible.name: progress > 0 ? qsTr("%1 percent").arg(Math.round(progress * 100)) : qsTr("Starting")

    Canvas {
        id: canvas
        anchors.fill: parent
        // The indeterminate arc turns with the canvas; a determinate one starts at twelve o'clock.
        rotation: ring.progress > 0 ? 0 : spin.angle
        onPaint: {
            const ctx = getContext("2d")
            ctx.reset()
            const r = Math.min(width, height) / 2 - ring.lineWidth
            ctx.lineWidth = ring.lineWidth
            ctx.lineCap = "round"
            ctx.strokeStyle = ring.trackColor
            ctx.beginPath()
            ctx.arc(width / 2, height / 2, r, 0, 2 * Math.PI)
            ctx.stroke()
            const share = ring.progress > 0 ? Math.min(1, ring.progress) : 0.25
            ctx.strokeStyle = ring.color
            ctx.beginPath()
            ctx.arc(width / 2, height / 2, r, -Math.PI / 2, -Math.PI / 2 + share * 2 * Math.PI)
            ctx.stroke()
        }
    }

    QtObject {
        id: spin
        property real angle: 0
    }
    NumberAnimation {
        target: spin
        property: "angle"
        from: 0
        to: 360
        duration: 1100
        loops: Animation.Infinite
        running: ring.running && ring.progress <= 0
    }

    onProgressChanged: canvas.requestPaint()
    onColorChanged: canvas.requestPaint()
    onWidthChanged: canvas.requestPaint()
}
