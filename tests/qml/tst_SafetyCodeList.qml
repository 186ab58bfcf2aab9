// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch
import Larch.Models

// The safety code list shows each member's name, role, device count and their code as 12 groups
// of five digits.
Item {
    id: scene
    width: 520
    height: 700

    readonly property var members: [
        { userName: "Dr. Ben Okafor", role: AccountRole.Clinician, code: "12345 67890 11111 22222 33333 44444 55555 66666 77777 88888 99999 00000", deviceCount: 2, isMe: true },
        { userName: "Sam Lee", role: AccountRole.Patient, code: "54321 09876 13579 24680 11223 34455 66778 89900 10293 84756 56473 82910", deviceCount: 1, isMe: false },
        { userName: "Ana Ruiz", role: AccountRole.Admin, code: "00001 00002 00003 00004 00005 00006 00007 00008 00009 00010 00011 00012", deviceCount: 3, isMe: false }
    ]

    Component {
        id: listComponent
        SafetyCodeList { width: scene.width }
    }

    TestCase {
        name: "SafetyCodeList"
        when: windowShown

        function cards(list) {
            const found = []
            for (let i = 0; i < list.children.length; ++i) {
                if (list.children[i].objectName === "safetyCodeCard")
                    found.push(list.children[i])
            }
            return found
        }

        function groupsOf(card) {
            const grid = findChild(card, "codeGrid")
            const groups = []
            for (let i = 0; i < grid.children.length; ++i) {
                if (grid.children[i].objectName === "codeGroup")
                    groups.push(grid.children[i].text)
            }
            return groups
        }

        function test_oneCardPerMember() {
            const list = createTemporaryObject(listComponent, scene, { members: scene.members })
            compare(cards(list).length, 3)
            compare(list.count, 3)
        }

        function test_nameRoleAndDevices() {
            const list = createTemporaryObject(listComponent, scene, { members: scene.members })
            const found = cards(list)
            compare(findChild(found[0], "memberName").text, "Dr. Ben Okafor (you)")
            compare(findChild(found[0], "memberDetails").text, "Clinician · 2 devices")
            compare(findChild(found[1], "memberName").text, "Sam Lee")
            compare(findChild(found[1], "memberDetails").text, "Patient · 1 device")
            compare(findChild(found[2], "memberDetails").text, "Practice administrator · 3 devices")
        }

        function test_codeIsTwelveGroupsOfFiveInAGrid() {
            const list = createTemporaryObject(listComponent, scene, { members: scene.members })
            waitForRendering(list)
            const card = cards(list)[1]
            const groups = groupsOf(card)
            compare(groups.length, 12)
            compare(groups.join(" "), scene.members[1].code)
            for (const group of groups)
                verify(/^\d{5}$/.test(group), group)
            const grid = findChild(card, "codeGrid")
            compare(grid.columns, 4)
            verify(grid.height > 0 && grid.width <= card.width, "the grid fits the card")
        }

        function test_codeIsFixedWidth() {
            const list = createTemporaryObject(listComponent, scene, { members: scene.members })
            waitForRendering(list)
            const grid = findChild(cards(list)[2], "codeGrid")
            const first = grid.children[0]
            compare(first.font.family, Theme.monoFontFamily)
            // "00001" and "00011" take the same width in a fixed-width face.
            fuzzyCompare(grid.children[0].implicitWidth, grid.children[10].implicitWidth, 0.5)
        }

        function test_memberWithoutDevicesSaysSo() {
            const list = createTemporaryObject(listComponent, scene, {
                members: [{ userName: "Maya Chen", role: AccountRole.Patient, code: "", deviceCount: 0, isMe: false }] })
            const card = cards(list)[0]
            compare(groupsOf(card).length, 0)
            verify(findChild(card, "noCodeText").visible)
            verify(!findChild(card, "codeGrid").visible)
            compare(findChild(card, "memberDetails").text, "Patient · 0 devices")
        }

        function test_signedInPersonComesFirst() {
            const list = createTemporaryObject(listComponent, scene, {
                members: [scene.members[1], scene.members[2], scene.members[0]] })
            const found = cards(list)
            compare(findChild(found[0], "memberName").text, "Dr. Ben Okafor (you)")
            compare(findChild(found[1], "memberName").text, "Sam Lee")
            compare(findChild(found[2], "memberName").text, "Ana Ruiz")
        }

        function test_emptyListShowsNothing() {
            const list = createTemporaryObject(listComponent, scene, { members: [] })
            compare(cards(list).length, 0)
        }
    }
}
