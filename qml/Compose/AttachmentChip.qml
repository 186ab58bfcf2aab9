// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// One file waiting in the compose bar: its picture (or its kind's icon), name, size and a remove button.
Rectangle {
    id: chip

    /// The name it is sent under.
    property string name
    /// "2.4 MB"
    property string sizeText
    /// An AttachmentKind: Image, Video or Pdf.
    property int kind: AttachmentKind.None
    /// image://compose/… or "" (the kind's icon shows instead).
    property string thumbnail
    /// PDFs: the page count; 0 otherwise.
    property int pages: 0
    /// Videos: the length when known; 0 otherwise.
    property real durationMs: 0
    /// False while the preview is being made (a spinner shows over the picture).
    property bool ready: true

    /// The person asked to take this file out of the message.
    signal removeRequested()

    /// What the second line says beside the size: "3 pages", "0:42".
    readonly property string detail: {
        if (chip.kind === AttachmentKind.Pdf && chip.pages > 0)
            return chip.pages === 1 ? qsTr("1 page") : qsTr("%1 pages").arg(chip.pages)
        if (chip.kind === AttachmentKind.Video && chip.durationMs > 0) {
            const seconds = Math.round(chip.durationMs / 1000)
            const rest = seconds % 60
            return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest
        }
        return ""
    }

    // Wide enough for the whole name where there is room ("Referral letter.pdf"), up to a bound so several
    // chips still share a desktop row; a longer name is elided in the middle.
    implicitWidth: Math.min(280, Math.max(216, content.implicitWidth + content.anchors.leftMargin
                                                  + content.anchors.rightMargin))
    implicitHeight: 56
    radius: Theme.radius
    color: Theme.surface
    border.width: 1
    border.color: Theme.border
    Accessible.role: Accessible.ListItem
    Accessible.name: chip.name + ", " + chip.sizeText + (chip.detail.length > 0 ? ", " + chip.detail : "")

    RowLayout {
        id: content
        anchors.fill: parent
        anchors.leftMargin: Theme.gap + 2
        anchors.rightMargin: Theme.gap
        spacing: Theme.spacing

        Rectangle {
            Layout.preferredWidth: 44
            Layout.preferredHeight: 44
            radius: Theme.radius - 2
            color: Theme.accentSofter
            clip: true

            Image {
                id: picture
                objectName: "chipThumbnail"
                anchors.fill: parent
                source: chip.thumbnail
                sourceSize.width: 88
                sourceSize.height: 88
                fillMode: Image.PreserveAspectCrop
                // A document is recognised by its heading; a photo by its middle.
                verticalAlignment: chip.kind === AttachmentKind.Pdf ? Image.AlignTop : Image.AlignVCenter
                asynchronous: true
                cache: false
                visible: status === Image.Ready
            }
            // An edge, so a white page reads as a page on the pale tile.
            Rectangle {
                anchors.fill: parent
                visible: picture.visible
                color: "transparent"
                radius: parent.radius
                border.width: 1
                border.color: Theme.border
            }
            Icon {
                anchors.centerIn: parent
                visible: !picture.visible && chip.ready
                iconName: chip.kind === AttachmentKind.Pdf ? "document" : chip.kind === AttachmentKind.Video ? "video" : "photo"
                size: 22
                color: Theme.accent
            }
            BusyIndicator {
                anchors.centerIn: parent
                width: 28
                height: 28
                running: !chip.ready
                visible: running
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignVCenter
            spacing: 1
            Label {
                objectName: "chipName"
                Layout.fillWidth: true
                text: chip.name
                elide: Text.ElideMiddle  // keeps the extension in sight: "Lab results … 2024.pdf"
                color: Theme.text
                font.pixelSize: Theme.smallFontSize + 1
                font.weight: Font.Medium
            }
            Label {
                objectName: "chipSize"
                Layout.fillWidth: true
                text: chip.detail.length > 0 ? chip.sizeText + " · " + chip.detail : chip.sizeText
                elide: Text.ElideRight
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
            }
        }

        IconButton {
            objectName: "chipRemove"
            Layout.alignment: Qt.AlignVCenter
            implicitWidth: 32
            implicitHeight: 32
            icon.width: 16
            icon.height: 16
            iconName: "close"
            label: qsTr("Remove %1").arg(chip.name)
            onClicked: chip.removeRequested()
        }
    }
}
