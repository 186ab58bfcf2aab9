// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch

// The warning at the top of a patient's thread when the practice's security identity changed: its words for a change
// and for a Practice Link whose code did not match, and "Check the code".
Item {
    id: scene
    width: 600
    height: 300

    TestCase {
        name: "IdentityWarningBanner"
        when: windowShown

        Component {
            id: bannerComponent
            IdentityWarningBanner { width: 560; practiceName: "Birch Family Medicine" }
        }
        SignalSpy { id: checkSpy; signalName: "checkRequested" }

        function createBanner(properties) {
            const banner = createTemporaryObject(bannerComponent, scene, properties || {})
            verify(banner)
            checkSpy.target = banner
            checkSpy.clear()
            return banner
        }

        function test_changed() {
            const banner = createBanner()
            compare(findChild(banner, "identityWarningTitle").text, "Birch Family Medicine's security identity changed")
            verify(findChild(banner, "identityWarningText").text.indexOf("wait here") >= 0)
            verify(banner.height > 0)
            mouseClick(findChild(banner, "checkIdentityButton"))
            compare(checkSpy.count, 1)
        }

        function test_linkMismatch() {
            const banner = createBanner({ linkMismatch: true })
            compare(findChild(banner, "identityWarningTitle").text, "Birch Family Medicine's security code does not match")
            verify(findChild(banner, "identityWarningText").text.indexOf("Practice Link") >= 0)
        }

        function test_narrow() {
            // On a phone the title and the sentence wrap; nothing is cut off.
            const banner = createBanner({ width: 340 })
            const title = findChild(banner, "identityWarningTitle")
            verify(title.lineCount >= 2)
            verify(banner.implicitHeight >= findChild(banner, "identityWarningText").height + title.height)
        }
    }
}
