// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// How many years the practice keeps its audit log (administrators): from HIPAA's six up to thirty. Records older
// than that are removed automatically, oldest first, and the records that remain still prove nothing was changed.
LarchDialog {
    id: dialog
    objectName: "auditRetentionDialog"

    /// The audit log controller (App.auditLog): retentionYears, minRetentionYears, maxRetentionYears,
    /// retentionBusy, actionError and setRetentionYears().
    property var log: null

    title: qsTr("How long to keep the audit log")
    preferredWidth: 460
    initialFocusItem: years

    /// Opens with the period the practice keeps now.
    function openWithCurrent() {
        years.value = log && log.retentionYears > 0 ? log.retentionYears : 6
        open()
    }

    Label {
        Layout.fillWidth: true
        text: qsTr("HIPAA asks practices to keep these records for at least %1 years. Records older than the period you choose are removed automatically, oldest first; what remains can still be checked for changes.")
              .arg(dialog.log ? dialog.log.minRetentionYears : 6)
        wrapMode: Text.Wrap
        color: Theme.textSecondary
    }
    RowLayout {
        spacing: Theme.padding
        SpinBox {
            id: years
            objectName: "retentionYearsBox"
            from: dialog.log ? dialog.log.minRetentionYears : 6
            to: dialog.log ? dialog.log.maxRetentionYears : 30
            editable: true
            implicitWidth: 150
            implicitHeight: Theme.controlHeight + 4
            font.pixelSize: Theme.fontSize
            Accessible.name: qsTr("Years to keep the audit log")
            // One rounded field like Larch's text fields, the − and + inside it.
            background: Rectangle {
                radius: Theme.radius
                color: Theme.surface
                border.width: years.activeFocus ? 2 : 1
                border.color: years.activeFocus ? Theme.focus : years.hovered ? Theme.textSecondary : Theme.border
            }
            down.indicator: Label {
                x: years.mirrored ? years.width - width : 0
                height: years.height
                width: 40
                text: "\u2212"
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                font.pixelSize: Theme.titleFontSize + 2
                color: years.value <= years.from ? Theme.textDisabled : years.down.pressed ? Theme.accentPressed : Theme.accent
            }
            up.indicator: Label {
                x: years.mirrored ? 0 : years.width - width
                height: years.height
                width: 40
                text: "+"
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                font.pixelSize: Theme.titleFontSize + 2
                color: years.value >= years.to ? Theme.textDisabled : years.up.pressed ? Theme.accentPressed : Theme.accent
            }
            contentItem: TextInput {
                text: years.displayText
                font: years.font
                color: Theme.text
                selectionColor: Theme.accentSoft
                selectedTextColor: Theme.text
                horizontalAlignment: Qt.AlignHCenter
                verticalAlignment: Qt.AlignVCenter
                readOnly: !years.editable
                validator: years.validator
                inputMethodHints: Qt.ImhDigitsOnly
            }
        }
        Label {
            text: qsTr("years")
            color: Theme.text
        }
    }
    Label {
        objectName: "retentionError"
        Layout.fillWidth: true
        visible: text.length > 0
        text: dialog.log ? dialog.log.actionError : ""
        wrapMode: Text.Wrap
        color: Theme.danger
    }

    buttons: [
        PrimaryButton {
            objectName: "saveRetentionButton"
            text: qsTr("Save")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            busy: dialog.log ? dialog.log.retentionBusy : false
            onClicked: {
                if (years.value === dialog.log.retentionYears) {
                    dialog.close()
                    return
                }
                dialog.log.setRetentionYears(years.value)
            }
        },
        SecondaryButton {
            text: qsTr("Cancel")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.close()
        }
    ]

    // Closes once the server agreed (the page's notice says so); a refusal stays on show here.
    Connections {
        target: dialog.log
        ignoreUnknownSignals: true
        function onRetentionChanged() {
            if (dialog.opened && !dialog.log.retentionBusy && dialog.log.actionError.length === 0
                    && dialog.log.retentionYears === years.value)
                dialog.close()
        }
    }
}
