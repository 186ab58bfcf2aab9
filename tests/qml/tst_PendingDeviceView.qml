// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch

// The waiting page names the device colleagues must approve and offers a way to sign out.
Item {
    id: scene
    width: 390
    height: 844

    Component {
        id: viewComponent
        PendingDeviceView { anchors.fill: parent; deviceName: "Desktop (pc-3)"; userName: "Dr. Ben Okafor" }
    }

    SignalSpy { id: signOutSpy; signalName: "signOutRequested" }

    TestCase {
        name: "PendingDeviceView"
        when: windowShown

        function test_namesTheDeviceToApprove() {
            const view = createTemporaryObject(viewComponent, scene)
            compare(findChild(view, "pendingTitle").text, "Waiting for approval")
            compare(findChild(view, "pendingText").text,
                    "A colleague at your practice needs to approve this device before it can open secure conversations. "
                    + "Ask anyone signed in to Larch at your practice to approve “Desktop (pc-3)”.")
            compare(findChild(view, "pendingDeviceName").text, "Desktop (pc-3)")
        }

        function test_signOut() {
            const view = createTemporaryObject(viewComponent, scene)
            signOutSpy.target = view
            signOutSpy.clear()
            waitForRendering(view)
            mouseClick(findChild(view, "pendingSignOutButton"))
            compare(signOutSpy.count, 1)
        }
    }
}
