// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// One Practice Link: its QR code, name, tag, whether patients can use it, the link itself and what staff do with
// it. Presentation only; the page passes what a person chose on to the Practice Links controller.
Rectangle {
    id: card

    property string linkId
    property string label
    /// "" when the link puts no tag on the conversations it starts.
    property string tag
    property bool linkEnabled: true
    property string url
    /// The practice identity's fingerprint the link carries ("K7QM 2XD9 …"), for a patient who asks; "" for none.
    property string fingerprint
    property int conversationCount: 0
    /// Administrators may turn the link on and off and edit it; everyone may copy and save it.
    property bool canEdit: false
    /// Side by side (QR code left of the details) when there is room, stacked on phones.
    readonly property bool wide: width >= 560

    signal enabledToggled(string linkId, bool on)
    signal copyRequested(string url)
    signal saveQrRequested(string url, string label)
    signal editRequested(string linkId, string label, string tag)

    implicitHeight: grid.implicitHeight + 2 * Theme.margin
    radius: 12
    color: Theme.surface
    border.width: 1
    border.color: Theme.divider

    GridLayout {
        id: grid
        anchors.fill: parent
        anchors.margins: Theme.margin
        columns: card.wide ? 2 : 1
        columnSpacing: Theme.margin + 4
        rowSpacing: Theme.padding

        // Whole modules only (the provider picks the largest that fit), never smoothed, so phones scan it.
        Rectangle {
            Layout.alignment: card.wide ? Qt.AlignTop : Qt.AlignHCenter
            implicitWidth: 184
            implicitHeight: 184
            radius: Theme.radius
            color: "white"
            border.width: 1
            border.color: Theme.divider
            opacity: card.linkEnabled ? 1 : 0.35
            Image {
                id: qr
                objectName: "qrImage"
                anchors.centerIn: parent
                source: card.url.length > 0 ? "image://qr/" + encodeURIComponent(card.url) : ""
                sourceSize.width: 176
                sourceSize.height: 176
                smooth: false
                cache: true
                Accessible.role: Accessible.Graphic
                Accessible.name: qsTr("QR code of %1").arg(card.label)
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignTop
            spacing: Theme.spacing

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                Label {
                    objectName: "linkLabel"
                    Layout.fillWidth: true
                    text: card.label
                    elide: Text.ElideRight
                    color: Theme.text
                    font.pixelSize: Theme.titleFontSize
                    font.weight: Font.DemiBold
                    Accessible.role: Accessible.Heading
                }
                Switch {
                    id: onSwitch
                    objectName: "enabledSwitch"
                    visible: card.canEdit
                    checked: card.linkEnabled
                    text: checked ? qsTr("On") : qsTr("Off")
                    Accessible.name: qsTr("Patients can join through %1").arg(card.label)
                    onToggled: {
                        card.enabledToggled(card.linkId, checked)
                        // The controller's answer decides; the row already shows what was chosen.
                        checked = Qt.binding(() => card.linkEnabled)
                    }
                }
                Label {
                    objectName: "stateLabel"
                    visible: !card.canEdit
                    text: card.linkEnabled ? qsTr("On") : qsTr("Off")
                    color: card.linkEnabled ? Theme.accent : Theme.textSecondary
                    font.weight: Font.DemiBold
                }
            }

            Flow {
                Layout.fillWidth: true
                spacing: Theme.spacing
                Rectangle {
                    objectName: "tagChip"
                    visible: card.tag.length > 0
                    implicitWidth: tagText.implicitWidth + 2 * Theme.spacing + 2
                    implicitHeight: tagText.implicitHeight + Theme.gap + 2
                    radius: height / 2
                    color: Theme.accentSoft
                    Label {
                        id: tagText
                        anchors.centerIn: parent
                        text: card.tag
                        color: Theme.accentPressed
                        font.pixelSize: Theme.smallFontSize
                        font.weight: Font.DemiBold
                    }
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("Tag: %1").arg(card.tag)
                }
                Label {
                    objectName: "conversationCountLabel"
                    text: card.conversationCount === 0 ? qsTr("No conversations started yet")
                        : card.conversationCount === 1 ? qsTr("1 conversation started")
                        : qsTr("%1 conversations started").arg(card.conversationCount)
                    color: Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize
                    topPadding: 2
                }
            }

            Label {
                objectName: "stateSentence"
                Layout.fillWidth: true
                text: card.linkEnabled ? qsTr("Patients who open this link or scan the code can join and message the practice securely.")
                                       : qsTr("Turned off: patients who open this link are asked to contact the practice for a new one.")
                wrapMode: Text.Wrap
                color: card.linkEnabled ? Theme.textSecondary : Theme.warning
            }

            TextField {
                objectName: "linkText"
                Layout.fillWidth: true
                readOnly: true
                selectByMouse: true
                text: card.url
                // The start of the link (its server and code) is what a person recognises; the fingerprint after it
                // may run out of sight.
                onTextChanged: cursorPosition = 0
                Component.onCompleted: cursorPosition = 0
                color: Theme.text
                font.pixelSize: Theme.smallFontSize + 1
                leftPadding: Theme.spacing
                rightPadding: Theme.spacing
                background: Rectangle { radius: Theme.radius; color: Theme.window; border.width: 1; border.color: Theme.divider }
                Accessible.name: qsTr("Link")
            }

            RowLayout {
                objectName: "fingerprintLine"
                visible: card.fingerprint.length > 0
                Layout.fillWidth: true
                spacing: Theme.spacing
                Icon {
                    Layout.alignment: Qt.AlignTop
                    iconName: "shield"
                    size: 16
                    color: Theme.textSecondary
                }
                Label {
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    text: qsTr("Security code: %1").arg(card.fingerprint)
                    wrapMode: Text.Wrap
                    color: Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize
                    Accessible.name: qsTr("The practice's security code, for patients who ask: %1").arg(card.fingerprint)
                }
            }

            Flow {
                Layout.fillWidth: true
                spacing: Theme.spacing
                SecondaryButton {
                    objectName: "copyLinkButton"
                    text: qsTr("Copy link")
                    iconName: "copy"
                    onClicked: card.copyRequested(card.url)
                }
                SecondaryButton {
                    objectName: "saveQrButton"
                    text: qsTr("Save QR code…")
                    onClicked: card.saveQrRequested(card.url, card.label)
                }
                SecondaryButton {
                    objectName: "editLinkButton"
                    visible: card.canEdit
                    text: qsTr("Edit")
                    tint: Theme.textSecondary
                    onClicked: card.editRequested(card.linkId, card.label, card.tag)
                }
            }
        }
    }
}
