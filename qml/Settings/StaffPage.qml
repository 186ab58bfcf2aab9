// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// The practice's staff, for administrators: who works there, their role and two-factor sign-in, who has not chosen
// a password yet; adding a colleague, changing a role, resetting a lost second factor, deactivating.
// Presentation only: `staff` is the controller.
FocusScope {
    id: page

    /// The staff controller (App.staff; a stand-in in tests): a list model with userId, name, email, admin,
    /// twoFactor, passwordSet and isYou, plus busy, loaded, error, notice, and load(), add(), setAdmin(),
    /// resendLink(), resetTwoFactor(), deactivate(), dismissNotice().
    property var staff: null
    readonly property bool compact: width < 480

    /// Emitted when the person leaves the page.
    signal closeRequested()

    /// Opens the "Add staff member" dialog (also used by the screenshot script).
    function showAddStaff() { addDialog.openEmpty() }

    Keys.onEscapePressed: page.closeRequested()

    Rectangle { anchors.fill: parent; color: Theme.window }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

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
                    objectName: "staffBackButton"
                    iconName: "back"
                    label: qsTr("Back")
                    onClicked: page.closeRequested()
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Staff")
                    elide: Text.ElideRight
                    color: Theme.text
                    font.pixelSize: Theme.titleFontSize + 2
                    font.weight: Font.DemiBold
                    Accessible.role: Accessible.Heading
                }
                PrimaryButton {
                    objectName: "addStaffPageButton"
                    text: page.compact ? qsTr("Add") : qsTr("Add staff member")
                    implicitWidth: implicitContentWidth + 2 * Theme.margin
                    enabled: page.staff && page.staff.loaded
                    onClicked: page.showAddStaff()
                }
            }
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.divider }
        }

        NoticeStrip {
            objectName: "staffNotice"
            Layout.fillWidth: true
            visible: text.length > 0
            text: page.staff ? page.staff.notice : ""
            onDismissRequested: page.staff.dismissNotice()
        }

        // A refusal while the list is on show (their own role, a member deactivated meanwhile, no connection).
        Rectangle {
            objectName: "staffErrorStrip"
            Layout.fillWidth: true
            visible: page.staff && page.staff.loaded && page.staff.error.length > 0 && !addDialog.opened
            implicitHeight: errorRow.implicitHeight + 2 * Theme.spacing
            color: Theme.dangerSoft
            RowLayout {
                id: errorRow
                anchors.fill: parent
                anchors.leftMargin: Theme.margin
                anchors.rightMargin: Theme.margin
                Icon { iconName: "warning"; size: 18; color: Theme.danger }
                Label {
                    objectName: "staffErrorText"
                    Layout.fillWidth: true
                    text: page.staff ? page.staff.error : ""
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
                objectName: "staffList"
                anchors.fill: parent
                visible: page.staff && page.staff.loaded
                model: page.staff
                clip: true
                spacing: Theme.spacing
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
                    text: qsTr("Everyone who works with your patients in Larch. New colleagues choose their own password through the link we email them; you can't change your own role or deactivate yourself.")
                    wrapMode: Text.Wrap
                    color: Theme.textSecondary
                }
                delegate: StaffMemberRow {
                    required property var model
                    x: (list.width - width) / 2
                    width: list.columnWidth
                    userId: model.userId
                    name: model.name
                    email: model.email
                    admin: model.admin
                    twoFactor: model.twoFactor
                    passwordSet: model.passwordSet
                    isYou: model.isYou
                    busy: page.staff.busy
                    onActionRequested: (action, id, who) => {
                        if (action === "resendLink")
                            page.staff.resendLink(id)
                        else
                            actionDialog.ask(action, id, who)
                    }
                }
                // qmllint enable unqualified
            }

            BusyIndicator {
                objectName: "staffBusy"
                anchors.centerIn: parent
                running: visible
                visible: page.staff && !page.staff.loaded && page.staff.busy
            }

            EmptyState {
                objectName: "staffLoadError"
                anchors.fill: parent
                visible: page.staff && !page.staff.loaded && !page.staff.busy && page.staff.error.length > 0
                iconName: "warning"
                title: qsTr("The staff list couldn't be loaded")
                text: page.staff ? page.staff.error : ""
            }
            SecondaryButton {
                objectName: "staffRetryButton"
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.top: parent.verticalCenter
                anchors.topMargin: 110
                visible: page.staff && !page.staff.loaded && !page.staff.busy && page.staff.error.length > 0
                text: qsTr("Try again")
                onClicked: page.staff.load()
            }
        }
    }

    AddStaffDialog {
        id: addDialog
        staff: page.staff
    }
    StaffActionDialog {
        id: actionDialog
        staff: page.staff
    }
}
