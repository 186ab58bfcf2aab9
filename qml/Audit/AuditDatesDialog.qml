// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The first and last day the audit log shows, typed as dates; either may stay empty. What is wrong with them is the
// controller's sentence, shown until they are right.
LarchDialog {
    id: dialog
    objectName: "auditDatesDialog"

    /// The audit log controller (App.auditLog): fromDate, toDate and setDates().
    property var log: null
    /// Why the dates typed last could not be used; "" when they could.
    property string problem

    title: qsTr("Choose dates")
    preferredWidth: 420

    /// Opens with the days shown now.
    function openWithCurrent() {
        problem = ""
        fromField.text = log && !isNaN(log.fromDate) ? Qt.formatDate(log.fromDate, "yyyy-MM-dd") : ""
        toField.text = log && !isNaN(log.toDate) ? Qt.formatDate(log.toDate, "yyyy-MM-dd") : ""
        open()
    }
    function submit() {
        problem = log.setDates(fromField.text, toField.text)
        if (problem.length === 0)
            close()
    }

    Label {
        Layout.fillWidth: true
        text: qsTr("Both days are included. Leave one empty to show everything before or after the other.")
        wrapMode: Text.Wrap
        color: Theme.textSecondary
    }
    GridLayout {
        Layout.fillWidth: true
        columns: 2
        columnSpacing: Theme.padding
        rowSpacing: Theme.gap
        Label { text: qsTr("First day"); font.weight: Font.DemiBold; color: Theme.text }
        Label { text: qsTr("Last day"); font.weight: Font.DemiBold; color: Theme.text }
        LarchTextField {
            id: fromField
            objectName: "fromDateField"
            Layout.fillWidth: true
            placeholderText: "2026-12-01"
            inputMethodHints: Qt.ImhDate
            invalid: dialog.problem.length > 0
            Accessible.name: qsTr("First day")
            onAccepted: dialog.submit()
        }
        LarchTextField {
            id: toField
            objectName: "toDateField"
            Layout.fillWidth: true
            placeholderText: "2026-12-31"
            inputMethodHints: Qt.ImhDate
            invalid: dialog.problem.length > 0
            Accessible.name: qsTr("Last day")
            onAccepted: dialog.submit()
        }
    }
    Label {
        objectName: "datesProblem"
        Layout.fillWidth: true
        visible: text.length > 0
        text: dialog.problem
        wrapMode: Text.Wrap
        color: Theme.danger
    }

    buttons: [
        PrimaryButton {
            objectName: "applyDatesButton"
            text: qsTr("Show these days")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.submit()
        },
        SecondaryButton {
            text: qsTr("Cancel")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.close()
        }
    ]
}
