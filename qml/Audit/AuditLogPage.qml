// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The practice's audit log, for its administrators: who did what, to what, when and from where, newest first and
// older pages as the list scrolls; filters by staff member, patient and dates; "Export CSV" of what the filters
// match; and how long the records are kept. Presentation only: `log` is the controller.
FocusScope {
    id: page

    /// The audit log controller (App.auditLog; a stand-in in tests): model, loading, loadingMore, loaded, hasMore,
    /// error, filtered, exporting, actionError, notice, retentionYears, retentionIsDefault, and reload(),
    /// loadMore(), suggestedExportFile(), exportCsv(), dismissNotice() with the filters' own (AuditFilterBar).
    property var log: null
    readonly property bool compact: width < 480
    /// The list and its controls are no wider than this on a large window.
    readonly property int columnWidth: Math.min(width, 1120)

    /// Emitted when the person leaves the page.
    signal closeRequested()

    /// Asks where to save the records the filters match, then exports them there.
    function exportCsv() {
        saveDialog.selectedFile = log.suggestedExportFile()
        saveDialog.open()
    }
    /// Opens "How long to keep the audit log" (also used by the screenshot script).
    function showRetention() { retentionDialog.openWithCurrent() }
    /// Opens "Choose dates" (also used by the screenshot script).
    function showDates() { datesDialog.openWithCurrent() }

    Keys.onEscapePressed: page.closeRequested()

    Rectangle { anchors.fill: parent; color: Theme.window }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // The page's header: back, title, and "Export CSV".
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Theme.headerHeight
            color: Theme.surface
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacing
                anchors.rightMargin: page.compact ? Theme.spacing : Theme.margin
                spacing: Theme.spacing
                IconButton {
                    objectName: "auditBackButton"
                    iconName: "back"
                    label: qsTr("Back")
                    onClicked: page.closeRequested()
                }
                Label {
                    objectName: "auditTitle"
                    Layout.fillWidth: true
                    text: qsTr("Audit log")
                    elide: Text.ElideRight
                    color: Theme.text
                    font.pixelSize: Theme.titleFontSize + 2
                    font.weight: Font.DemiBold
                    Accessible.role: Accessible.Heading
                }
                SecondaryButton {
                    objectName: "exportCsvButton"
                    text: page.log && page.log.exporting ? qsTr("Exporting…") : qsTr("Export CSV")
                    iconName: "download"
                    enabled: page.log ? page.log.loaded && !page.log.exporting : false
                    implicitWidth: implicitContentWidth + 2 * (page.compact ? Theme.padding : Theme.margin)
                    Accessible.description: page.log && page.log.filtered
                                            ? qsTr("Exports the records the filters show")
                                            : qsTr("Exports every record")
                    onClicked: page.exportCsv()
                }
            }
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.divider }
        }

        NoticeStrip {
            objectName: "auditNotice"
            Layout.fillWidth: true
            visible: text.length > 0
            text: page.log ? page.log.notice : ""
            onDismissRequested: page.log.dismissNotice()
        }

        // An export or a retention change that failed, and what to do.
        Rectangle {
            objectName: "auditActionErrorStrip"
            Layout.fillWidth: true
            visible: page.log ? page.log.actionError.length > 0 && !retentionDialog.opened : false
            implicitHeight: actionErrorRow.implicitHeight + 2 * Theme.spacing
            color: Theme.dangerSoft
            RowLayout {
                id: actionErrorRow
                anchors.fill: parent
                anchors.leftMargin: Theme.margin
                anchors.rightMargin: Theme.margin
                Icon { iconName: "warning"; size: 18; color: Theme.danger }
                Label {
                    objectName: "auditActionErrorText"
                    Layout.fillWidth: true
                    text: page.log ? page.log.actionError : ""
                    wrapMode: Text.Wrap
                    color: Theme.danger
                }
            }
        }

        // How long the records are kept, and the way to change it.
        Rectangle {
            objectName: "retentionStrip"
            Layout.fillWidth: true
            visible: page.log ? page.log.retentionYears > 0 : false
            implicitHeight: retentionRow.implicitHeight + 2 * Theme.spacing
            color: Theme.accentSofter
            RowLayout {
                id: retentionRow
                x: (parent.width - width) / 2
                width: page.columnWidth - 2 * (page.compact ? Theme.spacing : Theme.margin)
                anchors.verticalCenter: parent.verticalCenter
                spacing: Theme.spacing
                Icon { iconName: "clock"; size: 18; color: Theme.accent; Layout.alignment: Qt.AlignVCenter }
                Label {
                    objectName: "retentionText"
                    Layout.fillWidth: true
                    text: !page.log ? ""
                        : page.log.retentionIsDefault
                          ? qsTr("Records are kept for %1 years, the least HIPAA allows, then removed automatically.").arg(page.log.retentionYears)
                          : qsTr("Records are kept for %1 years, then removed automatically.").arg(page.log.retentionYears)
                    wrapMode: Text.Wrap
                    color: Theme.text
                    font.pixelSize: Theme.smallFontSize + 1
                }
                Button {
                    id: changeRetention
                    objectName: "changeRetentionButton"
                    flat: true
                    text: qsTr("Change")
                    font.pixelSize: Theme.fontSize
                    font.weight: Font.DemiBold
                    onClicked: page.showRetention()
                    contentItem: Label {
                        text: changeRetention.text
                        font: changeRetention.font
                        color: Theme.accent
                        verticalAlignment: Text.AlignVCenter
                    }
                    background: Rectangle {
                        radius: Theme.radius
                        color: changeRetention.hovered ? Theme.hover : "transparent"
                        FocusRing { shown: changeRetention.visualFocus }
                    }
                }
            }
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.divider }
        }

        AuditFilterBar {
            objectName: "auditFilterBar"
            Layout.preferredWidth: page.columnWidth - 2 * (page.compact ? Theme.spacing : Theme.margin)
            Layout.alignment: Qt.AlignHCenter
            Layout.topMargin: Theme.padding
            Layout.bottomMargin: Theme.padding
            log: page.log
            onCustomDatesRequested: page.showDates()
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            Rectangle {
                id: listCard
                x: (parent.width - width) / 2
                width: page.compact ? parent.width : page.columnWidth - 2 * Theme.margin
                height: parent.height - (page.compact ? 0 : Theme.margin)
                visible: page.log ? page.log.loaded && list.count > 0 : false
                radius: page.compact ? 0 : 12
                color: Theme.surface
                border.width: page.compact ? 0 : 1
                border.color: Theme.divider
                clip: true

                ListView {
                    id: list
                    objectName: "auditRecordList"
                    anchors.fill: parent
                    anchors.margins: page.compact ? 0 : 1
                    model: page.log ? page.log.model : null
                    boundsBehavior: Flickable.StopAtBounds
                    headerPositioning: ListView.OverlayHeader
                    ScrollBar.vertical: ScrollBar { }

                    // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
                    // qmllint disable unqualified
                    header: AuditRecordRow {
                        z: 2
                        width: list.width
                        visible: wide
                        height: wide ? implicitHeight : 0
                        heading: true
                    }

                    delegate: AuditRecordRow {
                        // The roles by name (AuditRecordModel), without shadowing the row's own properties.
                        required property var model
                        width: ListView.view.width
                        when: model.when
                        shortWhen: model.shortWhen
                        who: model.who
                        byPatient: model.byPatient
                        device: model.device
                        actionText: model.actionText
                        object: model.object
                        address: model.address
                        warning: model.warning
                    }

                    // The end of the list: an older page on its way, or why it did not come.
                    footer: Item {
                        width: list.width
                        height: page.log && (page.log.loadingMore || page.log.error.length > 0) ? 64 : 0
                        BusyIndicator {
                            anchors.centerIn: parent
                            running: visible
                            visible: page.log ? page.log.loadingMore : false
                        }
                        RowLayout {
                            anchors.fill: parent
                            anchors.leftMargin: Theme.margin
                            anchors.rightMargin: Theme.margin
                            visible: page.log ? !page.log.loadingMore && page.log.error.length > 0 : false
                            Label {
                                objectName: "loadMoreError"
                                Layout.fillWidth: true
                                text: page.log ? page.log.error : ""
                                wrapMode: Text.Wrap
                                color: Theme.danger
                            }
                            SecondaryButton {
                                text: qsTr("Try again")
                                onClicked: page.log.loadMore()
                            }
                        }
                    }
                    // qmllint enable unqualified
                }
            }

            BusyIndicator {
                objectName: "auditBusy"
                anchors.centerIn: parent
                running: visible
                visible: page.log ? page.log.loading : false
            }

            EmptyState {
                objectName: "auditLoadError"
                anchors.fill: parent
                anchors.bottomMargin: 120
                visible: page.log ? !page.log.loaded && !page.log.loading && page.log.error.length > 0 : false
                iconName: "warning"
                title: qsTr("The audit log couldn't be loaded")
                text: page.log ? page.log.error : ""
            }
            SecondaryButton {
                objectName: "auditRetryButton"
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.top: parent.verticalCenter
                anchors.topMargin: 40
                visible: page.log ? !page.log.loaded && !page.log.loading && page.log.error.length > 0 : false
                text: qsTr("Try again")
                onClicked: page.log.reload()
            }

            EmptyState {
                objectName: "auditEmpty"
                anchors.fill: parent
                anchors.bottomMargin: 80
                visible: page.log ? page.log.loaded && list.count === 0 : false
                iconName: page.log && page.log.filtered ? "search" : "shield"
                title: page.log && page.log.filtered ? qsTr("No records match these filters") : qsTr("No records yet")
                text: page.log && page.log.filtered
                      ? qsTr("Try a longer date range or another person, or clear the filters to see every record.")
                      : qsTr("Sign-ins, invitations and changes to the practice's settings will appear here as they happen.")
            }
        }
    }

    AuditDatesDialog {
        id: datesDialog
        log: page.log
    }

    AuditRetentionDialog {
        id: retentionDialog
        log: page.log
    }

    FilePicker {
        id: saveDialog
        objectName: "saveAuditDialog"
        title: qsTr("Export the audit log")
        fileMode: FilePicker.SaveFile
        nameFilters: [qsTr("CSV files (*.csv)")]
        defaultSuffix: "csv"
        onAccepted: page.log.exportCsv(selectedFile)
    }
}
