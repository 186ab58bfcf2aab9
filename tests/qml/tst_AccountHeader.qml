// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import Larch
import Larch.Models

// The account menu is one of Larch's own menu cards (like '+' and the thread's ⋮), offers what the person's role
// may do, and hidden choices take no room; its tooltip stays off it.
Item {
    id: scene
    width: 400
    height: 500

    Component {
        id: headerComponent
        AccountHeader { width: scene.width; userName: "Dr. Ben Okafor" }
    }

    SignalSpy { id: practiceLinksSpy; signalName: "practiceLinksRequested" }

    TestCase {
        name: "AccountHeader"
        when: windowShown

        function openMenu(role) {
            const header = createTemporaryObject(headerComponent, scene, { userRole: role })
            const button = findChild(header, "accountMenuButton")
            mouseClick(button)
            const menu = findChild(header, "accountMenu")
            verify(menu, "the account menu is a LarchMenu")
            tryVerify(() => menu.opened)
            return { header: header, menu: menu, button: button }
        }

        function shownItems(menu) {
            const names = []
            for (let i = 0; i < menu.count; ++i) {
                const item = menu.itemAt(i)
                if (item.visible) {
                    verify(item.height > 0)
                    verify(item.iconName.length > 0, item.text + " has an icon, like the other menus' choices")
                    names.push(item.objectName)
                } else {
                    compare(item.height, 0, "a hidden choice takes no room")
                }
            }
            return names
        }

        function test_choicesFollowTheRole_data() {
            return [
                { tag: "admin", role: AccountRole.Admin,
                  items: ["recoveryKeyItem", "invitationTextItem", "practiceLinksItem", "staffItem", "auditLogItem", "twoFactorItem",
                          "securitySettingsItem", "lockNowItem", "signOutItem"] },
                { tag: "clinician", role: AccountRole.Clinician,
                  items: ["recoveryKeyItem", "practiceLinksItem", "twoFactorItem", "lockNowItem", "signOutItem"] },
                { tag: "patient", role: AccountRole.Patient, items: ["recoveryKeyItem", "lockNowItem", "signOutItem"] },
            ]
        }

        function test_choicesFollowTheRole(data) {
            const opened = openMenu(data.role)
            compare(shownItems(opened.menu), data.items)
            opened.menu.close()
        }

        function test_practiceLinksFromTheMenu() {
            const opened = openMenu(AccountRole.Clinician)
            practiceLinksSpy.target = opened.header
            practiceLinksSpy.clear()
            let item = null
            for (let i = 0; i < opened.menu.count; ++i) {
                if (opened.menu.itemAt(i).objectName === "practiceLinksItem")
                    item = opened.menu.itemAt(i)
            }
            verify(item && item.visible)
            waitForRendering(opened.menu.contentItem)
            mouseClick(item)
            compare(practiceLinksSpy.count, 1)
            tryVerify(() => !opened.menu.visible)
            verify(!opened.button.ToolTip.visible)
        }
    }
}
