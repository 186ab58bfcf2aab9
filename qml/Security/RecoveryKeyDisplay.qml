// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// A freshly made recovery key, shown once: large fixed-width groups to copy by hand, and a Copy
// button that puts the whole key on the clipboard.
ColumnLayout {
    id: display

    /// The key as App.security.createRecoveryKey() returns it: groups of four characters separated by spaces.
    property string keyText
    readonly property var groups: keyText.trim().split(/\s+/).filter(g => g.length > 0)
    /// True once Copy was pressed for the current key.
    property bool copiedOnce: false

    /// Emitted after the key was put on the clipboard.
    signal copied()

    /// Puts the key on the clipboard and says so.
    function copy() {
        if (groups.length === 0)
            return
        clipboardBridge.text = groups.join(" ")
        clipboardBridge.selectAll()
        clipboardBridge.copy()
        clipboardBridge.text = ""
        copiedOnce = true
        copied()
    }

    onKeyTextChanged: copiedOnce = false
    spacing: Theme.spacing

    Rectangle {
        objectName: "recoveryKeyBox"
        Layout.fillWidth: true
        implicitHeight: grid.implicitHeight + 2 * Theme.margin
        radius: Theme.radius
        color: Theme.accentSofter
        border.width: 1
        border.color: Theme.accentSoft
        Accessible.role: Accessible.StaticText
        Accessible.name: qsTr("Recovery key: %1").arg(display.groups.join(" "))

        Grid {
            id: grid
            objectName: "recoveryKeyGrid"
            readonly property real cellWidth: metrics.advanceWidth("MMMM") + 4
            anchors.centerIn: parent
            columns: Math.max(2, Math.min(5, Math.floor((parent.width - 2 * Theme.margin + columnSpacing) / (cellWidth + columnSpacing))))
            columnSpacing: Theme.padding + 4
            rowSpacing: Theme.spacing
            Repeater {
                model: display.groups
                Label {
                    objectName: "recoveryKeyGroup"
                    required property string modelData
                    // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
                    // qmllint disable unqualified
                    width: grid.cellWidth
                    horizontalAlignment: Text.AlignHCenter
                    text: modelData
                    color: Theme.text
                    font: metrics.font
                    // qmllint enable unqualified
                }
            }
        }
        FontMetrics {
            id: metrics
            font.family: Theme.monoFontFamily
            font.pixelSize: Theme.fontSize + 8
            font.weight: Font.DemiBold
        }
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing
        SecondaryButton {
            objectName: "copyRecoveryKeyButton"
            iconName: display.copiedOnce ? "check" : "copy"
            text: display.copiedOnce ? qsTr("Copied") : qsTr("Copy")
            enabled: display.groups.length > 0
            onClicked: display.copy()
        }
        Label {
            Layout.fillWidth: true
            visible: display.copiedOnce
            text: qsTr("Paste it into a password manager, then clear your clipboard.")
            wrapMode: Text.Wrap
            color: Theme.textSecondary
            font.pixelSize: Theme.smallFontSize
        }
    }

    // The clipboard is reached through a text control; it never shows and keeps nothing afterwards.
    TextEdit {
        id: clipboardBridge
        visible: false
        textFormat: TextEdit.PlainText
    }
}
