// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import Larch

// The screen a ScreenLoader loads takes the keyboard: after "Sign out" is chosen from a menu while a field of the
// home screen had the focus, the sign-in screen's email field gets it, so the email typed next lands there.
Item {
    id: scene
    width: 600
    height: 400

    property bool signedIn: true
    /// Nothing is loaded until the window is on screen, as in the app, where screens change in a shown window.
    property bool started: false

    Component {
        id: homeScreen
        FocusScope {
            property alias menu: accountMenu
            TextField { id: compose; objectName: "compose"; focus: true; width: 200 }
            Button {
                x: 300
                text: "⋮"
                onClicked: accountMenu.open()
                Menu {
                    id: accountMenu
                    MenuItem { objectName: "signOut"; text: "Sign out"; onTriggered: scene.signedIn = false }
                }
            }
        }
    }

    Component {
        id: signInScreen
        FocusScope {
            TextField { objectName: "email"; focus: true; width: 200 }
        }
    }

    ScreenLoader {
        id: loader
        anchors.fill: parent
        sourceComponent: !scene.started ? null : scene.signedIn ? homeScreen : signInScreen
    }

    TestCase {
        name: "ScreenLoader"
        when: windowShown

        function test_theNewScreenTakesTheKeyboard() {
            scene.started = true
            tryVerify(() => findChild(loader.item, "compose").activeFocus, 2000, "the home screen starts with the keyboard")
            const menu = loader.item.menu
            menu.open()
            tryVerify(() => menu.opened)
            mouseClick(menu.itemAt(0))
            tryVerify(() => loader.item && findChild(loader.item, "email") !== null, 2000)
            const email = findChild(loader.item, "email")
            tryVerify(() => email.activeFocus, 2000, "the sign-in screen's email field has the keyboard")
            keyClick(Qt.Key_B)
            compare(email.text, "b")
            scene.signedIn = true
            tryVerify(() => findChild(loader.item, "compose") !== null && findChild(loader.item, "compose").activeFocus)
        }
    }
}
