// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Larch
import Larch.Models

// The messages of a thread, newest at the bottom; pages older messages in as the person scrolls up.
ListView {
    id: list

    /// Whether older messages are being fetched (the thread model's loading property).
    property bool loading: false
    /// Whether the view keeps the newest message in sight: true until the person scrolls away from it, true again
    /// once they scroll back. Rows that grow (a thumbnail arriving) or a list that shrinks (chips and a notice over
    /// the compose bar) would otherwise leave the newest message half hidden.
    property bool followingNewest: true

    function followIfNeeded() {
        if (followingNewest && count > 0)
            positionViewAtBeginning()
    }

    /// Emitted when a notice's link asks to open another conversation.
    signal openConversationRequested(string conversationId)
    /// The person tapped a message's file (index: its place in the message).
    signal attachmentOpenRequested(string messageId, int index, int kind)
    /// The person stopped a file's upload (clientId) or download (messageId); state (an AttachmentState) says which.
    signal attachmentCancelRequested(string messageId, string clientId, int index, int state)

    /// Asks the model for older messages when the view is close to the oldest one shown.
    function fetchOlderIfNear() {
        if (!model || loading || typeof model.canFetchMore !== "function")
            return
        // With BottomToTop the oldest rows sit at the visual top, where contentY meets originY.
        const distanceFromTop = contentY - originY
        if (distanceFromTop < height) {
            const root = model.index(-1, -1)
            if (model.canFetchMore(root))
                model.fetchMore(root)
        }
    }

    objectName: "messageList"
    verticalLayoutDirection: ListView.BottomToTop
    clip: true
    spacing: 0
    boundsBehavior: Flickable.StopAtBounds
    reuseItems: true
    activeFocusOnTab: true
    keyNavigationEnabled: true
    bottomMargin: Theme.spacing
    topMargin: Theme.spacing
    Accessible.role: Accessible.List
    Accessible.name: qsTr("Messages")
    ScrollBar.vertical: ScrollBar {
        onPressedChanged: if (!pressed) list.followingNewest = list.atYEnd
    }

    onContentYChanged: fetchOlderIfNear()
    // Qt 6.4's qmllint takes Qt.callLater for a property that may not be a function (docs/development.md, "qmllint").
    // qmllint disable type
    onCountChanged: Qt.callLater(fetchOlderIfNear)
    onHeightChanged: {
        Qt.callLater(followIfNeeded)
        Qt.callLater(fetchOlderIfNear)
    }
    onContentHeightChanged: Qt.callLater(followIfNeeded)
    // qmllint enable type
    onMovementEnded: followingNewest = atYEnd
    onModelChanged: followingNewest = true

    delegate: ThreadRow {
        width: ListView.view.width
        thread: ListView.view.model as ThreadModel
        onOpenConversationRequested: (id) => list.openConversationRequested(id)
        onAttachmentOpenRequested: (messageId, index, kind) => list.attachmentOpenRequested(messageId, index, kind)
        onAttachmentCancelRequested: (messageId, clientId, index, state) =>
                                     list.attachmentCancelRequested(messageId, clientId, index, state)
    }

    header: Item {
        // With BottomToTop the header sits above the oldest message: the place to show paging.
        width: ListView.view.width
        // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
        // qmllint disable unqualified
        height: list.loading ? 48 : 0
        BusyIndicator {
            objectName: "olderMessagesIndicator"
            anchors.centerIn: parent
            width: 32
            height: 32
            running: list.loading
            visible: list.loading
        // qmllint enable unqualified
        }
    }
}
