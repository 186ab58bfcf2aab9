// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch

// The approval banner lists each pending device with the colleague's name, and Approve / Decline
// report that device's id; it hides when nothing waits and shows the last error.
Item {
    id: scene
    width: 900
    height: 400

    ListModel {
        id: pending
        ListElement { deviceId: "dev-ben-3"; userName: "Dr. Ben Okafor"; deviceName: "Desktop (pc-3)"; timeText: "14:05" }
        ListElement { deviceId: "dev-ana-2"; userName: "Ana Ruiz"; deviceName: "Phone (ana-pixel)"; timeText: "Mon" }
    }
    ListModel { id: nothingPending }

    Component {
        id: bannerComponent
        DeviceApprovalBanner { width: scene.width }
    }

    SignalSpy { id: approveSpy; signalName: "approveRequested" }
    SignalSpy { id: declineSpy; signalName: "declineRequested" }

    TestCase {
        name: "DeviceApprovalBanner"
        when: windowShown

        function createBanner(properties) {
            const banner = createTemporaryObject(bannerComponent, scene, properties)
            verify(banner, "DeviceApprovalBanner is created")
            approveSpy.clear()
            declineSpy.clear()
            approveSpy.target = banner
            declineSpy.target = banner
            return banner
        }

        function rows(banner) {
            const found = []
            const walk = (item) => {
                for (let i = 0; i < item.children.length; ++i) {
                    const child = item.children[i]
                    if (child.objectName === "approvalRow")
                        found.push(child)
                    walk(child)
                }
            }
            walk(banner)
            return found
        }

        function test_oneRowPerPendingDeviceWithTheSentence() {
            const banner = createBanner({ model: pending })
            const found = rows(banner)
            compare(found.length, 2)
            compare(findChild(found[0], "approvalText").text,
                    "Dr. Ben Okafor wants to use Larch on a new device: Desktop (pc-3)")
            compare(findChild(found[1], "approvalText").text,
                    "Ana Ruiz wants to use Larch on a new device: Phone (ana-pixel)")
            verify(findChild(found[0], "approvalHint").text.indexOf("14:05") >= 0)
            verify(banner.visible)
        }

        function test_approveEmitsTheDeviceId() {
            const banner = createBanner({ model: pending })
            waitForRendering(banner)
            mouseClick(findChild(rows(banner)[1], "approveButton"))
            compare(approveSpy.count, 1)
            compare(approveSpy.signalArguments[0][0], "dev-ana-2")
            compare(declineSpy.count, 0)
        }

        function test_declineEmitsTheDeviceId() {
            const banner = createBanner({ model: pending })
            waitForRendering(banner)
            mouseClick(findChild(rows(banner)[0], "declineButton"))
            compare(declineSpy.count, 1)
            compare(declineSpy.signalArguments[0][0], "dev-ben-3")
            compare(approveSpy.count, 0)
        }

        function test_keyboardApproves() {
            const banner = createBanner({ model: pending })
            const approve = findChild(rows(banner)[0], "approveButton")
            approve.forceActiveFocus()
            keyClick(Qt.Key_Space)
            compare(approveSpy.count, 1)
            compare(approveSpy.signalArguments[0][0], "dev-ben-3")
        }

        function test_hiddenWhenNothingWaits() {
            const banner = createBanner({ model: nothingPending })
            compare(rows(banner).length, 0)
            verify(!banner.visible)
        }

        function test_errorShownOnlyWhenSet() {
            const banner = createBanner({ model: pending })
            const error = findChild(banner, "approvalError")
            verify(!error.visible)
            banner.errorText = "Only an administrator can decline a device. Ask Ana Ruiz."
            verify(error.visible)
            compare(error.text, "Only an administrator can decline a device. Ask Ana Ruiz.")
        }

        function test_phoneWidthPutsButtonsUnderTheSentence() {
            const banner = createBanner({ model: pending })
            banner.width = 390
            waitForRendering(banner)
            compare(rows(banner)[0].width, 390)
            const row = rows(banner)[0]
            const sentence = findChild(row, "approvalText")
            const approve = findChild(row, "approveButton")
            const sentenceBottom = sentence.mapToItem(row, 0, sentence.height).y
            verify(approve.mapToItem(row, 0, 0).y >= sentenceBottom, "buttons sit below the text on a phone")
            verify(approve.mapToItem(row, approve.width, 0).x <= row.width, "buttons stay inside the row")
        }
    }
}
