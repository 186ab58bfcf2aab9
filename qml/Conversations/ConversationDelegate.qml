// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch
import Larch.Models

// One row of the conversation list: initials, title, last message, time, unread count, a lock for
// secure conversations, and for standard ones their channel with an open lock (not end-to-end
// encrypted), a consent or opt-out hint and the conversation's tags as chips.
ItemDelegate {
    id: row

    // Roles of the conversation list model (see ConversationListModel).
    required property string conversationId
    required property string title
    required property string preview
    required property string timeText
    required property int unreadCount
    required property bool isSecure
    /// The patient was invited and hasn't created an account yet: the row says "Invited".
    required property bool isInvited
    required property string initials
    /// A Channel: Secure, Sms or Email.
    required property int channel
    /// The standard conversation's number or address as shown, e.g. "(201) 555-0123"; "" for secure ones.
    required property string contactDisplay
    /// The conversation's tags (a list of strings), shown as chips.
    required property var tags
    /// A standard conversation without the patient's recorded consent: the row says "Needs consent".
    required property bool needsConsent
    /// An SMS conversation whose number replied STOP: the row says "Opted out".
    required property bool optedOut

    /// Whether this is the open conversation.
    property bool current: false

    /// Emitted when the person opens this conversation (click, tap, Enter or Space).
    signal activated(string conversationId, bool isSecure)

    readonly property bool unread: unreadCount > 0
    readonly property bool isStandard: channel === Channel.Sms || channel === Channel.Email
    readonly property string channelName: channel === Channel.Sms ? qsTr("SMS") : channel === Channel.Email ? qsTr("Email") : ""
    readonly property int tagCount: tags && tags.length ? tags.length : 0
    readonly property bool showsChips: (isStandard && (needsConsent || optedOut)) || tagCount > 0

    implicitHeight: showsChips ? 94 : 72
    padding: 0
    leftPadding: Theme.margin
    rightPadding: Theme.margin
    focusPolicy: Qt.StrongFocus
    highlighted: current
    Accessible.role: Accessible.ListItem
    Accessible.name: (isSecure ? qsTr("Secure conversation with %1").arg(title)
                      : channel === Channel.Sms ? qsTr("Text message conversation with %1, not end-to-end encrypted").arg(title)
                      : channel === Channel.Email ? qsTr("Email conversation with %1, not end-to-end encrypted").arg(title)
                      : title)
                     + (isStandard && contactDisplay.length > 0 && contactDisplay !== title ? ", " + contactDisplay : "")
                     + (isInvited ? ", " + qsTr("invited") : "")
                     + (isStandard && optedOut ? ", " + qsTr("opted out of texts") : "")
                     + (isStandard && needsConsent && !optedOut ? ", " + qsTr("needs consent") : "")
                     + (tagCount > 0 ? ", " + qsTr("tags: %1").arg(tags.join(", ")) : "")
                     + (unread ? ", " + qsTr("%n unread", "", unreadCount) : "")
                     + ", " + preview

    onClicked: activated(conversationId, isSecure)
    Keys.onReturnPressed: activated(conversationId, isSecure)
    Keys.onEnterPressed: activated(conversationId, isSecure)

    background: Rectangle {
        color: row.current ? Theme.accentSoft : row.down ? Theme.divider : row.hovered ? Theme.hover : "transparent"
        Rectangle {
            // The open conversation gets a bar on its leading edge, so selection does not rely on colour alone.
            width: 3
            height: parent.height
            color: Theme.accent
            visible: row.current
        }
        Rectangle {
            anchors.fill: parent
            anchors.margins: 2
            radius: 4
            color: "transparent"
            border.width: 2
            border.color: Theme.focus
            visible: row.visualFocus
        }
    }

    component Chip: Label {
        id: chip
        textFormat: Text.PlainText
        property color textColor: Theme.textSecondary
        // Qt 6.4's qmllint cannot see this file's ids inside a Component (docs/development.md, "qmllint").
        // qmllint disable unqualified
        property color fill: row.current ? Theme.surface : Theme.accentSofter
        // qmllint enable unqualified
        property color edge: Theme.border
        color: textColor
        font.pixelSize: Theme.smallFontSize - 1
        font.weight: Font.DemiBold
        leftPadding: 6
        rightPadding: 6
        topPadding: 1
        bottomPadding: 1
        background: Rectangle { radius: height / 2; color: chip.fill; border.width: 1; border.color: chip.edge }
    }

    contentItem: RowLayout {
        spacing: Theme.padding

        Avatar {
            initials: row.initials
            color: row.current ? Theme.surface : Theme.accentSoft
            Layout.alignment: Qt.AlignVCenter
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignVCenter
            spacing: 2

            RowLayout {
                Layout.fillWidth: true
                spacing: 6
                Label {
                    id: titleLabel
                    objectName: "titleLabel"
                    Layout.fillWidth: true
                    text: row.title
                    elide: Text.ElideRight
                    maximumLineCount: 1
                    color: Theme.text
                    font.pixelSize: Theme.fontSize + 1
                    font.weight: row.unread ? Font.DemiBold : Font.Medium
                }
                Label {
                    objectName: "timeLabel"
                    text: row.timeText
                    color: row.unread ? Theme.accent : Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize
                    font.weight: row.unread ? Font.DemiBold : Font.Normal
                }
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: 6
                Icon {
                    objectName: "secureMark"
                    iconName: "lock"
                    size: 12
                    color: Theme.accent
                    visible: row.isSecure
                    Layout.alignment: Qt.AlignVCenter
                    Accessible.name: qsTr("Secure conversation")
                }
                Rectangle {
                    // The channel of a standard conversation, with an open lock: not end-to-end encrypted.
                    objectName: "channelMark"
                    visible: row.isStandard
                    Layout.alignment: Qt.AlignVCenter
                    implicitWidth: channelRow.implicitWidth + 10
                    implicitHeight: channelRow.implicitHeight + 2
                    radius: 4
                    color: row.current ? Theme.surface : Theme.window
                    border.width: 1
                    border.color: Theme.border
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("%1, not end-to-end encrypted").arg(row.channelName)
                    Row {
                        id: channelRow
                        anchors.centerIn: parent
                        spacing: 3
                        Icon {
                            anchors.verticalCenter: parent.verticalCenter
                            iconName: "lock-open"
                            size: 11
                            color: Theme.textSecondary
                        }
                        Label {
                            objectName: "channelLabel"
                            anchors.verticalCenter: parent.verticalCenter
                            text: row.channelName
                            color: Theme.textSecondary
                            font.pixelSize: Theme.smallFontSize - 1
                            font.weight: Font.DemiBold
                        }
                    }
                }
                Label {
                    id: previewLabel
                    objectName: "previewLabel"
                    Layout.fillWidth: true
                    text: row.preview.length > 0 ? row.preview : qsTr("No messages yet")
                    font.italic: row.preview.length === 0
                    elide: Text.ElideRight
                    maximumLineCount: 1
                    textFormat: Text.PlainText
                    color: row.unread ? Theme.text : Theme.textSecondary
                    font.pixelSize: Theme.fontSize - 1
                }
                Label {
                    objectName: "invitedLabel"
                    visible: row.isInvited
                    text: qsTr("Invited")
                    color: Theme.warning
                    font.pixelSize: Theme.smallFontSize
                    font.weight: Font.DemiBold
                    leftPadding: 6
                    rightPadding: 6
                    topPadding: 1
                    bottomPadding: 1
                    background: Rectangle { radius: 4; color: Theme.warningSoft; border.width: 1; border.color: Theme.warningBorder }
                    Accessible.name: qsTr("Invited, hasn't created an account")
                }
                UnreadBadge {
                    objectName: "unreadBadge"
                    count: row.unreadCount
                    visible: row.unread
                    Layout.alignment: Qt.AlignVCenter
                }
            }

            Item {
                // Hints and tags on one line; what does not fit is cut at the row's edge.
                Layout.fillWidth: true
                Layout.topMargin: 2
                implicitHeight: chips.implicitHeight
                visible: row.showsChips
                clip: true
                Row {
                    id: chips
                    objectName: "chips"
                    spacing: 4
                    Chip {
                        objectName: "optedOutChip"
                        visible: row.isStandard && row.optedOut
                        text: qsTr("Opted out")
                        textColor: Theme.danger
                        fill: Theme.dangerSoft
                        edge: Theme.dangerBorder
                    }
                    Chip {
                        objectName: "needsConsentChip"
                        visible: row.isStandard && row.needsConsent && !row.optedOut
                        text: qsTr("Needs consent")
                        textColor: Theme.warning
                        fill: Theme.warningSoft
                        edge: Theme.warningBorder
                    }
                    Repeater {
                        objectName: "tagChips"
                        model: row.tags
                        delegate: Chip {
                            required property string modelData
                            text: modelData
                        }
                    }
                }
            }
        }
    }
}
