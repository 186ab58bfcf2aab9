// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Larch

// Asks an administrator to confirm what changes a colleague's access: a role, a reset second factor, deactivation.
LarchDialog {
    id: dialog
    objectName: "staffActionDialog"

    /// The staff controller (App.staff): setAdmin(), resetTwoFactor(), deactivate().
    property var staff: null
    property string action
    property string userId
    property string name

    /// Asks about action ("admin", "clinician", "resetTwoFactor" or "deactivate") for the member userId.
    function ask(what, id, who) {
        action = what
        userId = id
        name = who
        open()
    }

    title: action === "admin" ? qsTr("Make %1 an administrator?").arg(name)
         : action === "clinician" ? qsTr("Make %1 a clinician?").arg(name)
         : action === "resetTwoFactor" ? qsTr("Reset %1's two-factor sign-in?").arg(name)
         : qsTr("Deactivate %1?").arg(name)
    // Enter must not deactivate a colleague or reset their second factor by accident.
    initialFocusItem: action === "deactivate" || action === "resetTwoFactor" ? cancelButton : confirmButton

    Label {
        objectName: "staffActionText"
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.text
        text: dialog.action === "admin"
              ? qsTr("Administrators add and deactivate staff, change the practice's security settings and read the audit log.")
              : dialog.action === "clinician"
              ? qsTr("They keep their conversations with patients but no longer manage staff, settings or the audit log.")
              : dialog.action === "resetTwoFactor"
              ? qsTr("Do this when they lost the phone with their authenticator app and their recovery codes. They sign in with their password alone until they set it up again; if the practice requires it, Larch leads them to do so at once.")
              : qsTr("They are signed out everywhere, their devices are removed and they can no longer sign in. Their messages stay in the conversations. The practice's keys are renewed, so their devices cannot read what comes next.")
    }

    buttons: [
        PrimaryButton {
            id: confirmButton
            objectName: "confirmStaffActionButton"
            text: dialog.action === "admin" ? qsTr("Make administrator")
                : dialog.action === "clinician" ? qsTr("Make clinician")
                : dialog.action === "resetTwoFactor" ? qsTr("Reset")
                : qsTr("Deactivate")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: {
                if (dialog.action === "admin" || dialog.action === "clinician")
                    dialog.staff.setAdmin(dialog.userId, dialog.action === "admin")
                else if (dialog.action === "resetTwoFactor")
                    dialog.staff.resetTwoFactor(dialog.userId)
                else
                    dialog.staff.deactivate(dialog.userId)
                dialog.close()
            }
        },
        SecondaryButton {
            id: cancelButton
            text: qsTr("Cancel")
            implicitWidth: implicitContentWidth + 2 * Theme.margin
            onClicked: dialog.close()
        }
    ]
}
