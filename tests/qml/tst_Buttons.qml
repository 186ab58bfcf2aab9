// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch

// A button wider than its words (a full-width "Staff sign-in") centres them, with or without an icon, like the
// primary button beside it.
Item {
    id: scene
    width: 500
    height: 300

    Component { id: secondary; SecondaryButton { width: 400; text: "Staff sign-in" } }
    Component { id: secondaryWithIcon; SecondaryButton { width: 400; text: "Copy link"; iconName: "copy" } }
    Component { id: primary; PrimaryButton { width: 400; text: "Send code" } }

    TestCase {
        name: "Buttons"
        when: windowShown

        function checkCentred(component) {
            const button = createTemporaryObject(component, scene)
            waitForRendering(button)
            const content = button.contentItem
            let left = content.width, right = 0
            // The drawn words (and icon): the union of the content's visible descendants.
            const visit = (item) => {
                for (let i = 0; i < item.children.length; ++i) {
                    const child = item.children[i]
                    if (!child.visible || child.width <= 0)
                        continue
                    if (child.children.length === 0) {
                        const p = child.mapToItem(button, 0, 0)
                        left = Math.min(left, p.x)
                        right = Math.max(right, p.x + child.width)
                    }
                    visit(child)
                }
            }
            visit(content)
            verify(right > left, "something is drawn")
            const centre = (left + right) / 2
            verify(Math.abs(centre - button.width / 2) <= 2, "words centred at " + centre + " in " + button.width)
        }

        function test_secondaryCentresItsWords() { checkCentred(secondary) }
        function test_secondaryCentresItsWordsAndIcon() { checkCentred(secondaryWithIcon) }
        function test_primaryCentresItsWords() { checkCentred(primary) }
    }
}
