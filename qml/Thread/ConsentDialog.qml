// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// "Record consent" for a standard conversation: how the patient agreed to unencrypted messages
// (verbally, in writing, or by writing first) and an optional note. Closes once the record is stored.
// Presentation only: recordConsent() and its busy/error state belong to the controller (App.standard).
LarchDialog {
    id: dialog
    objectName: "consentDialog"

    /// App.standard, or a stand-in with its properties: channel, contactDisplay, busy, error;
    /// recordConsent(method, note) and the signal consentSaved().
    property var standard: null

    /// The longest note the server keeps, in characters as a person counts them.
    readonly property int noteLimit: 500
    /// The note's characters, counted as the limit counts them (an emoji is one).
    readonly property int noteLength: Characters.count(noteField.text)
    readonly property bool isEmail: standard !== null && standard.channel === Channel.Email
    /// "verbal", "written" or "patient_initiated"; "" until the person chooses.
    readonly property string method: verbalOption.checked ? verbalOption.method
                                   : writtenOption.checked ? writtenOption.method
                                   : firstOption.checked ? firstOption.method : ""
    readonly property bool busy: standard !== null && standard.busy
    readonly property bool canRecord: method.length > 0 && noteLength <= noteLimit && !busy

    /// Sends the choice and the note to the controller; the dialog closes when it has been stored.
    function record() {
        if (!canRecord || !standard)
            return
        attempted = true
        standard.recordConsent(method, noteField.text.trim())
    }

    // A record was sent since the dialog opened: only then is the controller's error about this dialog.
    property bool attempted: false

    // Stored: the dialog's work is done. On a refusal the sentence shows and the choice stays.
    Connections {
        target: dialog.standard
        function onConsentSaved() {
            if (dialog.attempted)
                dialog.close()
        }
    }

    title: qsTr("Record consent")
    onOpened: {
        for (const option of [verbalOption, writtenOption, firstOption])
            option.checked = false
        methods.checkedButton = null  // unchecking by hand does not clear it in an exclusive group
        noteField.text = ""
        attempted = false
        verbalOption.forceActiveFocus()
    }

    component MethodOption: RadioButton {
        id: option
        /// The method's name in the protocol.
        property string method
        /// A short sentence under the choice.
        property string detail

        Layout.fillWidth: true
        focusPolicy: Qt.StrongFocus
        padding: Theme.padding
        leftPadding: Theme.padding + 28
        Accessible.name: text
        Accessible.description: detail

        indicator: Rectangle {
            x: Theme.padding
            y: option.topPadding + 1
            width: 18
            height: 18
            radius: 9
            color: Theme.surface
            border.width: option.checked ? 2 : 1
            border.color: option.checked ? Theme.accent : Theme.textSecondary
            Rectangle {
                anchors.centerIn: parent
                width: 8
                height: 8
                radius: 4
                color: Theme.accent
                visible: option.checked
            }
        }
        contentItem: ColumnLayout {
            spacing: 2
            Label {
                Layout.fillWidth: true
                text: option.text
                wrapMode: Text.Wrap
                color: Theme.text
                font.weight: Font.DemiBold
            }
            Label {
                Layout.fillWidth: true
                text: option.detail
                wrapMode: Text.Wrap
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize + 1
            }
        }
        background: Rectangle {
            radius: Theme.radius
            color: option.checked ? Theme.accentSofter : option.hovered ? Theme.hover : Theme.surface
            border.width: 1
            border.color: option.checked ? Theme.accent : Theme.border
            FocusRing { shown: option.visualFocus }
        }
    }

    ButtonGroup {
        id: methods
        buttons: [verbalOption, writtenOption, firstOption]
    }

    Label {
        objectName: "consentQuestion"
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        textFormat: Text.PlainText
        color: Theme.text
        text: !dialog.standard ? ""
              : (dialog.isEmail
                 ? qsTr("Messages in this conversation go by email to %1 and are not end-to-end encrypted. How did the patient agree to receive them?")
                 : qsTr("Messages in this conversation go by SMS to %1 and are not end-to-end encrypted. How did the patient agree to receive them?"))
                .arg(dialog.standard.contactDisplay)
    }

    MethodOption {
        id: verbalOption
        objectName: "verbalOption"
        method: "verbal"
        enabled: !dialog.busy
        text: qsTr("Verbal")
        detail: qsTr("The patient agreed in person or on the phone.")
        KeyNavigation.down: writtenOption
    }
    MethodOption {
        id: writtenOption
        objectName: "writtenOption"
        method: "written"
        enabled: !dialog.busy
        text: qsTr("Written")
        detail: qsTr("The patient signed a consent form.")
        KeyNavigation.up: verbalOption
        KeyNavigation.down: firstOption
    }
    MethodOption {
        id: firstOption
        objectName: "patientInitiatedOption"
        method: "patient_initiated"
        enabled: !dialog.busy
        text: dialog.isEmail ? qsTr("The patient emailed first") : qsTr("The patient texted first")
        detail: dialog.isEmail ? qsTr("The patient started this conversation by email.")
                               : qsTr("The patient started this conversation by text message.")
        KeyNavigation.up: writtenOption
        KeyNavigation.down: noteField
    }

    Label {
        Layout.topMargin: Theme.spacing
        text: qsTr("Note (optional)")
        color: Theme.text
        font.pixelSize: Theme.smallFontSize + 1
        font.weight: Font.DemiBold
    }
    TextArea {
        id: noteField
        objectName: "consentNoteField"
        Layout.fillWidth: true
        Layout.preferredHeight: Math.max(implicitHeight, 76)
        enabled: !dialog.busy
        wrapMode: TextEdit.Wrap
        placeholderText: qsTr("e.g. Agreed at check-in; prefers texts after 5 pm")
        placeholderTextColor: Theme.textSecondary
        color: Theme.text
        selectionColor: Theme.accentSoft
        selectedTextColor: Theme.text
        font.pixelSize: Theme.fontSize
        padding: Theme.padding
        Accessible.name: qsTr("Note, optional")
        KeyNavigation.priority: KeyNavigation.BeforeItem
        KeyNavigation.tab: recordButton
        KeyNavigation.backtab: firstOption
        background: Rectangle {
            radius: Theme.radius
            color: noteField.enabled ? Theme.surface : Theme.window
            border.width: noteField.activeFocus ? 2 : 1
            border.color: dialog.noteLength > dialog.noteLimit ? Theme.danger
                        : noteField.activeFocus ? Theme.focus : Theme.border
        }
    }
    Label {
        objectName: "noteCount"
        Layout.fillWidth: true
        visible: dialog.noteLength > dialog.noteLimit - 100
        horizontalAlignment: Text.AlignRight
        text: dialog.noteLength > dialog.noteLimit
              ? qsTr("Too long: %1 of %2 characters. Shorten the note.").arg(dialog.noteLength).arg(dialog.noteLimit)
              : qsTr("%1 of %2 characters").arg(dialog.noteLength).arg(dialog.noteLimit)
        color: dialog.noteLength > dialog.noteLimit ? Theme.danger : Theme.textSecondary
        font.pixelSize: Theme.smallFontSize
    }

    Label {
        objectName: "consentError"
        textFormat: Text.PlainText
        Layout.fillWidth: true
        visible: text.length > 0
        text: dialog.standard && dialog.attempted ? dialog.standard.error : ""
        wrapMode: Text.Wrap
        color: Theme.danger
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
    }

    buttons: [
        PrimaryButton {
            id: recordButton
            objectName: "recordConsentButton"
            text: qsTr("Record consent")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            busy: dialog.busy
            enabled: dialog.canRecord || dialog.busy
            onClicked: dialog.record()
        },
        SecondaryButton {
            objectName: "cancelConsentButton"
            text: qsTr("Cancel")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.close()
        }
    ]
}
