// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch

// The photo viewer: the photo fits the view at first, a double-click zooms in where it happened and back out,
// the wheel and the keyboard zoom, and a zoomed photo pans. The photo comes through the app's "attachment"
// image provider (a 320×240 picture under m-photo, see tst_qml_components.cpp).
Item {
    id: scene
    width: 800
    height: 600

    Component {
        id: viewerComponent
        ImageViewer {
            source: "image://attachment/thumb/m-photo"
        }
    }

    TestCase {
        name: "ImageViewer"
        when: windowShown

        function createViewer(properties) {
            const viewer = createTemporaryObject(viewerComponent, scene,
                                                 Object.assign({ width: scene.width, height: scene.height },
                                                               properties || {}))
            verify(viewer)
            tryVerify(() => viewer.ready, 5000, "the photo decodes")
            return viewer
        }

        function test_fitsTheView() {
            const viewer = createViewer()
            const photo = findChild(viewer, "photo")
            compare(viewer.zoom, 1)
            // 320×240 in 800×600 would be 2.5×; small photos are not blown up past twice their size.
            fuzzyCompare(photo.width, 640, 1)
            fuzzyCompare(photo.height, 480, 1)
            const phone = createViewer({ width: 390, height: 700 })
            fuzzyCompare(findChild(phone, "photo").width, 390, 1)
        }

        function test_doubleClickZoomsAndBack() {
            const viewer = createViewer()
            mouseDoubleClickSequence(viewer, 300, 250)
            tryVerify(() => viewer.zoom > 2, 2000)
            const flick = findChild(viewer, "imageFlick")
            verify(flick.interactive, "a zoomed photo can be dragged")
            verify(flick.contentWidth > flick.width)
            mouseDoubleClickSequence(viewer, 300, 250)
            tryCompare(viewer, "zoom", 1)
            verify(!findChild(viewer, "imageFlick").interactive)
        }

        function test_wheelAndKeysZoom() {
            const viewer = createViewer()
            mouseWheel(viewer, 400, 300, 0, 240)
            verify(viewer.zoom > 1.2, "the wheel zooms in: " + viewer.zoom)
            viewer.forceActiveFocus()
            keyClick(Qt.Key_0)
            compare(viewer.zoom, 1)
            keyClick(Qt.Key_Plus)
            fuzzyCompare(viewer.zoom, 1.5, 0.001)
            keyClick(Qt.Key_Minus)
            fuzzyCompare(viewer.zoom, 1, 0.001)
            keyClick(Qt.Key_Minus)
            compare(viewer.zoom, 1, "never smaller than fitted")
        }

        function test_zoomKeepsThePointUnderThePointer() {
            const viewer = createViewer()
            const flick = findChild(viewer, "imageFlick")
            const photo = findChild(viewer, "photo")
            // The photo's point under (600, 400) before zooming…
            const before = { x: (flick.contentX + 600 - photo.x) / photo.width,
                             y: (flick.contentY + 400 - photo.y) / photo.height }
            viewer.zoomAt(3, 600, 400)
            const after = { x: (flick.contentX + 600 - photo.x) / photo.width,
                            y: (flick.contentY + 400 - photo.y) / photo.height }
            // …is still under it after.
            fuzzyCompare(after.x, before.x, 0.01)
            fuzzyCompare(after.y, before.y, 0.01)
        }
    }
}
