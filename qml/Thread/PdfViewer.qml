// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Pdf
import Larch
import Larch.Models

// A PDF read in the app (Qt PDF): pages one below the other, "Page 3 of 12" with previous/next, zoom in, out and
// to the window's width, text search with the number of matches and next/previous, and a strip of page
// thumbnails on wide windows. Loaded through a Loader (AttachmentViewerHost) so the app runs without Qt PDF.
FocusScope {
    id: viewer

    /// The decrypted PDF (file:// URL of a private temporary file).
    property url source
    readonly property alias document: doc
    readonly property int pageCount: doc.status === PdfDocument.Ready ? doc.pageCount : 0
    /// Zero-based page in view: the one a third of the way down the view.
    readonly property int currentPage: pageInView
    /// Pixels per PDF point.
    readonly property real renderScale: view.renderScale
    readonly property string pageText: pageCount > 0 ? qsTr("Page %1 of %2").arg(currentPage + 1).arg(pageCount) : ""
    /// What the search field holds.
    property alias searchText: searchField.text
    /// Places the search text was found, all pages together.
    property int matchCount: 0
    /// Zero-based match last shown by next/previous; -1 until then (and after the search text changed).
    property int currentMatch: -1
    readonly property string matchText: searchText.length === 0 ? ""
        : matchCount === 0 ? qsTr("No matches")
        : currentMatch >= 0 ? qsTr("%1 of %2").arg(currentMatch + 1).arg(matchCount)
        : matchCount === 1 ? qsTr("1 match") : qsTr("%1 matches").arg(matchCount)
    /// Room for the page strip (desktop); phones read without it.
    readonly property bool wide: width >= Theme.wideBreakpoint
    readonly property string errorText: doc.status === PdfDocument.Error
        ? qsTr("This PDF cannot be shown here. Save a copy to open it in another app.") : ""

    function goToPage(page) {
        if (page >= 0 && page < pageCount)
            view.goToPage(page)
    }

    // PdfMultiPageView's own currentPage follows its navigation history and scroll bar, not every flick or wheel
    // turn (Qt 6.4): the page in view is worked out from where its table of pages is scrolled.
    property int pageInView: 0
    readonly property TableView pageTable: view.children.length > 0 ? view.children[0] as TableView : null
    function updatePageInView() {
        if (!pageTable || pageCount === 0) {
            pageInView = 0
            return
        }
        const probe = pageTable.contentY - pageTable.originY + pageTable.height / 3
        let top = 0
        let page = 0
        for (; page < pageCount - 1; ++page) {
            top += doc.pagePointSize(page).height * view.renderScale + pageTable.rowSpacing
            if (probe < top)
                break
        }
        pageInView = page
    }
    Connections {
        target: viewer.pageTable
        function onContentYChanged() { viewer.updatePageInView() }
        function onHeightChanged() { viewer.updatePageInView() }
    }
    onPageCountChanged: updatePageInView()
    /// The page's width follows the view's (also as the window is resized) until the person zooms.
    property bool fitToWidth: true
    function zoomIn() {
        fitToWidth = false
        view.renderScale = Math.min(8, view.renderScale * 1.25)
    }
    function zoomOut() {
        fitToWidth = false
        view.renderScale = Math.max(0.25, view.renderScale / 1.25)
    }
    /// The page's width fills the view.
    function fitWidth() {
        fitToWidth = true
        applyFit()
    }
    function applyFit() {
        if (pageCount > 0 && view.width > 0)
            view.scaleToWidth(view.width - 24, view.height)
    }
    function findNext() {
        if (matchCount > 0)
            showMatch((currentMatch + 1) % matchCount)
    }
    function findPrevious() {
        if (matchCount > 0)
            showMatch(currentMatch < 0 ? matchCount - 1 : (currentMatch - 1 + matchCount) % matchCount)
    }
    function showMatch(index) {
        currentMatch = index
        if (view.searchModel.currentResult !== index) {
            view.searchModel.currentResult = index  // the view jumps there itself
        } else {
            // The model already points there (its first result is current from the start): jump by hand.
            const link = view.searchModel.currentResultLink
            view.goToLocation(link.page, link.location, 0)
        }
    }
    function countMatches() { matchCount = searchText.length > 0 ? view.searchModel.rowCount() : 0 }

    onSearchTextChanged: currentMatch = -1
    Keys.onPressed: (event) => {
        if (event.matches(StandardKey.Find)) {
            searchField.forceActiveFocus()
            event.accepted = true
        } else if (event.matches(StandardKey.ZoomIn) || event.key === Qt.Key_Plus) {
            zoomIn()
            event.accepted = true
        } else if (event.matches(StandardKey.ZoomOut) || event.key === Qt.Key_Minus) {
            zoomOut()
            event.accepted = true
        } else if (event.key === Qt.Key_PageDown) {
            goToPage(currentPage + 1)
            event.accepted = true
        } else if (event.key === Qt.Key_PageUp) {
            goToPage(currentPage - 1)
            event.accepted = true
        }
    }

    PdfDocument {
        id: doc
        source: viewer.source
        // Qt 6.4's qmllint takes Qt.callLater for a property that may not be a function (docs/development.md, "qmllint").
        // qmllint disable type
        onStatusChanged: if (doc.status === PdfDocument.Ready && viewer.fitToWidth) Qt.callLater(viewer.applyFit)
        // qmllint enable type
    }
    // A page may still be rendering on Qt Quick's image reader thread: the document outlives the viewer a while,
    // holding the file it has open (its source no longer follows the viewer's).
    Component.onDestruction: {
        doc.source = doc.source
        PdfDocumentKeeper.keep(doc)
    }

    Connections {
        // The search model fills page by page; the count follows.
        target: view.searchModel
        function onRowsInserted() { viewer.countMatches() }
        function onRowsRemoved() { viewer.countMatches() }
        function onModelReset() { viewer.countMatches() }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: tools.implicitHeight + 2 * Theme.gap
            color: Theme.surface
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.divider }

            GridLayout {
                id: tools
                // One row on desktop; on a phone the search gets a row of its own.
                x: Theme.spacing
                y: Theme.gap
                width: parent.width - 2 * Theme.spacing
                columns: viewer.wide ? 2 : 1
                rowSpacing: 0
                columnSpacing: Theme.margin

                RowLayout {
                    spacing: 0
                    IconButton {
                        objectName: "previousPage"
                        iconName: "chevron-up"
                        label: qsTr("Previous page")
                        enabled: viewer.currentPage > 0
                        onClicked: viewer.goToPage(viewer.currentPage - 1)
                    }
                    Label {
                        objectName: "pageLabel"
                        text: viewer.pageText
                        color: Theme.text
                        Layout.minimumWidth: 96
                        horizontalAlignment: Text.AlignHCenter
                        Accessible.role: Accessible.StaticText
                        Accessible.name: text
                    }
                    IconButton {
                        objectName: "nextPage"
                        iconName: "chevron-down"
                        label: qsTr("Next page")
                        enabled: viewer.currentPage + 1 < viewer.pageCount
                        onClicked: viewer.goToPage(viewer.currentPage + 1)
                    }
                    Item { Layout.preferredWidth: Theme.spacing }
                    IconButton {
                        objectName: "zoomOut"
                        iconName: "zoom-out"
                        label: qsTr("Zoom out")
                        onClicked: viewer.zoomOut()
                    }
                    Label {
                        objectName: "zoomLabel"
                        text: Math.round(viewer.renderScale * 100) + "%"
                        color: Theme.textSecondary
                        font.pixelSize: Theme.smallFontSize
                        Layout.minimumWidth: 40
                        horizontalAlignment: Text.AlignHCenter
                    }
                    IconButton {
                        objectName: "zoomIn"
                        iconName: "zoom-in"
                        label: qsTr("Zoom in")
                        onClicked: viewer.zoomIn()
                    }
                    IconButton {
                        objectName: "fitWidth"
                        iconName: "fit-page"
                        label: qsTr("Fit to width")
                        onClicked: viewer.fitWidth()
                    }
                }

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.gap
                    LarchTextField {
                        id: searchField
                        objectName: "searchField"
                        Layout.fillWidth: true
                        Layout.maximumWidth: viewer.wide ? 320 : -1
                        Layout.alignment: Qt.AlignRight
                        placeholderText: qsTr("Search in this PDF")
                        Accessible.name: qsTr("Search in this PDF")
                        onAccepted: viewer.findNext()
                        Keys.onEscapePressed: (event) => {
                            // The first Esc clears the search; the next one closes the viewer.
                            event.accepted = text.length > 0
                            text = ""
                        }
                    }
                    Label {
                        objectName: "matchLabel"
                        text: viewer.matchText
                        visible: text.length > 0
                        color: Theme.textSecondary
                        font.pixelSize: Theme.smallFontSize
                    }
                    IconButton {
                        objectName: "previousMatch"
                        iconName: "chevron-up"
                        label: qsTr("Previous match")
                        enabled: viewer.matchCount > 0
                        onClicked: viewer.findPrevious()
                    }
                    IconButton {
                        objectName: "nextMatch"
                        iconName: "chevron-down"
                        label: qsTr("Next match")
                        enabled: viewer.matchCount > 0
                        onClicked: viewer.findNext()
                    }
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            ListView {
                id: strip
                objectName: "pageStrip"
                Layout.preferredWidth: 128
                Layout.fillHeight: true
                visible: viewer.wide && viewer.pageCount > 1
                clip: true
                model: viewer.pageCount
                spacing: Theme.spacing
                topMargin: Theme.spacing
                bottomMargin: Theme.spacing
                currentIndex: viewer.currentPage
                highlightMoveDuration: 150
                Accessible.role: Accessible.List
                Accessible.name: qsTr("Pages")
                delegate: ItemDelegate {
                    id: thumb
                    required property int index
                    width: ListView.view.width
                    height: page.height + number.implicitHeight + 10
                    padding: 0
                    Accessible.name: qsTr("Page %1").arg(index + 1)
                    // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
                    // qmllint disable unqualified
                    onClicked: viewer.goToPage(index)
                    // qmllint enable unqualified
                    background: Rectangle {
                        color: thumb.ListView.isCurrentItem ? Theme.accentSoft : thumb.hovered ? Theme.hover : "transparent"
                        radius: Theme.radius
                        FocusRing { shown: thumb.visualFocus }
                    }
                    contentItem: Item {
                        PdfPageImage {
                            id: page
                            // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
                            // qmllint disable unqualified
                            document: doc
                            // qmllint enable unqualified
                            currentFrame: thumb.index
                            x: (parent.width - width) / 2
                            y: 4
                            width: 96
                            height: implicitWidth > 0 ? width * implicitHeight / implicitWidth : 124
                            sourceSize.width: 96 * Screen.devicePixelRatio
                            asynchronous: true
                            fillMode: Image.PreserveAspectFit
                            Rectangle { anchors.fill: parent; color: "transparent"; border.color: Theme.border }
                        }
                        Label {
                            id: number
                            anchors.top: page.bottom
                            anchors.topMargin: 2
                            anchors.horizontalCenter: parent.horizontalCenter
                            text: thumb.index + 1
                            color: Theme.textSecondary
                            font.pixelSize: Theme.smallFontSize
                        }
                    }
                }
            }
            Rectangle {
                Layout.preferredWidth: 1
                Layout.fillHeight: true
                visible: strip.visible
                color: Theme.divider
            }

            Item {
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true

                PdfMultiPageView {
                    id: view
                    objectName: "pdfView"
                    anchors.fill: parent
                    // The page strip appears once the document is known, narrowing the view after the first fit.
                    // Qt 6.4's qmllint takes Qt.callLater for a property that may not be a function (docs/development.md, "qmllint").
                    // qmllint disable type
                    onWidthChanged: if (viewer.fitToWidth) Qt.callLater(viewer.applyFit)
                    // qmllint enable type
                    document: doc
                    searchString: viewer.searchText
                    visible: viewer.errorText.length === 0
                }
                Label {
                    objectName: "pdfError"
                    anchors.centerIn: parent
                    width: Math.min(parent.width - 2 * Theme.margin, 420)
                    visible: text.length > 0
                    text: viewer.errorText
                    wrapMode: Text.Wrap
                    horizontalAlignment: Text.AlignHCenter
                    color: Theme.textSecondary
                }
            }
        }
    }
}
