// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch
import Larch.Models

// The "Hasn't Created an Account" banner shows each delivery state and offers resend and edit.
Item {
    id: scene
    width: 600
    height: 300

    TestCase {
        name: "InvitationBanner"
        when: windowShown

        Component {
            id: bannerComponent
            InvitationBanner { width: 560 }
        }
        SignalSpy { id: resendSpy; signalName: "resendRequested" }
        SignalSpy { id: editSpy; signalName: "editRequested" }

        function createBanner(properties) {
            const banner = createTemporaryObject(bannerComponent, scene, properties || {})
            verify(banner)
            resendSpy.target = banner
            editSpy.target = banner
            resendSpy.clear()
            editSpy.clear()
            return banner
        }

        function test_states_data() {
            return [
                { tag: "queued", state: DeliveryState.Queued, line: "Invitation queued by SMS to (201) 555-0123.",
                  failed: false },
                { tag: "sent", state: DeliveryState.Sent, line: "Invitation sent by SMS to (201) 555-0123.", failed: false },
                { tag: "delivered", state: DeliveryState.Delivered,
                  line: "Invitation delivered by email to sam@example.com.", failed: false },
                { tag: "failed", state: DeliveryState.Failed, line: "Invitation failed: The number can't receive SMS.",
                  failed: true },
            ]
        }

        function test_states(data) {
            const banner = createBanner({ deliveryState: data.state, stateLine: data.line })
            compare(findChild(banner, "bannerTitle").text, "Hasn't Created an Account")
            compare(findChild(banner, "bannerStateLine").text, data.line)
            compare(banner.failed, data.failed)
        }

        function test_buttons() {
            const banner = createBanner({ deliveryState: DeliveryState.Sent, stateLine: "Invitation sent." })
            mouseClick(findChild(banner, "resendInviteButton"))
            compare(resendSpy.count, 1)
            mouseClick(findChild(banner, "editContactButton"))
            compare(editSpy.count, 1)
            banner.busy = true
            verify(!findChild(banner, "resendInviteButton").enabled)
        }

        function test_error() {
            const banner = createBanner({ errorText: "Can't reach the server." })
            verify(findChild(banner, "bannerError").visible)
        }
    }
}
