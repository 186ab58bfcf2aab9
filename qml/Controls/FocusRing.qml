// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import Larch

// The keyboard focus outline drawn around a control; invisible for mouse and touch use.
Rectangle {
    /// Whether the owning control has keyboard ("visual") focus.
    property bool shown: false

    anchors.fill: parent
    anchors.margins: -3
    /// Round like the Rectangle it outlines; other owners get the theme's corners.
    radius: ((parent as Rectangle)?.radius ?? Theme.radius) + 3
    color: "transparent"
    border.width: 2
    border.color: Theme.focus
    visible: shown
}
