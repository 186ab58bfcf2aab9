// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The bar under a thread where a message is written: grows to about six lines, Enter sends,
// Shift+Enter starts a new line. Files dropped on it (or added with "+") wait above the field as chips; a
// refused file is explained in a strip there, and nothing already waiting is lost.
FocusScope {
    id: root

    /// The text being written (the open conversation's draft).
    property alias text: area.text
    /// The open conversation's attachments (ComposeAttachmentModel, App.compose.attachments); null: text only.
    property var attachments: null
    /// Chips are waiting: the text becomes their caption.
    readonly property bool hasAttachments: attachments !== null && attachments.count > 0
    /// Whether the text can be sent now; the page binds it to the compose controller.
    property bool canSend: text.trim().length > 0 || hasAttachments
    /// On phones the on-screen keyboard's Return key inserts a line, as people expect there.
    property bool enterSends: Qt.platform.os !== "android" && Qt.platform.os !== "ios"
    /// The hint in the empty field; says what kind of message this is ("Add a caption…" while chips wait).
    property string placeholderText: qsTr("Write a secure message…")
    /// True while files are dragged over the bar.
    readonly property alias dropActive: dropArea.containsDrag
    /// Lines shown before the field scrolls.
    property int maxLines: 6

    /// Emitted when the person asks to send; the text is what was written.
    signal sendRequested(string text)

    /// Hands dropped or picked files to the attachments model, which checks each and explains refusals.
    function addFiles(urls) {
        if (root.attachments && urls.length > 0)
            root.attachments.add(urls)
    }

    /// Asks to send the text if it can be sent; keeps focus in the field either way.
    function requestSend() {
        if (root.canSend)
            root.sendRequested(root.text)
        area.forceActiveFocus()
    }

    implicitHeight: frame.implicitHeight
    implicitWidth: 320
    // Focus given to the bar (Tab, or the page opening a conversation) always lands in the text field.
    onActiveFocusChanged: {
        if (activeFocus && !area.activeFocus && !sendButton.activeFocus && !attachButton.activeFocus)
            area.forceActiveFocus()
    }

    Rectangle {
        id: frame
        anchors.fill: parent
        implicitHeight: column.implicitHeight + 2 * Theme.padding
        color: Theme.surface

        Rectangle {
            width: parent.width
            height: 1
            color: Theme.divider
        }

        ColumnLayout {
            id: column
            anchors.fill: parent
            anchors.margins: Theme.padding
            spacing: Theme.spacing

            AttachmentRefusal {
                objectName: "attachmentRefusal"
                Layout.fillWidth: true
                text: root.attachments ? root.attachments.refusal : ""
                onDismissRequested: root.attachments.dismissRefusal()
            }

            // One row of chips that scrolls sideways, so ten files never push the field off a phone's screen.
            ListView {
                id: chips
                objectName: "attachmentChips"
                Layout.fillWidth: true
                Layout.preferredHeight: 56
                visible: root.hasAttachments
                orientation: ListView.Horizontal
                spacing: Theme.spacing
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                model: root.attachments
                Accessible.role: Accessible.List
                Accessible.name: qsTr("Attachments")
                delegate: AttachmentChip {
                    // Roles of the compose attachment model (see ComposeAttachmentModel).
                    required name
                    required sizeText
                    required kind
                    required thumbnail
                    required pages
                    required durationMs
                    required ready
                    required property int index

                    width: Math.min(implicitWidth, ListView.view.width - Theme.margin)
                    height: ListView.view.height
                    onRemoveRequested: ListView.view.model.remove(index)
                }
            }

            RowLayout {
                id: row
                Layout.fillWidth: true
                spacing: Theme.spacing

                AttachButton {
                    id: attachButton
                    Layout.alignment: Qt.AlignBottom
                    Layout.bottomMargin: 1
                    visible: root.attachments !== null
                    enabled: root.enabled
                    attachments: root.attachments
                    onFilesAdded: area.forceActiveFocus()
                }

                Rectangle {
                    id: fieldFrame
                    Layout.fillWidth: true
                    Layout.alignment: Qt.AlignBottom
                    implicitHeight: scroller.implicitHeight
                    // A bar that cannot send now (the page says why) looks it.
                    opacity: root.enabled ? 1 : 0.55
                    radius: 20
                    color: Theme.window
                    border.width: area.activeFocus ? 2 : 1
                    border.color: area.activeFocus ? Theme.focus : Theme.border

                    ScrollView {
                        id: scroller
                        anchors.fill: parent
                        implicitHeight: Math.min(area.implicitHeight,
                                                 metrics.lineSpacing * root.maxLines + area.topPadding + area.bottomPadding)
                        ScrollBar.horizontal.policy: ScrollBar.AlwaysOff

                        TextArea {
                            id: area
                            objectName: "composeArea"
                            focus: true
                            wrapMode: TextEdit.Wrap
                            placeholderText: root.hasAttachments ? qsTr("Add a caption…") : root.placeholderText
                            placeholderTextColor: Theme.textSecondary
                            color: Theme.text
                            selectionColor: Theme.accentSoft
                            selectedTextColor: Theme.text
                            font.pixelSize: Theme.fontSize
                            leftPadding: 16
                            rightPadding: 16
                            topPadding: 10
                            bottomPadding: 10
                            background: null
                            Accessible.name: root.hasAttachments ? qsTr("Caption") : qsTr("Message")

                            Keys.onPressed: (event) => {
                                if (event.key !== Qt.Key_Return && event.key !== Qt.Key_Enter)
                                    return
                                if (!root.enterSends || (event.modifiers & Qt.ShiftModifier))
                                    return // the TextArea inserts the new line
                                event.accepted = true
                                root.requestSend()
                            }
                        }
                    }

                    FontMetrics {
                        id: metrics
                        font: area.font
                    }
                }

                RoundButton {
                    id: sendButton
                    objectName: "sendButton"
                    Layout.alignment: Qt.AlignBottom
                    implicitWidth: 42
                    implicitHeight: 42
                    enabled: root.canSend
                    // Clicking must not pull focus out of the field; Tab still reaches the button.
                    focusPolicy: Qt.TabFocus
                    display: AbstractButton.IconOnly
                    icon.source: Theme.icon("send")
                    icon.width: 20
                    icon.height: 20
                    icon.color: enabled ? Theme.textOnAccent : Theme.textDisabled
                    Accessible.name: qsTr("Send")
                    ToolTip.visible: hovered
                    ToolTip.delay: 600
                    ToolTip.text: qsTr("Send (Enter)")
                    onClicked: root.requestSend()
                    Keys.onReturnPressed: root.requestSend()

                    background: Rectangle {
                        radius: width / 2
                        color: !sendButton.enabled ? Theme.divider
                             : sendButton.down ? Theme.accentPressed
                             : sendButton.hovered ? Theme.accentHover : Theme.accent
                        FocusRing { shown: sendButton.visualFocus }
                    }
                }
            }
        }
    }

    // Files dragged from the desktop: the whole bar takes them and says so while they hover.
    DropArea {
        id: dropArea
        objectName: "composeDropArea"
        anchors.fill: parent
        enabled: root.attachments !== null && root.enabled
        onEntered: (drag) => {
            if (drag.hasUrls)
                drag.accept(Qt.CopyAction)  // the files are read, never moved
            else
                drag.accepted = false
        }
        onDropped: (drop) => {
            if (!drop.hasUrls)
                return
            root.addFiles(drop.urls)
            drop.accept(Qt.CopyAction)
            area.forceActiveFocus()
        }
    }

    Rectangle {
        objectName: "dropHighlight"
        anchors.fill: parent
        anchors.margins: 2
        visible: dropArea.containsDrag
        radius: Theme.radius
        color: Qt.rgba(Theme.accentSoft.r, Theme.accentSoft.g, Theme.accentSoft.b, 0.94)
        border.width: 2
        border.color: Theme.accent

        Row {
            anchors.centerIn: parent
            spacing: Theme.spacing
            Icon {
                anchors.verticalCenter: parent.verticalCenter
                iconName: "plus"
                size: 20
                color: Theme.accent
            }
            Label {
                anchors.verticalCenter: parent.verticalCenter
                text: qsTr("Drop files to attach them")
                color: Theme.accent
                font.pixelSize: Theme.fontSize
                font.weight: Font.DemiBold
            }
        }
    }
}
