// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// Patient onboarding, phone layout first: the join form bound to App.onboarding, and the way back to sign-in.
FocusScope {
    id: page

    /// Emitted when the person goes back to the staff sign-in form.
    signal signInRequested()

    Rectangle { anchors.fill: parent; color: Theme.window }

    Flickable {
        anchors.fill: parent
        contentWidth: width
        contentHeight: Math.max(height, card.height + 2 * Theme.margin)
        boundsBehavior: Flickable.StopAtBounds
        clip: true

        Rectangle {
            id: card
            readonly property bool compact: page.width < 480
            width: compact ? page.width : 420
            height: compact ? Math.max(content.implicitHeight + 120, page.height) : content.implicitHeight + 80
            anchors.horizontalCenter: parent.horizontalCenter
            y: compact ? 0 : Math.max(Theme.margin, (page.height - height) / 2)
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
                anchors.topMargin: card.compact ? 56 : 40
                spacing: Theme.spacing

                Image {
                    source: Theme.icon("app")
                    sourceSize.width: 48
                    sourceSize.height: 48
                    Layout.preferredWidth: 48
                    Layout.preferredHeight: 48
                    Layout.bottomMargin: Theme.padding
                    Accessible.ignored: true
                }
                JoinForm {
                    objectName: "joinForm"
                    Layout.fillWidth: true
                    focus: true
                    step: App.onboarding.step
                    contact: App.onboarding.contact
                    contactHint: App.onboarding.contactHint
                    fromInvitation: App.onboarding.fromInvitation
                    fromPracticeLink: App.onboarding.fromPracticeLink
                    practiceName: App.onboarding.practiceName
                    linkUnusable: App.onboarding.linkUnusable
                    identityMatched: App.onboarding.identityMatched
                    busy: App.onboarding.busy || App.session.busy
                    errorText: App.onboarding.error.length > 0 ? App.onboarding.error
                             : App.onboarding.step === OnboardingStep.Done ? App.session.signInError : ""
                    errorKind: App.onboarding.errorKind
                    onContactEdited: (text) => App.onboarding.contact = text
                    onCodeRequested: App.onboarding.requestCode()
                    onVerifyRequested: (code) => App.onboarding.verify(code)
                    onNameSubmitted: (name) => App.onboarding.submitName(name)
                    onBackRequested: App.onboarding.back()
                    onWithoutLinkRequested: App.onboarding.reset()
                }
                SecondaryButton {
                    objectName: "staffSignInButton"
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.margin
                    text: qsTr("Staff sign-in")
                    tint: Theme.textSecondary
                    onClicked: {
                        App.onboarding.reset()
                        App.links.close()
                        page.signInRequested()
                    }
                }
            }
        }
    }
}
