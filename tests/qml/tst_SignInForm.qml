// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch

// The sign-in form's error box: a long sentence (such as the keychain's) wraps inside the box with
// its title, and only an error about the password marks the password field.
Item {
    id: scene
    width: 390
    height: 700

    readonly property string keychainSentence: "Larch keeps its keys in your system keychain, and no keychain service is running. Install and start GNOME Keyring or KWallet, then sign in again."

    Component {
        id: formComponent
        SignInForm { width: 342; serverUrl: "http://127.0.0.1:8080" }
    }

    TestCase {
        name: "SignInForm"
        when: windowShown

        function test_longKeychainSentenceWrapsWithItsTitle() {
            const form = createTemporaryObject(formComponent, scene, {
                errorText: scene.keychainSentence, errorTitle: "System keychain needed", errorConcernsPassword: false })
            waitForRendering(form)
            const label = findChild(form, "signInError")
            verify(label.visible)
            compare(label.text, scene.keychainSentence)
            verify(label.lineCount >= 3, "the sentence wraps onto several lines")
            verify(label.width <= form.width, "and stays inside the form")
            const title = findChild(form, "signInErrorTitle")
            verify(title.visible)
            compare(title.text, "System keychain needed")
            verify(!findChild(form, "passwordField").invalid, "nothing typed is wrong")
        }

        function test_passwordErrorMarksThePassword() {
            const form = createTemporaryObject(formComponent, scene)
            form.errorText = "That email and password do not match. Check them and try again."
            verify(findChild(form, "passwordField").invalid)
            verify(!findChild(form, "signInErrorTitle").visible)
        }

        function test_noErrorNoBox() {
            const form = createTemporaryObject(formComponent, scene)
            verify(!findChild(form, "signInError").visible)
        }
    }
}
