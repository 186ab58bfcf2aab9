// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The first screen: a centred sign-in card bound to the app controller.
FocusScope {
    id: page

    readonly property alias form: form
    /// Emitted when a patient chooses "Join as a patient".
    signal joinRequested()

    Rectangle {
        anchors.fill: parent
        color: Theme.window
    }

    Flickable {
        anchors.fill: parent
        contentWidth: width
        contentHeight: Math.max(height, card.implicitHeight + 2 * Theme.margin)
        boundsBehavior: Flickable.StopAtBounds
        clip: true

        Rectangle {
            id: card
            readonly property bool compact: page.width < 480
            width: compact ? page.width : 420
            implicitHeight: content.implicitHeight + 2 * (compact ? Theme.margin + 8 : 40)
            height: compact ? Math.max(implicitHeight, page.height) : implicitHeight
            anchors.horizontalCenter: parent.horizontalCenter
            y: compact ? 0 : Math.max(Theme.margin, (parent.height - height) / 2)
            radius: compact ? 0 : 12
            color: Theme.surface
            border.width: compact ? 0 : 1
            border.color: Theme.divider

            ColumnLayout {
                id: content
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: parent.top
                anchors.margins: card.compact ? Theme.margin + 8 : 40
                anchors.topMargin: card.compact ? 64 : 40
                spacing: Theme.spacing

                Image {
                    source: Theme.icon("app")
                    sourceSize.width: 56
                    sourceSize.height: 56
                    Layout.preferredWidth: 56
                    Layout.preferredHeight: 56
                    Accessible.ignored: true
                }
                Label {
                    Layout.topMargin: Theme.padding
                    Layout.fillWidth: true
                    text: App.session.codeNeeded ? qsTr("Two-factor sign-in") : qsTr("Sign in to Larch")
                    wrapMode: Text.Wrap
                    color: Theme.text
                    font.pixelSize: Theme.headlineFontSize
                    font.weight: Font.DemiBold
                    Accessible.role: Accessible.Heading
                }
                Label {
                    Layout.fillWidth: true
                    Layout.bottomMargin: Theme.margin
                    text: qsTr("Secure conversations between your practice and its patients.")
                    wrapMode: Text.Wrap
                    color: Theme.textSecondary
                    font.pixelSize: Theme.fontSize
                }

                TwoFactorCodeForm {
                    objectName: "twoFactorCodeForm"
                    Layout.fillWidth: true
                    visible: App.session.codeNeeded
                    focus: visible
                    busy: App.session.busy
                    errorText: App.session.signInError
                    onCodeSubmitted: (code) => App.session.submitCode(code)
                    onBackRequested: App.session.cancelCode()
                }

                SignInForm {
                    id: form
                    objectName: "signInForm"
                    Layout.fillWidth: true
                    visible: !App.session.codeNeeded
                    focus: visible
                    serverUrl: App.session.serverUrl
                    busy: App.session.busy
                    errorText: App.session.signInError
                    // Without the system keychain no device keys can be read or made: nothing to retype.
                    errorTitle: App.security.deviceState === DeviceState.KeychainUnavailable ? qsTr("System keychain needed") : ""
                    errorConcernsPassword: App.security.deviceState !== DeviceState.KeychainUnavailable
                    onSignInRequested: (serverUrl, email, password) => {
                        if (serverUrl !== App.session.serverUrl)
                            App.session.serverUrl = serverUrl
                        App.session.signIn(email, password)
                    }
                }

                SecondaryButton {
                    objectName: "joinAsPatientButton"
                    visible: !App.session.codeNeeded
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.margin
                    text: qsTr("I have an invitation · Join as a patient")
                    onClicked: page.joinRequested()
                }
            }
        }
    }
}
