// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
// Qualified: Larch.Models has a C++ type named StandardConversationForm (App.standardForm's class), which
// would otherwise hide this module's StandardConversationForm.qml.
import Larch.Models as Models

// '+' → "Text Message (SMS)" or "Email": the standard conversation form in a dialog (full width on
// a phone), bound to App.standardForm.
LarchDialog {
    id: dialog
    objectName: "standardConversationDialog"

    /// Emitted when a conversation was created or the existing one chosen; the screen shows it.
    signal conversationOpened(string conversationId)

    /// Starts a new, empty form for "sms" or "email" and shows it.
    function openFor(channel) {
        Models.App.standardForm.reset(channel)
        open()
    }

    title: Models.App.standardForm.channel === Models.Channel.Email ? qsTr("Email") : qsTr("Text Message (SMS)")

    StandardConversationForm {
        id: form
        objectName: "standardConversationForm"
        Layout.fillWidth: true
        focus: true
        controller: Models.App.standardForm
        onOpenConversationRequested: (id) => {
            Models.App.current.open(id)
            dialog.close()
            dialog.conversationOpened(id)
        }
    }

    buttons: [
        PrimaryButton {
            objectName: "createStandardButton"
            text: qsTr("Create conversation")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            busy: Models.App.standardForm.busy
            enabled: Models.App.standardForm.canCreate || Models.App.standardForm.busy
            onClicked: form.submit()
        },
        SecondaryButton {
            text: qsTr("Cancel")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.close()
        }
    ]

    Connections {
        target: Models.App.standardForm
        // The app has opened the new conversation already.
        function onCreated(conversationId) {
            dialog.close()
            dialog.conversationOpened(conversationId)
        }
    }
}
