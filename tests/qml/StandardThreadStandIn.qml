// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQml
import Larch.Models

// Stands in for App.standard (StandardThread) in the QuickTests: the contract's properties, and
// invokables that record how they were called.
QtObject {
    property bool isStandard: true
    property int channel: Channel.Sms
    property string contactDisplay: "(201) 555-0123"
    property bool consentRecorded: false
    property string consentText: ""
    property string consentNote: ""
    property bool optedOut: false
    property string optedOutText: ""
    property bool canSend: false
    property string blockedReason: "Record the patient's consent to unencrypted messages before the first message."
    property string secureConversationId: ""
    property bool busy: false
    property string error: ""

    /// Each call as [name, arguments...], oldest first.
    property var calls: []
    /// When true, an invokable starts a request: busy turns on until the test answers it.
    property bool startsRequests: false

    signal secureConversationReady(string conversationId)
    signal consentSaved()

    function recordConsent(method, note) {
        calls = calls.concat([["recordConsent", method, note]])
        if (startsRequests)
            busy = true
    }
    function inviteToSecure() {
        calls = calls.concat([["inviteToSecure"]])
        if (startsRequests)
            busy = true
    }
}
