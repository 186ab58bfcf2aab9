// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The audit log's filters as chips that wrap on a phone: a staff member (the practice's staff, former staff too), a
// patient (searched by name) and the dates, with "Clear filters" while any is set. Presentation only: `log` keeps
// the filters and reloads the list.
Flow {
    id: bar

    /// The audit log controller (App.auditLog; a stand-in in tests): staffChoices, patientChoices, staffId,
    /// staffName, patientId, patientName, dateRangeText, filtered, and setStaffFilter(), setPatientFilter(),
    /// searchPatients(), setLastDays(), clearFilters().
    property var log: null

    /// Emitted when "Choose dates…" is picked: the page asks for the first and last day.
    signal customDatesRequested()

    spacing: Theme.spacing

    AuditFilterChip {
        id: staffChip
        objectName: "staffFilterChip"
        caption: qsTr("Staff")
        text: bar.log && bar.log.staffId.length > 0 ? bar.log.staffName : qsTr("Everyone")
        active: bar.log ? bar.log.staffId.length > 0 : false
        onClicked: staffMenu.open()

        LarchMenu {
            id: staffMenu
            objectName: "staffFilterMenu"
            y: staffChip.height + 4
            preferredWidth: 260
            LarchMenuItem {
                objectName: "everyoneItem"
                text: qsTr("Everyone")
                iconName: bar.log && bar.log.staffId.length === 0 ? "check" : ""
                onTriggered: bar.log.setStaffFilter("")
            }
        }
        // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
        // qmllint disable unqualified
        Instantiator {
            model: bar.log ? bar.log.staffChoices : []
            delegate: LarchMenuItem {
                required property var modelData
                text: modelData.name
                detail: modelData.active ? "" : qsTr("No longer works here")
                iconName: bar.log && bar.log.staffId === modelData.id ? "check" : ""
                onTriggered: bar.log.setStaffFilter(modelData.id)
            }
            onObjectAdded: (index, object) => staffMenu.insertItem(index + 1, object)
            onObjectRemoved: (index, object) => staffMenu.removeItem(object)
        }
        // qmllint enable unqualified
    }

    AuditFilterChip {
        id: patientChip
        objectName: "patientFilterChip"
        caption: qsTr("Patient")
        text: bar.log && bar.log.patientId.length > 0 ? bar.log.patientName : qsTr("Any")
        active: bar.log ? bar.log.patientId.length > 0 : false
        onClicked: patientPopup.open()

        Popup {
            id: patientPopup
            objectName: "patientPicker"
            y: patientChip.height + 4
            width: Math.min(320, bar.width)
            padding: Theme.spacing
            focus: true
            onOpened: {
                search.text = ""
                bar.log.searchPatients("")
                search.forceActiveFocus()
            }
            background: Rectangle {
                radius: Theme.radius + 2
                color: Theme.surface
                border.width: 1
                border.color: Theme.border
            }
            contentItem: ColumnLayout {
                spacing: Theme.spacing
                LarchTextField {
                    id: search
                    objectName: "patientSearchField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Search patients by name")
                    Accessible.name: qsTr("Search patients by name")
                    onTextEdited: bar.log.searchPatients(text)
                }
                ItemDelegate {
                    objectName: "anyPatientItem"
                    Layout.fillWidth: true
                    visible: bar.log ? bar.log.patientId.length > 0 : false
                    text: qsTr("Any patient")
                    onClicked: {
                        bar.log.setPatientFilter("", "")
                        patientPopup.close()
                    }
                }
                ListView {
                    id: patients
                    objectName: "patientChoiceList"
                    Layout.fillWidth: true
                    Layout.preferredHeight: Math.min(contentHeight, 240)
                    clip: true
                    model: bar.log ? bar.log.patientChoices : []
                    boundsBehavior: Flickable.StopAtBounds
                    ScrollBar.vertical: ScrollBar { }
                    // qmllint disable unqualified
                    delegate: ItemDelegate {
                        required property var modelData
                        width: ListView.view.width
                        text: modelData.name
                        font.weight: bar.log && bar.log.patientId === modelData.id ? Font.DemiBold : Font.Normal
                        onClicked: {
                            bar.log.setPatientFilter(modelData.id, modelData.name)
                            patientPopup.close()
                        }
                    }
                    // qmllint enable unqualified
                }
                Label {
                    objectName: "noPatientMatch"
                    Layout.fillWidth: true
                    visible: patients.count === 0
                    text: search.text.trim().length > 0
                          ? qsTr("No patient's name contains “%1”.").arg(search.text.trim())
                          : qsTr("No patients yet.")
                    wrapMode: Text.Wrap
                    color: Theme.textSecondary
                    leftPadding: Theme.spacing
                }
            }
        }
    }

    AuditFilterChip {
        id: datesChip
        objectName: "datesFilterChip"
        caption: qsTr("Dates")
        text: bar.log && bar.log.dateRangeText.length > 0 ? bar.log.dateRangeText : qsTr("Any time")
        active: bar.log ? bar.log.dateRangeText.length > 0 : false
        onClicked: datesMenu.open()

        LarchMenu {
            id: datesMenu
            objectName: "datesFilterMenu"
            y: datesChip.height + 4
            preferredWidth: 220
            LarchMenuItem { text: qsTr("Any time"); onTriggered: bar.log.setLastDays(0) }
            LarchMenuItem { text: qsTr("Today"); onTriggered: bar.log.setLastDays(1) }
            LarchMenuItem { text: qsTr("Last 7 days"); onTriggered: bar.log.setLastDays(7) }
            LarchMenuItem { text: qsTr("Last 30 days"); onTriggered: bar.log.setLastDays(30) }
            LarchMenuItem { text: qsTr("Last 12 months"); onTriggered: bar.log.setLastDays(365) }
            LarchMenuItem {
                objectName: "customDatesItem"
                text: qsTr("Choose dates…")
                iconName: "clock"
                onTriggered: bar.customDatesRequested()
            }
        }
    }

    Button {
        id: clear
        objectName: "clearFiltersButton"
        visible: bar.log ? bar.log.filtered : false
        height: staffChip.height
        flat: true
        text: qsTr("Clear filters")
        font.pixelSize: Theme.fontSize
        onClicked: bar.log.clearFilters()
        contentItem: Label {
            text: clear.text
            font: clear.font
            color: Theme.accent
            verticalAlignment: Text.AlignVCenter
        }
        background: Rectangle {
            radius: height / 2
            color: clear.hovered ? Theme.hover : "transparent"
            FocusRing { shown: clear.visualFocus }
        }
    }
}
