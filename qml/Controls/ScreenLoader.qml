// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick

// A Loader for a whole screen (sign-in, joining, home): the screen it loads takes the keyboard, so a person can
// type into its first field at once, even when the screen changed from a menu (Sign out) whose closing handed the
// focus back to an item that no longer exists.
Loader {
    focus: true
    onLoaded: {
        item.focus = true
        forceActiveFocus()
    }
}
