// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The page a staff member sees when the practice requires two-factor sign-in and they have not set it up: nothing
// else opens until they do, or sign out.
FocusScope {
    id: page

    Component.onCompleted: App.twoFactor.start()

    Rectangle {
        anchors.fill: parent
        color: Theme.window
    }

    Flickable {
        anchors.fill: parent
        contentWidth: width
        contentHeight: Math.max(height, card.height + (card.compact ? 0 : 2 * Theme.margin))
        boundsBehavior: Flickable.StopAtBounds
        clip: true

        Rectangle {
            id: card
            readonly property bool compact: page.width < 480
            width: compact ? page.width : 460
            readonly property real contentHeight: content.implicitHeight + 2 * (compact ? Theme.margin : 36)
            // At phone size the card is the page: it fills the window's height.
            height: compact ? Math.max(contentHeight, page.height) : contentHeight
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
                anchors.margins: card.compact ? Theme.margin : 36
                spacing: Theme.spacing

                Icon {
                    iconName: "shield"
                    size: 40
                    color: Theme.accent
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Set up two-factor sign-in")
                    wrapMode: Text.Wrap
                    color: Theme.text
                    font.pixelSize: Theme.headlineFontSize
                    font.weight: Font.DemiBold
                    Accessible.role: Accessible.Heading
                }
                Label {
                    Layout.fillWidth: true
                    Layout.bottomMargin: Theme.spacing
                    text: qsTr("Your practice requires it for every staff account. It takes a minute, and then "
                               + "your conversations open.")
                    wrapMode: Text.Wrap
                    color: Theme.textSecondary
                }
                TwoFactorSteps {
                    id: steps
                    objectName: "twoFactorEnrolSteps"
                    Layout.fillWidth: true
                    requiredByPractice: true
                    focus: true
                }
                SecondaryButton {
                    objectName: "twoFactorEnrolSignOut"
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.margin
                    visible: App.twoFactor.step !== TwoFactorSetup.RecoveryCodes
                    text: qsTr("Sign out")
                    onClicked: App.session.signOut()
                }
            }
        }
    }
}
