// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import Larch

// The audit log page: records in columns on a wide window with column titles, stacked on a phone; the loading,
// error (with its sentence and "Try again") and empty states, which say whether filters hide records; the retention
// strip and its dialog; the staff filter menu and "Clear filters"; the dates dialog showing the controller's
// sentence.
Item {
    id: scene
    width: 1100
    height: 800

    // A stand-in for App.auditLog with the same names, recording what the page asked for.
    Component {
        id: controllerComponent
        QtObject {
            property ListModel model: ListModel {
                ListElement { when: "7 Dec 2026, 14:05"; who: "Dr. Ben Okafor"; byPatient: false; device: "Ben's laptop"
                              actionText: "Signed in"; object: ""; address: "203.0.113.7"; warning: false }
                ListElement { when: "7 Dec 2026, 13:58"; who: "Sam Lee"; byPatient: true; device: ""
                              actionText: "Sign-in failed"; object: ""; address: "198.51.100.2"; warning: true }
                ListElement { when: "6 Dec 2026, 09:12"; who: "Ana Ruiz"; byPatient: false; device: "Front desk"
                              actionText: "Invited a patient"; object: "Invitation of Maya Chen"; address: "203.0.113.9"
                              warning: false }
            }
            property bool loading: false
            property bool loadingMore: false
            property bool loaded: true
            property bool hasMore: false
            property string error
            property bool filtered: false
            property bool exporting: false
            property string actionError
            property string notice
            property int retentionYears: 6
            property bool retentionIsDefault: true
            property int minRetentionYears: 6
            property int maxRetentionYears: 30
            property bool retentionBusy: false
            property var staffChoices: [{ id: "s-1", name: "Ana Ruiz", active: true },
                                        { id: "s-2", name: "Dr. Ben Okafor", active: true },
                                        { id: "s-3", name: "Dr. Lee Former", active: false }]
            property var patientChoices: [{ id: "p-1", name: "Sam Lee" }]
            property string staffId
            property string staffName
            property string patientId
            property string patientName
            property date fromDate
            property date toDate
            property string dateRangeText
            property var calls: []
            function record(call) { calls = calls.concat([call]) }
            function reload() { record(["reload"]) }
            function loadMore() { record(["loadMore"]) }
            function setStaffFilter(id) { record(["staff", id]); staffId = id; filtered = id.length > 0 }
            function setPatientFilter(id, name) { record(["patient", id, name]) }
            function searchPatients(text) { record(["search", text]) }
            function setLastDays(days) { record(["days", days]) }
            function setDates(from, to) {
                record(["dates", from, to])
                return from === "soon" ? "Type the first day as a date, such as 2026-12-07." : ""
            }
            function clearFilters() { record(["clear"]); staffId = ""; filtered = false }
            function suggestedExportFile() { return "file:///tmp/Audit log.csv" }
            function exportCsv(file) { record(["export", file]) }
            function setRetentionYears(years) { record(["retention", years]); retentionYears = years }
            function dismissNotice() { notice = "" }
        }
    }
    Component {
        id: pageComponent
        AuditLogPage { anchors.fill: parent }
    }

    TestCase {
        name: "AuditLogPage"
        when: windowShown

        function cleanup() { scene.width = 1100 }

        function createPage(properties) {
            const log = createTemporaryObject(controllerComponent, scene, properties || {})
            const page = createTemporaryObject(pageComponent, scene, { log: log })
            verify(page)
            return page
        }

        function row(page, index) {
            const list = findChild(page, "auditRecordList")
            tryVerify(() => list.count > index && list.itemAtIndex(index) !== null)
            return list.itemAtIndex(index)
        }

        function test_recordsInColumnsWithTitles() {
            const page = createPage()
            const list = findChild(page, "auditRecordList")
            tryVerify(() => list.visible)
            compare(list.count, 3)
            verify(list.headerItem.visible, "column titles over a wide list")
            compare(findChild(list.headerItem, "actionLabel").text, "What")
            const first = row(page, 0)
            verify(first.wide)
            compare(findChild(first, "actionLabel").text, "Signed in")
            compare(findChild(first, "whoLabel").text, "Dr. Ben Okafor")
            compare(findChild(first, "deviceLabel").text, "on Ben's laptop")
            compare(findChild(first, "addressLabel").text, "203.0.113.7")
            compare(findChild(first, "whenLabel").text, "7 Dec 2026, 14:05")
            verify(!findChild(first, "patientTag").visible)
            verify(!findChild(first, "warningMark").visible)
            const second = row(page, 1)
            verify(findChild(second, "patientTag").visible)
            verify(findChild(second, "warningMark").visible)
            compare(findChild(row(page, 2), "objectLabel").text, "Invitation of Maya Chen")
            // Columns line up with their titles.
            compare(findChild(first, "actionLabel").mapToItem(list, 0, 0).x,
                    findChild(list.headerItem, "actionLabel").mapToItem(list, 0, 0).x)
        }

        function test_phoneStacksTheRow() {
            scene.width = 390
            const page = createPage()
            const first = row(page, 0)
            verify(!first.wide)
            verify(!findChild(first, "whenLabel").visible)
            compare(findChild(first, "addressLabel").text, "From 203.0.113.7")
            verify(!findChild(page, "auditRecordList").headerItem.visible)
        }

        function test_loadingErrorAndEmptyStates() {
            const page = createPage({ loaded: false, loading: true })
            verify(findChild(page, "auditBusy").visible)
            verify(!findChild(page, "auditRecordList").visible)
            verify(!findChild(page, "exportCsvButton").enabled)

            page.log.loading = false
            page.log.error = "Larch can't reach the server. Check your internet connection and try again."
            const failed = findChild(page, "auditLoadError")
            verify(failed.visible)
            compare(failed.text, page.log.error)
            mouseClick(findChild(page, "auditRetryButton"))
            compare(page.log.calls[0], ["reload"])

            page.log.error = ""
            page.log.model.clear()
            page.log.loaded = true
            const empty = findChild(page, "auditEmpty")
            verify(empty.visible)
            compare(empty.title, "No records yet")
            page.log.filtered = true
            compare(empty.title, "No records match these filters")
            verify(findChild(page, "clearFiltersButton").visible)
        }

        function test_retentionStripAndDialog() {
            const page = createPage()
            const strip = findChild(page, "retentionStrip")
            verify(strip.visible)
            verify(findChild(strip, "retentionText").text.indexOf("6 years") > 0)
            mouseClick(findChild(page, "changeRetentionButton"))
            const dialog = findChild(page, "auditRetentionDialog")
            tryCompare(dialog, "opened", true)
            const box = findChild(dialog, "retentionYearsBox")
            compare(box.value, 6)
            compare(box.from, 6)
            compare(box.to, 30)
            box.value = 10
            mouseClick(findChild(dialog, "saveRetentionButton"))
            compare(page.log.calls[page.log.calls.length - 1], ["retention", 10])
            page.log.retentionIsDefault = false
            verify(findChild(strip, "retentionText").text.indexOf("10 years") > 0)
        }

        function test_staffFilterAndClear() {
            const page = createPage()
            const chip = findChild(page, "staffFilterChip")
            compare(chip.text, "Everyone")
            mouseClick(chip)
            const menu = findChild(page, "staffFilterMenu")
            tryVerify(() => menu.opened)
            compare(menu.count, 4) // Everyone and three staff members
            compare(menu.itemAt(3).detail, "No longer works here")
            waitForRendering(menu.contentItem)
            mouseClick(menu.itemAt(2))
            compare(page.log.calls[page.log.calls.length - 1], ["staff", "s-2"])
            const clear = findChild(page, "clearFiltersButton")
            verify(clear.visible)
            mouseClick(clear)
            compare(page.log.calls[page.log.calls.length - 1], ["clear"])
            verify(!clear.visible)
        }

        function test_datesDialogSaysWhatIsWrong() {
            const page = createPage()
            page.showDates()
            const dialog = findChild(page, "auditDatesDialog")
            tryCompare(dialog, "opened", true)
            findChild(dialog, "fromDateField").text = "soon"
            mouseClick(findChild(dialog, "applyDatesButton"))
            compare(page.log.calls[page.log.calls.length - 1], ["dates", "soon", ""])
            verify(findChild(dialog, "datesProblem").visible)
            verify(dialog.opened)
            findChild(dialog, "fromDateField").text = "2026-12-01"
            mouseClick(findChild(dialog, "applyDatesButton"))
            tryCompare(dialog, "visible", false)
        }
    }
}
