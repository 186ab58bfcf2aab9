// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQml
import Larch.Models

// Stands in for App.standardForm (StandardConversationForm) in the QuickTests: the contract's
// properties, and invokables that record how they were called.
QtObject {
    property int channel: Channel.Sms
    property string name: ""
    property string contact: ""
    property string contactDisplay: ""
    property string contactError: ""
    property string warning: ""
    property bool checking: false
    property string duplicateConversationId: ""
    property bool busy: false
    property string error: ""
    property bool canCreate: false

    /// Each call as [name, arguments...], oldest first.
    property var calls: []

    signal created(string conversationId)

    function reset(newChannel) {
        calls = calls.concat([["reset", newChannel]])
        channel = newChannel === "email" ? Channel.Email : Channel.Sms
        name = ""
        contact = ""
    }
    function checkNow() {
        calls = calls.concat([["checkNow"]])
    }
    function create() {
        calls = calls.concat([["create"]])
    }
}
