import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The bar under a thread where a message is written: grows to about six lines, Enter sends,
// Shift+Enter starts a new line.
FocusScope {
    id: root

    /// The text being written (the open conversation's draft).
    property alias text: area.text
    /// Whether the text can be sent now; the page binds it to the compose controller.
    property bool canSend: text.trim().length > 0
    /// On phones the on-screen keyboard's Return key inserts a line, as people expect there.
    property bool enterSends: Qt.platform.os !== "android" && Qt.platform.os !== "ios"
    /// The hint in the empty field; says what kind of message this is.
    property alias placeholderText: area.placeholderText
    /// Lines shown before the field scrolls.
    property int maxLines: 6

    /// Emitted when the person asks to send; the text is what was written.
    signal sendRequested(string text)

    /// Asks to send the text if it can be sent; keeps focus in the field either way.
    function requestSend() {
        if (root.canSend)
            root.sendRequested(root.text)
        area.forceActiveFocus()
    }

    implicitHeight: frame.implicitHeight
    implicitWidth: 320
    // Focus given to the bar (Tab, or the page opening a conversation) always lands in the text field.
    onActiveFocusChanged: if (activeFocus && !area.activeFocus && !sendButton.activeFocus) area.forceActiveFocus()

    Rectangle {
        id: frame
        anchors.fill: parent
        implicitHeight: row.implicitHeight + 2 * Theme.padding
        color: Theme.surface

        Rectangle {
            width: parent.width
            height: 1
            color: Theme.divider
        }

        RowLayout {
            id: row
            anchors.fill: parent
            anchors.margins: Theme.padding
            spacing: Theme.spacing

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
                        placeholderText: qsTr("Write a secure message…")
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
                        Accessible.name: qsTr("Message")

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
