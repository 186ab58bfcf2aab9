// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch
import Larch.Models

// The app window: sign-in until a session with a usable device exists, a waiting page while a new
// staff device waits for a colleague's approval, then the home screen.
ApplicationWindow {
    id: window
    objectName: "mainWindow"

    width: 1280
    height: 800
    minimumWidth: 360
    minimumHeight: 520
    visible: true
    title: qsTr("Larch")
    color: Theme.window
    font.pixelSize: Theme.fontSize

    palette.window: Theme.window
    palette.base: Theme.surface
    palette.text: Theme.text
    palette.windowText: Theme.text
    palette.buttonText: Theme.text
    palette.button: Theme.surface
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.textOnAccent
    palette.dark: Theme.accent
    palette.mid: Theme.border
    palette.light: Theme.surface
    palette.midlight: Theme.divider
    palette.toolTipBase: Theme.text
    palette.toolTipText: Theme.surface

    ScreenLoader {
        id: screen
        objectName: "screenLoader"
        anchors.fill: parent
        // The invitation notice sits above the screen, never over its header.
        anchors.topMargin: invitationNotice.visible ? invitationNotice.height : 0
        // Without the keychain nothing can be opened or sent: the sign-in page says why.
        visible: !App.lock.locked
        sourceComponent: App.session.enrolmentRequired ? enrolScreen
                       : !App.session.signedIn || App.security.deviceState === DeviceState.KeychainUnavailable ? signInScreen
                       : App.security.deviceState === DeviceState.Pending ? pendingScreen
                       : homeScreen
    }

    // The idle lock covers everything, dialogs too; what is underneath keeps receiving messages but is not drawn.
    LockScreen {
        id: lockScreen
        objectName: "lockScreen"
        parent: Overlay.overlay
        anchors.fill: parent
        z: 1000
        visible: App.lock.locked
        onVisibleChanged: if (visible) focusField()
    }
    Binding {
        target: App.lock
        property: "phoneMode"
        value: window.width < Theme.wideBreakpoint
    }

    /// A patient chose "Join as a patient" (an invitation link opens the same page).
    property bool joining: false

    Connections {
        target: App.session
        // Signed in from the join page: after a sign-out the ordinary sign-in form comes first again.
        function onSignedInChanged() { if (App.session.signedIn) window.joining = false }
    }

    // An invitation link arrived while signed in: the sentence says why it did not open and what to do.
    NoticeStrip {
        id: invitationNotice
        objectName: "invitationNotice"
        anchors.top: parent.top
        anchors.left: parent.left
        anchors.right: parent.right
        z: 10
        visible: App.session.signedIn && text.length > 0
        text: App.links.notice
        onDismissRequested: App.links.dismissNotice()
    }

    Component {
        id: signInScreen
        ScreenLoader {
            // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
            // qmllint disable unqualified
            sourceComponent: window.joining || App.links.opened ? joinPage : signInPage
            Component {
                id: signInPage
                SignInPage { objectName: "signInPage"; focus: true; onJoinRequested: window.joining = true }
            }
            Component {
                id: joinPage
                JoinPage { objectName: "joinPage"; focus: true; onSignInRequested: window.joining = false }
            }
            // qmllint enable unqualified
        }
    }

    Component {
        id: pendingScreen
        PendingDeviceView {
            objectName: "pendingDevicePage"
            focus: true
            deviceName: App.security.deviceName
            userName: App.session.userName
            onSignOutRequested: App.session.signOut()
        }
    }

    Component {
        id: enrolScreen
        TwoFactorEnrolPage { objectName: "twoFactorEnrolPage"; focus: true }
    }

    Component {
        id: homeScreen
        HomePage { objectName: "homePage"; focus: true }
    }
}
