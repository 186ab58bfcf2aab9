// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
import QtQuick
import QtQuick.Controls.impl as Impl
import Larch

// A single-colour icon from resources/icons, tinted at run time.
Impl.IconImage {
    /// The icon's file name without extension, e.g. "lock".
    property string iconName
    /// The edge length in pixels.
    property int size: 16

    source: iconName.length > 0 ? Theme.icon(iconName) : ""
    sourceSize.width: size
    sourceSize.height: size
    width: size
    height: size
    color: Theme.textSecondary
    fillMode: Image.PreserveAspectFit
}
