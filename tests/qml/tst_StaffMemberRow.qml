// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import Larch
import Larch.Models

// A staff member's row offers what an administrator can do with that person, and nothing on their own row; the
// practice identity section offers a replacement only for an identity this device does not hold.
Item {
    id: scene
    width: 390
    height: 600

    Component {
        id: rowComponent
        StaffMemberRow { width: scene.width; userId: "u1"; name: "Nurse Rosa Diaz"; email: "rosa@birch.example" }
    }
    Component {
        id: sectionComponent
        PracticeIdentitySection { width: scene.width }
    }
    SignalSpy { id: actionSpy; signalName: "actionRequested" }

    TestCase {
        name: "StaffMemberRow"
        when: windowShown

        function shownItems(menu) {
            const names = []
            for (let i = 0; i < menu.count; ++i) {
                const item = menu.itemAt(i)
                if (item.visible)
                    names.push(item.objectName)
            }
            return names
        }

        function test_actionsFollowThePerson_data() {
            return [
                { tag: "clinician waiting for a password", admin: false, twoFactor: false, passwordSet: false,
                  items: ["makeAdminItem", "resendLinkItem", "deactivateItem"] },
                { tag: "administrator with two-factor", admin: true, twoFactor: true, passwordSet: true,
                  items: ["makeClinicianItem", "resetTwoFactorItem", "deactivateItem"] },
                { tag: "clinician without two-factor", admin: false, twoFactor: false, passwordSet: true,
                  items: ["makeAdminItem", "deactivateItem"] },
            ]
        }

        function test_actionsFollowThePerson(data) {
            const row = createTemporaryObject(rowComponent, scene,
                                              { admin: data.admin, twoFactor: data.twoFactor,
                                                passwordSet: data.passwordSet })
            const button = findChild(row, "staffMenuButton")
            verify(button.visible)
            mouseClick(button)
            const menu = findChild(row, "staffActionsMenu")
            tryVerify(() => menu.opened)
            compare(shownItems(menu), data.items)
            compare(findChild(row, "staffWaiting").visible, !data.passwordSet)
            compare(findChild(row, "staffTwoFactor").visible, data.passwordSet)
            compare(findChild(row, "staffRole").text, data.admin ? "Administrator" : "Clinician")

            actionSpy.target = row
            actionSpy.clear()
            const last = menu.itemAt(menu.count - 1)
            waitForRendering(menu.contentItem)
            mouseClick(last)
            compare(actionSpy.count, 1)
            const args = actionSpy.signalArguments[0]
            compare([args[0], args[1], args[2]], ["deactivate", "u1", "Nurse Rosa Diaz"])
        }

        function test_noActionsOnOnesOwnRow() {
            const row = createTemporaryObject(rowComponent, scene, { isYou: true, admin: true, passwordSet: true })
            verify(!findChild(row, "staffMenuButton").visible)
            compare(findChild(row, "staffName").text, "Nurse Rosa Diaz (you)")
        }

        function test_identitySectionOffersReplacementOnlyWhenNotHeld_data() {
            return [
                { tag: "held", state: PracticeIdentityStatus.Held, code: "TZYN VAZ9 FE1W AZE0 1Z2P 6NRS 0CH6 3ENG",
                  replace: false },
                { tag: "not held", state: PracticeIdentityStatus.NotHeld, code: "", replace: true },
                { tag: "none yet", state: PracticeIdentityStatus.None, code: "", replace: false },
            ]
        }

        function test_identitySectionOffersReplacementOnlyWhenNotHeld(data) {
            const status = { state: data.state, securityCode: data.code, busy: false, error: "", notice: "" }
            const section = createTemporaryObject(sectionComponent, scene, { status: status })
            compare(findChild(section, "replaceIdentityButton").visible, data.replace)
            compare(findChild(section, "identitySecurityCode").visible, data.code.length > 0)
            verify(findChild(section, "identityStateText").text.length > 0)
        }
    }
}
