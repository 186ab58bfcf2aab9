// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A photo filling the viewer: fitted at first; wheel, pinch or a double-click zoom in where the pointer is,
// dragging pans, the keyboard zooms with + and - and goes back to fitted with 0.
FocusScope {
    id: viewer

    /// The decrypted photo (image://attachment/full/<message id>).
    property url source
    /// The sender's thumbnail, shown blurred-small until the photo has decoded.
    property url placeholder
    /// How much larger than fitted the photo is drawn (1 = the whole photo fits).
    property real zoom: 1
    readonly property real maxZoom: 8
    /// The photo's own size in pixels (0 until it has decoded).
    readonly property size naturalSize: Qt.size(photo.implicitWidth, photo.implicitHeight)
    /// Scale from the photo's pixels to the screen when fitted: small photos are not blown up past twice.
    readonly property real fitScale: naturalSize.width > 0 && naturalSize.height > 0
                                     ? Math.min(flick.width / naturalSize.width, flick.height / naturalSize.height, 2)
                                     : 1
    readonly property bool ready: photo.status === Image.Ready

    /// Zooms to `level`, keeping the photo's point under (px, py) of the view where it was.
    function zoomAt(level, px, py) {
        const next = Math.max(1, Math.min(maxZoom, level))
        if (Math.abs(next - zoom) < 0.0001 || photo.width <= 0)
            return
        const fx = (flick.contentX + px - photo.x) / photo.width
        const fy = (flick.contentY + py - photo.y) / photo.height
        zoom = next
        flick.contentX = Math.max(0, Math.min(flick.contentWidth - flick.width, photo.x + fx * photo.width - px))
        flick.contentY = Math.max(0, Math.min(flick.contentHeight - flick.height, photo.y + fy * photo.height - py))
    }
    /// Double-click: in where it happened, or back to fitted.
    function toggleZoomAt(p) {
        if (zoom > 1.001)
            fit()
        else
            zoomAt(2.5, p.x, p.y)
    }
    /// Zooms around the middle of the view (buttons and keys).
    function zoomBy(factor) { zoomAt(zoom * factor, flick.width / 2, flick.height / 2) }
    function fit() {
        zoom = 1
        flick.contentX = 0
        flick.contentY = 0
    }

    onSourceChanged: fit()
    Keys.onPressed: (event) => {
        if (event.key === Qt.Key_Plus || event.key === Qt.Key_Equal) {
            zoomBy(1.5)
            event.accepted = true
        } else if (event.key === Qt.Key_Minus) {
            zoomBy(1 / 1.5)
            event.accepted = true
        } else if (event.key === Qt.Key_0) {
            fit()
            event.accepted = true
        }
    }
    Accessible.role: Accessible.Graphic

    Flickable {
        id: flick
        objectName: "imageFlick"
        anchors.fill: parent
        clip: true
        contentWidth: Math.max(width, photo.width)
        contentHeight: Math.max(height, photo.height)
        boundsBehavior: Flickable.StopAtBounds
        // Fitted, there is nothing to pan; zoomed, a drag moves the photo.
        interactive: viewer.zoom > 1.001
        ScrollBar.horizontal: ScrollBar { policy: viewer.zoom > 1.001 ? ScrollBar.AsNeeded : ScrollBar.AlwaysOff }
        ScrollBar.vertical: ScrollBar { policy: viewer.zoom > 1.001 ? ScrollBar.AsNeeded : ScrollBar.AlwaysOff }

        Item {
            id: stage
            width: flick.contentWidth
            height: flick.contentHeight

            Image {
                id: photo
                objectName: "photo"
                width: implicitWidth * viewer.fitScale * viewer.zoom
                height: implicitHeight * viewer.fitScale * viewer.zoom
                x: (stage.width - width) / 2
                y: (stage.height - height) / 2
                source: viewer.source
                // A full photo is large: it is decoded once for the viewer and not kept in the image cache.
                cache: false
                asynchronous: true
                smooth: true
                mipmap: true
                fillMode: Image.Stretch
            }

            Image {
                // Until the photo decodes, its thumbnail stands in at the same place.
                anchors.centerIn: parent
                width: Math.min(flick.width, flick.height * (implicitHeight > 0 ? implicitWidth / implicitHeight : 1))
                height: implicitWidth > 0 ? width * implicitHeight / implicitWidth : 0
                source: viewer.placeholder
                visible: !viewer.ready && String(viewer.placeholder).length > 0
                opacity: 0.6
                smooth: true
            }

            MouseArea {
                // A double-click zooms in where it happened, and back to fitted. (A MouseArea, not a TapHandler:
                // Qt 6.4's TapHandler counts no double taps from mice in tests; touch has its own handler below.)
                objectName: "zoomArea"
                anchors.fill: parent
                cursorShape: viewer.zoom > 1.001 ? (pressed ? Qt.ClosedHandCursor : Qt.OpenHandCursor) : Qt.ArrowCursor
                onDoubleClicked: (mouse) => viewer.toggleZoomAt(stage.mapToItem(flick, mouse.x, mouse.y))
            }
            TapHandler {
                acceptedDevices: PointerDevice.TouchScreen
                onDoubleTapped: (point) => viewer.toggleZoomAt(stage.mapToItem(flick, point.position.x,
                                                                               point.position.y))
            }
            WheelHandler {
                objectName: "zoomWheel"
                target: null
                onWheel: (event) => {
                    const p = stage.mapToItem(flick, point.position.x, point.position.y)
                    const steps = event.angleDelta.y !== 0 ? event.angleDelta.y : event.pixelDelta.y * 4
                    viewer.zoomAt(viewer.zoom * Math.pow(1.0015, steps), p.x, p.y)
                }
            }
            PinchHandler {
                id: pinch
                target: null
                property real startZoom: 1
                onActiveChanged: if (active) startZoom = viewer.zoom
                // activeScale is this gesture's scale, 1 where the fingers landed.
                onUpdated: {
                    if (!active)
                        return
                    const p = stage.mapToItem(flick, centroid.position.x, centroid.position.y)
                    viewer.zoomAt(startZoom * activeScale, p.x, p.y)
                }
            }
        }
    }
}
