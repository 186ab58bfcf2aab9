// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Layouts
import Larch
import Larch.Models

// The account menu's "Two-factor sign-in" dialog for staff: its state, turning it on, new recovery codes, off.
LarchDialog {
    id: dialog

    objectName: "twoFactorDialog"
    title: qsTr("Two-factor sign-in")
    // Recovery codes on show must be seen to be kept: no dismissing them by accident.
    dismissable: App.twoFactor.step !== TwoFactorSetup.RecoveryCodes
    onAboutToShow: App.twoFactor.refresh()
    onClosed: App.twoFactor.cancel()

    TwoFactorSteps {
        Layout.fillWidth: true
    }
}
