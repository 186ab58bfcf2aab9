// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// Adds a Practice Link, or renames one and changes its tag (administrators). The sentences on the name and the
// tag come from the Practice Links controller, which checks as the server will.
LarchDialog {
    id: dialog
    objectName: "practiceLinkDialog"

    /// The Practice Links controller (App.practiceLinks): problemWithLabel(), problemWithTag(), add(), update(),
    /// clearFormError(), formError, busy, and the added/updated signals.
    property var links: null
    /// The link being edited; "" while adding one.
    property string linkId
    /// The person pressed the main button once: sentences show even for fields left empty.
    property bool tried: false
    readonly property string labelProblem: links && (tried || labelField.text.length > 0) ? links.problemWithLabel(labelField.text) : ""
    readonly property string tagProblem: links ? links.problemWithTag(tagField.text) : ""

    title: linkId.length > 0 ? qsTr("Edit Practice Link") : qsTr("Add Practice Link")

    /// Opens the empty form for a new link.
    function openToAdd() {
        linkId = ""
        labelField.text = ""
        tagField.text = ""
        begin()
    }
    /// Opens the form filled with a link's name and tag.
    function openToEdit(id, label, tag) {
        linkId = id
        labelField.text = label
        tagField.text = tag
        begin()
    }
    /// Checks what was typed and asks the controller to save it.
    function submit() {
        tried = true
        if (!links || labelProblem.length > 0 || tagProblem.length > 0)
            return
        if (linkId.length > 0)
            links.update(linkId, labelField.text, tagField.text)
        else
            links.add(labelField.text, tagField.text)
    }
    function begin() {
        tried = false
        if (links)
            links.clearFormError()
        open()
        labelField.forceActiveFocus()
    }

    Label { text: qsTr("Name"); font.weight: Font.DemiBold; color: Theme.text }
    Label {
        Layout.fillWidth: true
        text: qsTr("What your team calls this link, such as where it is shared. Patients don't see it.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
    }
    LarchTextField {
        id: labelField
        objectName: "linkLabelField"
        Layout.fillWidth: true
        enabled: !(dialog.links && dialog.links.busy)
        placeholderText: qsTr("Front desk flyer")
        invalid: dialog.labelProblem.length > 0
        Accessible.name: qsTr("Name")
        onAccepted: dialog.submit()
    }
    Label {
        objectName: "linkLabelProblem"
        Layout.fillWidth: true
        visible: text.length > 0
        text: dialog.labelProblem
        wrapMode: Text.Wrap
        color: Theme.danger
    }

    Label {
        text: qsTr("Tag (optional)")
        font.weight: Font.DemiBold
        color: Theme.text
        Layout.topMargin: Theme.spacing
    }
    Label {
        Layout.fillWidth: true
        text: qsTr("Conversations started through this link carry the tag, so your team can see where patients came from.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
    }
    LarchTextField {
        id: tagField
        objectName: "linkTagField"
        Layout.fillWidth: true
        enabled: !(dialog.links && dialog.links.busy)
        placeholderText: qsTr("new-patient")
        inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        invalid: dialog.tagProblem.length > 0
        Accessible.name: qsTr("Tag")
        onAccepted: dialog.submit()
    }
    Label {
        objectName: "linkTagProblem"
        Layout.fillWidth: true
        visible: text.length > 0
        text: dialog.tagProblem
        wrapMode: Text.Wrap
        color: Theme.danger
    }
    Label {
        objectName: "linkFormError"
        Layout.fillWidth: true
        visible: text.length > 0
        text: dialog.links ? dialog.links.formError : ""
        wrapMode: Text.Wrap
        color: Theme.danger
    }

    buttons: [
        PrimaryButton {
            objectName: "saveLinkButton"
            text: dialog.linkId.length > 0 ? qsTr("Save") : qsTr("Add link")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            busy: dialog.links ? dialog.links.busy : false
            onClicked: dialog.submit()
        },
        SecondaryButton {
            text: qsTr("Cancel")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.close()
        }
    ]

    Connections {
        target: dialog.links
        ignoreUnknownSignals: true
        function onAdded() { dialog.close() }
        function onUpdated() { dialog.close() }
    }
}
