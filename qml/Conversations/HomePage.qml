// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The signed-in screen: conversation list and thread side by side on wide windows, stacked on phones.
FocusScope {
    id: home

    readonly property bool wide: width >= Theme.wideBreakpoint

    Shortcut {
        // Qt 6.4's qmllint cannot resolve StandardKey, and a Loader's item is a plain QObject to it: the loaded layout's
        // focusSearch() is unknown (docs/development.md, "qmllint").
        // qmllint disable unqualified type
        sequences: [StandardKey.Find]
        onActivated: layoutLoader.item.focusSearch()
        // qmllint enable unqualified type
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        OfflineBanner {
            objectName: "offlineBanner"
            Layout.fillWidth: true
            visible: !App.session.online
            text: App.session.offlineText
            onRetryRequested: App.session.retryNow()
        }

        DeviceApprovalBanner {
            objectName: "approvalBanner"
            Layout.fillWidth: true
            visible: count > 0 && App.security.deviceState === DeviceState.Active && App.session.userRole !== AccountRole.Patient
            model: App.security.pendingDevices
            errorText: App.security.deviceError
            onApproveRequested: (deviceId) => App.security.approveDevice(deviceId)
            onDeclineRequested: (deviceId) => App.security.declineDevice(deviceId)
        }

        Loader {
            id: layoutLoader
            Layout.fillWidth: true
            Layout.fillHeight: true
            focus: true
            sourceComponent: home.wide ? wideLayout : narrowLayout
        }
    }

    Component {
        id: wideLayout

        FocusScope {
            function focusSearch() { conversations.focusSearch() }

            RowLayout {
                anchors.fill: parent
                spacing: 0

                ConversationsPane {
                    id: conversations
                    objectName: "conversationsPane"
                    Layout.preferredWidth: Theme.listPaneWidth
                    Layout.fillHeight: true
                    focus: App.current.id.length === 0
                    onConversationOpened: thread.focusCompose()
                }

                Rectangle {
                    Layout.fillHeight: true
                    implicitWidth: 1
                    color: Theme.divider
                }

                Item {
                    Layout.fillWidth: true
                    Layout.fillHeight: true

                    ThreadPage {
                        id: thread
                        objectName: "threadPage"
                        anchors.fill: parent
                        visible: App.current.id.length > 0
                        focus: visible
                    }

                    Rectangle {
                        anchors.fill: parent
                        visible: !thread.visible
                        color: Theme.threadBackground
                        EmptyState {
                            objectName: "noConversationSelected"
                            anchors.fill: parent
                            iconName: "chat"
                            title: qsTr("Select a conversation")
                            text: qsTr("Choose a conversation on the left to read and reply.")
                        }
                    }
                }
            }
        }
    }

    Component {
        id: narrowLayout

        StackView {
            id: stack

            function focusSearch() {
                if (stack.depth === 1)
                    (stack.currentItem as ConversationsPane).focusSearch()
            }
            function showThread(operation) {
                if (stack.depth === 1)
                    stack.push(threadPage, {}, operation)
            }

            focus: true
            initialItem: ConversationsPane { objectName: "conversationsPane" }

            Component.onCompleted: {
                if (App.current.id.length > 0)
                    showThread(StackView.Immediate)
            }

            // Follows the open conversation, whoever opened or closed it.
            property string openConversationId: App.current.id
            onOpenConversationIdChanged: {
                if (openConversationId.length > 0)
                    showThread(StackView.PushTransition)
                else if (depth > 1)
                    pop()
            }

            Component {
                id: threadPage
                ThreadPage {
                    objectName: "threadPage"
                    showBack: true
                    onBackRequested: App.current.close()
                }
            }
        }
    }
}
