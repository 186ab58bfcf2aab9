// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The practice's Practice Links: each with its QR code, to copy, save for a flyer, and (administrators) turn on
// or off, edit or add. Every staff member sees the page. Presentation only: `links` is the controller.
FocusScope {
    id: page

    /// The Practice Links controller (App.practiceLinks; a stand-in in tests): model, canEdit, busy, loaded,
    /// error, notice, and load(), setEnabled(), copyLink(), saveQrCode(), suggestedQrFile(), dismissNotice().
    property var links: null
    readonly property bool canEdit: links ? links.canEdit : false
    readonly property bool compact: width < 480

    /// Emitted when the person leaves the page.
    signal closeRequested()

    /// Opens the "Add Practice Link" dialog (also used by the screenshot script).
    function showAddLink() { linkDialog.openToAdd() }
    /// Asks where to save a link's QR code, then saves it there.
    function saveQrCode(url, label) {
        saveDialog.url = url
        saveDialog.selectedFile = links.suggestedQrFile(label)
        saveDialog.open()
    }

    Keys.onEscapePressed: page.closeRequested()

    Rectangle { anchors.fill: parent; color: Theme.window }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // The page's header: back, title, and "Add link" for administrators.
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Theme.headerHeight
            color: Theme.surface
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacing
                anchors.rightMargin: Theme.margin
                spacing: Theme.spacing
                IconButton {
                    objectName: "practiceLinksBackButton"
                    iconName: "back"
                    label: qsTr("Back")
                    onClicked: page.closeRequested()
                }
                Label {
                    objectName: "practiceLinksTitle"
                    Layout.fillWidth: true
                    text: qsTr("Practice Links")
                    elide: Text.ElideRight
                    color: Theme.text
                    font.pixelSize: Theme.titleFontSize + 2
                    font.weight: Font.DemiBold
                    Accessible.role: Accessible.Heading
                }
                PrimaryButton {
                    objectName: "addLinkButton"
                    visible: page.canEdit
                    text: qsTr("Add link")
                    implicitWidth: implicitContentWidth + 2 * Theme.margin
                    onClicked: page.showAddLink()
                }
            }
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.divider }
        }

        NoticeStrip {
            objectName: "practiceLinksNotice"
            Layout.fillWidth: true
            visible: text.length > 0
            text: page.links ? page.links.notice : ""
            onDismissRequested: page.links.dismissNotice()
        }

        // A refusal while the list is on show (a switch the server refused, a QR code that could not be saved).
        Rectangle {
            objectName: "practiceLinksErrorStrip"
            Layout.fillWidth: true
            visible: page.links && page.links.loaded && page.links.error.length > 0
            implicitHeight: errorRow.implicitHeight + 2 * Theme.spacing
            color: Theme.dangerSoft
            RowLayout {
                id: errorRow
                anchors.fill: parent
                anchors.leftMargin: Theme.margin
                anchors.rightMargin: Theme.margin
                Icon { iconName: "warning"; size: 18; color: Theme.danger }
                Label {
                    objectName: "practiceLinksErrorText"
                    Layout.fillWidth: true
                    text: page.links ? page.links.error : ""
                    wrapMode: Text.Wrap
                    color: Theme.danger
                }
            }
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: list
                objectName: "practiceLinkList"
                anchors.fill: parent
                visible: page.links && page.links.loaded && count > 0
                model: page.links ? page.links.model : null
                clip: true
                spacing: Theme.padding
                boundsBehavior: Flickable.StopAtBounds
                topMargin: Theme.margin
                bottomMargin: Theme.margin
                ScrollBar.vertical: ScrollBar { }

                readonly property real columnWidth: Math.min(width - 2 * (page.compact ? Theme.spacing : Theme.margin), 760)

                // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
                // qmllint disable unqualified
                header: Label {
                    x: (list.width - width) / 2
                    width: list.columnWidth
                    bottomPadding: Theme.padding
                    text: qsTr("Share a link or its QR code on your website, on flyers or in the waiting room. Patients who open it join Larch and start a secure conversation with the practice, without an invitation.")
                          + (page.canEdit ? "" : " " + qsTr("Only administrators can add links or turn them off."))
                    wrapMode: Text.Wrap
                    color: Theme.textSecondary
                }

                delegate: PracticeLinkCard {
                    // The roles by name (PracticeLinkModel): "enabled" would otherwise mean the card's own.
                    required property var model

                    x: (list.width - width) / 2
                    width: list.columnWidth
                    linkId: model.linkId
                    label: model.label
                    tag: model.tag
                    linkEnabled: model.enabled
                    url: model.url
                    fingerprint: model.fingerprint
                    conversationCount: model.conversationCount
                    canEdit: page.canEdit
                    onEnabledToggled: (id, on) => page.links.setEnabled(id, on)
                    onCopyRequested: (url) => page.links.copyLink(url)
                    onSaveQrRequested: (url, label) => page.saveQrCode(url, label)
                    onEditRequested: (id, label, tag) => linkDialog.openToEdit(id, label, tag)
                }
                // qmllint enable unqualified
            }

            BusyIndicator {
                objectName: "practiceLinksBusy"
                anchors.centerIn: parent
                running: visible
                visible: page.links && !page.links.loaded && page.links.busy
            }

            EmptyState {
                objectName: "practiceLinksLoadError"
                anchors.fill: parent
                visible: page.links && !page.links.loaded && !page.links.busy && page.links.error.length > 0
                iconName: "warning"
                title: qsTr("Practice Links couldn't be loaded")
                text: page.links ? page.links.error : ""
            }
            SecondaryButton {
                objectName: "practiceLinksRetryButton"
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.top: parent.verticalCenter
                anchors.topMargin: 110
                visible: page.links && !page.links.loaded && !page.links.busy && page.links.error.length > 0
                text: qsTr("Try again")
                onClicked: page.links.load()
            }

            EmptyState {
                objectName: "practiceLinksEmpty"
                anchors.fill: parent
                visible: page.links && page.links.loaded && list.count === 0
                iconName: "chat"
                title: qsTr("No Practice Links yet")
                text: page.canEdit ? qsTr("Add a link to share on your website or on flyers; patients who open it can join and message the practice.")
                                   : qsTr("An administrator of your practice can add one.")
            }
        }
    }

    PracticeLinkDialog {
        id: linkDialog
        links: page.links
    }

    FilePicker {
        id: saveDialog
        objectName: "saveQrDialog"
        /// The link whose QR code is being saved.
        property string url
        title: qsTr("Save QR code")
        fileMode: FilePicker.SaveFile
        nameFilters: [qsTr("PNG images (*.png)")]
        defaultSuffix: "png"
        onAccepted: page.links.saveQrCode(url, selectedFile)
    }
}
