// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtTest
import Larch

// The in-app PDF viewer on a real PDF (samplePdfUrl: three pages written with QPdfWriter in
// tst_qml_components.cpp, "gallbladder" only on page 2, "Larch" on every page): it says which page is in view,
// moves between pages, finds words and says how many matches there are, zooms, and shows a page strip on
// desktop width only.
Item {
    id: scene
    width: 1000
    height: 760

    Component {
        id: viewerComponent
        PdfViewer { }
    }

    TestCase {
        name: "PdfViewer"
        when: windowShown

        function createViewer(width) {
            const viewer = createTemporaryObject(viewerComponent, scene,
                                                 { source: samplePdfUrl, width: width, height: scene.height })
            verify(viewer, "PdfViewer is created")
            tryCompare(viewer, "pageCount", 3, 10000)
            return viewer
        }

        function test_showsPageOneOfThree() {
            const viewer = createViewer(scene.width)
            tryCompare(findChild(viewer, "pageLabel"), "text", "Page 1 of 3")
            verify(!findChild(viewer, "previousPage").enabled, "there is no page before the first")
            verify(findChild(viewer, "nextPage").enabled)
            compare(findChild(viewer, "pdfError").visible, false)
        }

        function test_nextAndPreviousPage() {
            const viewer = createViewer(scene.width)
            waitForRendering(viewer)
            mouseClick(findChild(viewer, "nextPage"))
            tryCompare(findChild(viewer, "pageLabel"), "text", "Page 2 of 3")
            mouseClick(findChild(viewer, "previousPage"))
            tryCompare(findChild(viewer, "pageLabel"), "text", "Page 1 of 3")
        }

        function test_searchFindsAWordOnPageTwo() {
            const viewer = createViewer(scene.width)
            const field = findChild(viewer, "searchField")
            field.forceActiveFocus()
            for (const letter of "gallbladder")
                keyClick(letter)
            compare(viewer.searchText, "gallbladder")
            tryCompare(viewer, "matchCount", 1, 10000)
            verify(findChild(viewer, "matchLabel").visible)
            waitForRendering(viewer)
            mouseClick(findChild(viewer, "nextMatch"))
            tryCompare(findChild(viewer, "pageLabel"), "text", "Page 2 of 3")
            compare(findChild(viewer, "matchLabel").text, "1 of 1")
        }

        function test_searchCountsEveryMatch() {
            const viewer = createViewer(scene.width)
            viewer.searchText = "Larch"
            tryCompare(viewer, "matchCount", 3, 10000)
            viewer.searchText = "appendix"
            tryCompare(findChild(viewer, "matchLabel"), "text", "No matches")
            verify(!findChild(viewer, "nextMatch").enabled)
            viewer.searchText = ""
            verify(!findChild(viewer, "matchLabel").visible)
        }

        function test_zoomChangesTheScale() {
            const viewer = createViewer(scene.width)
            // Opening fits the page's width to the view.
            tryVerify(() => Math.abs(viewer.renderScale - 1) > 0.01, 5000, "the page is fitted to the width")
            const fitted = viewer.renderScale
            // Fitted to the view beside the page strip (an A4 page is 595 points wide).
            fuzzyCompare(fitted * 595.28, findChild(viewer, "pdfView").width - 24, 2)
            waitForRendering(viewer)
            mouseClick(findChild(viewer, "zoomIn"))
            fuzzyCompare(viewer.renderScale, fitted * 1.25, 0.001)
            compare(findChild(viewer, "zoomLabel").text, Math.round(fitted * 125) + "%")
            mouseClick(findChild(viewer, "zoomOut"))
            mouseClick(findChild(viewer, "zoomOut"))
            fuzzyCompare(viewer.renderScale, fitted / 1.25, 0.001)
            mouseClick(findChild(viewer, "fitWidth"))
            fuzzyCompare(viewer.renderScale, fitted, 0.001)
        }

        function test_pageStripOnDesktopOnly() {
            const wide = createViewer(scene.width)
            verify(findChild(wide, "pageStrip").visible)
            tryCompare(findChild(wide, "pageStrip"), "count", 3)
            const phone = createViewer(390)
            verify(!findChild(phone, "pageStrip").visible, "a phone reads without the strip")
            const search = findChild(phone, "searchField")
            verify(search.width > 200, "the search field gets its own row on a phone: " + search.width)
            const page = findChild(phone, "pageLabel")
            verify(page.mapToItem(phone, page.width, 0).x <= 390, "the toolbar fits the phone's width")
        }

        function test_pageStripJumpsToAPage() {
            const viewer = createViewer(scene.width)
            const strip = findChild(viewer, "pageStrip")
            tryCompare(strip, "count", 3)
            waitForRendering(viewer)
            const third = strip.itemAtIndex(2)
            verify(third)
            mouseClick(third)
            tryCompare(findChild(viewer, "pageLabel"), "text", "Page 3 of 3")
        }

        function test_notAPdfSaysSo() {
            const viewer = createTemporaryObject(viewerComponent, scene,
                                                 { source: "file:///nonexistent/not-a.pdf", width: 600, height: 400 })
            tryCompare(findChild(viewer, "pdfError"), "visible", true, 5000)
            compare(viewer.pageText, "")
        }
    }
}
