// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import Larch

// A button's tooltip never covers the menu it opens: hovering shows "New conversation" or "Add attachment" after
// its delay, clicking opens the menu and puts the tooltip away, and it stays away while the menu is open, even when
// the pointer rests on the button; once the pointer has left, hovering again shows it.
Item {
    id: scene
    width: 720
    height: 520

    Component {
        id: newConversationComponent
        NewConversationButton { x: 600; y: 40 }
    }

    Component {
        id: attachComponent
        AttachButton { x: 40; y: 460 }
    }

    TestCase {
        name: "MenuTooltips"
        when: windowShown

        // The one tooltip Qt Quick Controls shares between all attached ToolTips, as it is on screen.
        function sharedTip(button) {
            return button.ToolTip.toolTip
        }

        function hover(button) {
            button.hoverEnabled = true  // as on a desktop; the offscreen platform's style hints turn hover off
            mouseMove(scene, 1, 1)
            mouseMove(button, button.width / 2, button.height / 2)
            tryVerify(() => button.hovered, 2000, "the pointer is over the button")
        }

        function checkMenuHidesTip(button, menu, label) {
            hover(button)
            tryVerify(() => sharedTip(button).visible && sharedTip(button).text === label, 3000,
                      "hovering shows the tooltip after its delay")
            mouseClick(button)
            tryVerify(() => menu.opened, 2000, "the click opens the menu")
            verify(!button.ToolTip.visible, "the click put the tooltip away")
            // Longer than the tooltip's delay, with the pointer still on the button.
            wait(button.ToolTip.delay + 400)
            verify(!(sharedTip(button).visible && sharedTip(button).text === label),
                   "no tooltip over the open menu")
            // Leaving and coming back while the menu is still open: still nothing over it.
            mouseMove(scene, 1, 1)
            mouseMove(button, button.width / 2, button.height / 2)
            wait(button.ToolTip.delay + 400)
            verify(menu.opened, "the menu is still open")
            verify(!(sharedTip(button).visible && sharedTip(button).text === label),
                   "no tooltip while the menu is open")
            menu.close()
            tryVerify(() => !menu.visible, 2000)
            // After the menu, a fresh hover shows it again.
            mouseMove(scene, 1, 1)
            hover(button)
            tryVerify(() => sharedTip(button).visible && sharedTip(button).text === label, 3000,
                      "the tooltip comes back on a new hover")
            mouseMove(scene, 1, 1)
        }

        function test_newConversationTipStaysOffItsMenu() {
            const button = createTemporaryObject(newConversationComponent, scene)
            waitForRendering(button)
            checkMenuHidesTip(button, findChild(button, "newConversationMenu"), "New conversation")
        }

        function test_addAttachmentTipStaysOffItsMenu() {
            const button = createTemporaryObject(attachComponent, scene)
            waitForRendering(button)
            checkMenuHidesTip(button, findChild(button, "attachMenu"), "Add attachment")
        }
    }
}
