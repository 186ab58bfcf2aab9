// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The calm full page a new staff device shows until a colleague approves it: what is happening,
// whom to ask, and a way out. It turns into the home screen by itself once approved.
FocusScope {
    id: view

    /// This device's name as colleagues will see it, e.g. "Desktop (pc-3)".
    property string deviceName
    /// The signed-in person, shown so they know which account is waiting.
    property string userName

    signal signOutRequested()

    Rectangle {
        anchors.fill: parent
        color: Theme.window
    }

    Flickable {
        anchors.fill: parent
        contentWidth: width
        contentHeight: Math.max(height, card.height + 2 * Theme.margin)
        boundsBehavior: Flickable.StopAtBounds
        clip: true

        Rectangle {
            id: card
            readonly property bool compact: view.width < 480
            width: compact ? view.width : 460
            height: compact ? Math.max(content.implicitHeight + 2 * Theme.margin + 64, view.height) : content.implicitHeight + 80
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
                anchors.topMargin: card.compact ? 96 : 40
                spacing: Theme.spacing

                Rectangle {
                    Layout.alignment: card.compact ? Qt.AlignHCenter : Qt.AlignLeft
                    implicitWidth: 64
                    implicitHeight: 64
                    radius: 32
                    color: Theme.accentSoft
                    Icon {
                        anchors.centerIn: parent
                        iconName: "device"
                        size: 28
                        color: Theme.accent
                    }
                    Rectangle {
                        anchors.right: parent.right
                        anchors.bottom: parent.bottom
                        anchors.margins: -2
                        width: 26
                        height: 26
                        radius: 13
                        color: Theme.surface
                        Rectangle {
                            anchors.centerIn: parent
                            width: 22
                            height: 22
                            radius: 11
                            color: Theme.accent
                            Icon {
                                anchors.centerIn: parent
                                iconName: "clock"
                                size: 14
                                color: Theme.textOnAccent
                            }
                        }
                    }
                }
                Label {
                    objectName: "pendingTitle"
                    Layout.topMargin: Theme.padding
                    Layout.fillWidth: true
                    horizontalAlignment: card.compact ? Text.AlignHCenter : Text.AlignLeft
                    text: qsTr("Waiting for approval")
                    wrapMode: Text.Wrap
                    color: Theme.text
                    font.pixelSize: Theme.headlineFontSize
                    font.weight: Font.DemiBold
                    Accessible.role: Accessible.Heading
                }
                Label {
                    objectName: "pendingText"
                    Layout.fillWidth: true
                    horizontalAlignment: card.compact ? Text.AlignHCenter : Text.AlignLeft
                    text: qsTr("A colleague at your practice needs to approve this device before it can open secure conversations. Ask anyone signed in to Larch at your practice to approve “%1”.").arg(view.deviceName)
                    wrapMode: Text.Wrap
                    lineHeight: 1.15
                    color: Theme.textSecondary
                    font.pixelSize: Theme.fontSize
                }

                Rectangle {
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.padding
                    implicitHeight: deviceRow.implicitHeight + 2 * Theme.padding
                    radius: Theme.radius
                    color: Theme.accentSofter
                    border.width: 1
                    border.color: Theme.accentSoft
                    RowLayout {
                        id: deviceRow
                        anchors.fill: parent
                        anchors.margins: Theme.padding
                        spacing: Theme.padding
                        Icon {
                            iconName: "device"
                            size: 20
                            color: Theme.accent
                        }
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: 1
                            Label {
                                objectName: "pendingDeviceName"
                                Layout.fillWidth: true
                                text: view.deviceName
                                elide: Text.ElideRight
                                color: Theme.text
                                font.weight: Font.DemiBold
                            }
                            Label {
                                Layout.fillWidth: true
                                text: view.userName.length > 0 ? qsTr("%1 · waiting for approval").arg(view.userName)
                                                               : qsTr("Waiting for approval")
                                elide: Text.ElideRight
                                color: Theme.textSecondary
                                font.pixelSize: Theme.smallFontSize
                            }
                        }
                        BusyIndicator {
                            implicitWidth: 22
                            implicitHeight: 22
                            running: view.visible
                            palette.dark: Theme.accent
                        }
                    }
                }

                Label {
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.spacing
                    horizontalAlignment: card.compact ? Text.AlignHCenter : Text.AlignLeft
                    text: qsTr("This page opens your conversations by itself as soon as the device is approved.")
                    wrapMode: Text.Wrap
                    color: Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize + 1
                }

                SecondaryButton {
                    objectName: "pendingSignOutButton"
                    Layout.topMargin: Theme.margin
                    Layout.alignment: card.compact ? Qt.AlignHCenter : Qt.AlignLeft
                    Layout.fillWidth: card.compact
                    text: qsTr("Sign out")
                    tint: Theme.textSecondary
                    focus: true
                    onClicked: view.signOutRequested()
                }
            }
        }
    }
}
