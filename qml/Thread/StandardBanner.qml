// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// The top of a standard (SMS or email) thread: says it is not end-to-end encrypted and where messages
// go, asks for the patient's consent before the first message, and says when the number opted out.
// Presentation only: the state lives in the controller (App.standard).
ColumnLayout {
    id: banner

    /// App.standard, or a stand-in with its properties: isStandard, channel, contactDisplay,
    /// consentRecorded, consentText, consentNote, optedOut, optedOutText, busy, error.
    property var standard: null

    /// Emitted for "Record consent"; the page opens the consent dialog.
    signal consentRequested()

    readonly property bool shown: standard !== null && standard.isStandard
    readonly property bool isEmail: shown && standard.channel === Channel.Email
    readonly property bool needsConsent: shown && !standard.consentRecorded && !standard.optedOut

    visible: shown
    spacing: 0

    Rectangle {
        objectName: "standardMarking"
        Layout.fillWidth: true
        implicitHeight: markingColumn.implicitHeight + 2 * Theme.spacing + 2
        color: Theme.window
        Accessible.role: Accessible.StaticText
        Accessible.name: markingText.text

        ColumnLayout {
            id: markingColumn
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.verticalCenter: parent.verticalCenter
            anchors.leftMargin: Theme.margin
            anchors.rightMargin: Theme.margin
            spacing: 2

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                Icon {
                    Layout.alignment: Qt.AlignTop
                    Layout.topMargin: 1
                    iconName: "lock-open"
                    size: 16
                    color: Theme.textSecondary
                }
                Label {
                    id: markingText
                    objectName: "markingText"
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Theme.text
                    font.pixelSize: Theme.smallFontSize + 1
                    // No-break spaces before each "·", so a line never starts with one.
                    text: !banner.shown ? ""
                          : (banner.isEmail
                             ? qsTr("Standard conversation\u00a0· not end-to-end encrypted\u00a0· Email to %1")
                             : qsTr("Standard conversation\u00a0· not end-to-end encrypted\u00a0· SMS to %1"))
                            .arg(banner.standard.contactDisplay)
                }
            }
            Label {
                objectName: "consentText"
                textFormat: Text.PlainText
                Layout.fillWidth: true
                Layout.leftMargin: 16 + Theme.spacing
                visible: text.length > 0
                text: banner.shown && banner.standard.consentRecorded ? banner.standard.consentText : ""
                wrapMode: Text.Wrap
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
            }
            Label {
                objectName: "consentNote"
                Layout.fillWidth: true
                Layout.leftMargin: 16 + Theme.spacing
                visible: text.length > 0
                text: banner.shown && banner.standard.consentRecorded && banner.standard.consentNote.length > 0
                      ? qsTr("Note: %1").arg(banner.standard.consentNote) : ""
                wrapMode: Text.Wrap
                textFormat: Text.PlainText
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
            }
            Label {
                objectName: "standardError"
                textFormat: Text.PlainText
                Layout.fillWidth: true
                Layout.leftMargin: 16 + Theme.spacing
                visible: text.length > 0
                text: banner.shown ? banner.standard.error : ""
                wrapMode: Text.Wrap
                color: Theme.danger
                font.pixelSize: Theme.smallFontSize + 1
                Accessible.role: Accessible.AlertMessage
                Accessible.name: text
            }
        }
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: 1
            color: Theme.divider
        }
    }

    Rectangle {
        objectName: "consentStrip"
        Layout.fillWidth: true
        visible: banner.needsConsent
        implicitHeight: consentFlow.implicitHeight + 2 * Theme.padding
        color: Theme.warningSoft
        Accessible.role: Accessible.AlertMessage
        Accessible.name: consentSentence.text

        // Sentence and button side by side when there is room, the button under the sentence on a phone.
        GridLayout {
            id: consentFlow
            readonly property bool narrow: banner.width < 560
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.verticalCenter: parent.verticalCenter
            anchors.leftMargin: Theme.margin
            anchors.rightMargin: Theme.margin
            columns: narrow ? 1 : 2
            columnSpacing: Theme.padding
            rowSpacing: Theme.spacing

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                Icon {
                    Layout.alignment: Qt.AlignTop
                    Layout.topMargin: 1
                    iconName: "warning"
                    size: 18
                    color: Theme.warning
                }
                Label {
                    id: consentSentence
                    objectName: "consentSentence"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Theme.warning
                    text: banner.isEmail
                          ? qsTr("The patient's consent to unencrypted email isn't recorded yet. Record it before the first message.")
                          : qsTr("The patient's consent to unencrypted text messages isn't recorded yet. Record it before the first message.")
                }
            }
            SecondaryButton {
                objectName: "consentStripButton"
                Layout.leftMargin: consentFlow.narrow ? 18 + Theme.spacing : 0
                Layout.alignment: Qt.AlignVCenter
                text: qsTr("Record consent")
                implicitWidth: implicitContentWidth + 2 * Theme.margin
                enabled: banner.shown && !banner.standard.busy
                onClicked: banner.consentRequested()
            }
        }
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: 1
            color: Theme.warningBorder
        }
    }

    Rectangle {
        objectName: "optedOutStrip"
        Layout.fillWidth: true
        visible: banner.shown && banner.standard.optedOut
        implicitHeight: optedOutRow.implicitHeight + 2 * Theme.padding
        color: Theme.dangerSoft
        Accessible.role: Accessible.AlertMessage
        Accessible.name: optedOutLabel.text

        RowLayout {
            id: optedOutRow
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.verticalCenter: parent.verticalCenter
            anchors.leftMargin: Theme.margin
            anchors.rightMargin: Theme.margin
            spacing: Theme.spacing
            Icon {
                Layout.alignment: Qt.AlignTop
                Layout.topMargin: 1
                iconName: "block"
                size: 18
                color: Theme.danger
            }
            Label {
                id: optedOutLabel
                objectName: "optedOutText"
                textFormat: Text.PlainText
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.danger
                text: banner.shown ? banner.standard.optedOutText : ""
            }
        }
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: 1
            color: Theme.dangerBorder
        }
    }
}
