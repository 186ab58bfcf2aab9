// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQml
import Larch.Models

// Stands in for App.attachments (AttachmentViewer) in the QuickTests: the contract's properties, and invokables
// that record how they were called.
QtObject {
    property string messageId: "m-photo"
    property int index: 0
    property int kind: AttachmentKind.Image
    property string name: "IMG_2041.jpg"
    property string mime: "image/jpeg"
    property string sizeText: "2.4 MB"
    property string thumbnail: "image://attachment/thumb/m-photo"
    property int state: AttachmentState.Downloading
    property real progress: 0.4
    property string error: ""
    property bool canRetry: true
    property url source: ""
    property string saveMessage: ""
    property bool saveFailed: false
    property bool saving: false

    /// Each call as [name, arguments...], oldest first.
    property var calls: []

    function record(call) { calls = calls.concat([call]) }
    function open(id, index) { record(["open", id, index]) }
    function cancel() { record(["cancel"]) }
    function release() { record(["release"]) }
    function saveCopy(id, index, url) { record(["saveCopy", id, index, String(url)]) }
    function cancelUpload(clientId) { record(["cancelUpload", clientId]) }
    function suggestedSaveUrl(id, index) {
        record(["suggestedSaveUrl", id, index])
        return "file:///tmp/" + name
    }
}
