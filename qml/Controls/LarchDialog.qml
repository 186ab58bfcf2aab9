// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// A centred modal card with a title and a close button; its content scrolls when the window is short.
// Put the body in `content` and the buttons in `buttons`: they line up from the right, the first
// one listed (the main action) rightmost.
Dialog {
    id: dialog

    /// The dialog's body, stacked in a column that scrolls.
    default property alias content: body.data
    /// The buttons under the body; the first one listed sits rightmost.
    property alias buttons: buttonRow.data
    /// The widest the card may be on a large window.
    property int preferredWidth: Theme.dialogWidth
    readonly property bool compact: parent ? parent.width < 480 : false
    /// False while the dialog shows something that must not be dismissed by accident
    /// (Escape, a click outside, the close button); its own buttons still close it.
    property bool dismissable: true
    /// The item that has the keyboard when the dialog opens. By default the first text field of the body, so a
    /// person can type at once; a dialog that starts elsewhere (a choice, a button) says so here or takes the
    /// focus itself.
    property Item initialFocusItem: null

    /// True when item is part of the dialog's body.
    function holds(item) {
        for (let i = item; i; i = i.parent) {
            if (i === body)
                return true
        }
        return false
    }

    onOpened: {
        let item = initialFocusItem
        if (!item) {
            const first = body.nextItemInFocusChain(true)
            // Only a field: a button or a choice with the focus would act on a key pressed by mistake.
            if (first && holds(first) && first.cursorVisible !== undefined)
                item = first
        }
        if (item)
            item.forceActiveFocus(Qt.PopupFocusReason)
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    modal: true
    focus: true
    closePolicy: dismissable ? Popup.CloseOnEscape | Popup.CloseOnPressOutside : Popup.NoAutoClose
    width: parent ? Math.min(parent.width - 2 * (compact ? Theme.spacing : Theme.margin), preferredWidth) : preferredWidth
    height: parent ? Math.min(implicitHeight, parent.height - 2 * Theme.margin) : implicitHeight
    font.pixelSize: Theme.fontSize
    padding: 0
    topPadding: 0
    bottomPadding: 0

    Overlay.modal: Rectangle { color: Theme.scrim }

    background: Rectangle {
        radius: 12
        color: Theme.surface
        border.width: 1
        border.color: Theme.divider
    }

    header: Item {
        implicitHeight: titleRow.implicitHeight + Theme.margin + Theme.spacing
        RowLayout {
            id: titleRow
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.leftMargin: dialog.compact ? Theme.margin : Theme.margin + 8
            anchors.rightMargin: Theme.spacing
            anchors.topMargin: Theme.margin - 4
            spacing: Theme.spacing
            Label {
                objectName: "dialogTitle"
                Layout.fillWidth: true
                Layout.minimumHeight: Theme.controlHeight
                verticalAlignment: Text.AlignVCenter
                text: dialog.title
                wrapMode: Text.Wrap
                color: Theme.text
                font.pixelSize: Theme.titleFontSize + 2
                font.weight: Font.DemiBold
                Accessible.role: Accessible.Heading
            }
            IconButton {
                objectName: "dialogCloseButton"
                visible: dialog.dismissable
                iconName: "close"
                label: qsTr("Close")
                onClicked: dialog.close()
            }
        }
    }

    contentItem: Flickable {
        id: scroller
        implicitHeight: body.implicitHeight + Theme.spacing
        contentWidth: width
        contentHeight: body.implicitHeight + Theme.spacing
        boundsBehavior: Flickable.StopAtBounds
        clip: true
        ScrollBar.vertical: ScrollBar { }

        ColumnLayout {
            id: body
            x: dialog.compact ? Theme.margin : Theme.margin + 8
            y: Theme.gap
            width: scroller.width - 2 * x
            spacing: Theme.padding
        }
    }

    footer: Item {
        implicitHeight: buttonRow.visibleChildren.length > 0 ? buttonRow.implicitHeight + Theme.margin + Theme.padding : Theme.margin
        Rectangle {
            width: parent.width
            height: 1
            color: Theme.divider
            visible: scroller.contentHeight > scroller.height
        }
        RowLayout {
            id: buttonRow
            // Only as wide as the buttons, at the right: a row as wide as the card would share its spare room
            // between them and leave the secondary button floating in the middle.
            readonly property int sideMargin: dialog.compact ? Theme.margin : Theme.margin + 8
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            anchors.rightMargin: sideMargin
            width: Math.min(implicitWidth, parent.width - 2 * sideMargin)
            anchors.bottomMargin: Theme.margin
            spacing: Theme.spacing
            layoutDirection: Qt.RightToLeft
        }
    }
}
