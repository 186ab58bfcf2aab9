// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
pragma Singleton
import QtQuick

// Larch's visual language: one deep-teal accent on calm neutrals, sized for reading at a glance.
QtObject {
    // Colours. Text colours keep at least 4.5:1 contrast on their backgrounds.
    readonly property color accent: "#0F6E6E"
    readonly property color accentHover: "#0C5F5F"
    readonly property color accentPressed: "#094D4D"
    readonly property color accentSoft: "#E2F0EF"
    readonly property color accentSofter: "#F0F7F6"
    readonly property color textOnAccent: "#FFFFFF"
    readonly property color textOnAccentMuted: "#D2E8E6"
    readonly property color window: "#F5F7F7"
    readonly property color surface: "#FFFFFF"
    readonly property color threadBackground: "#F3F6F6"
    readonly property color border: "#D5DDDD"
    readonly property color divider: "#E6EBEB"
    readonly property color hover: "#EEF3F3"
    readonly property color text: "#17262A"
    readonly property color textSecondary: "#53666A"
    readonly property color textDisabled: "#98A6A8"
    readonly property color danger: "#B3261E"
    readonly property color dangerSoft: "#FCEDEC"
    readonly property color warning: "#6A4A00"
    readonly property color warningSoft: "#FFF3D6"
    readonly property color warningBorder: "#E3CC8C"
    readonly property color dangerBorder: "#F2C9C6"
    /// A message that cannot be read yet: quieter than any real message.
    readonly property color mutedBubble: "#EDF1F1"
    /// Behind dialogs, dimming the screen they belong to.
    readonly property color scrim: "#66172629"
    readonly property color focus: "#1D8C8C"

    // Type scale, derived from the system font so the platform's size preference is honoured.
    readonly property real fontSize: Application.font.pixelSize > 0 ? Math.max(14, Application.font.pixelSize) : 14
    readonly property real smallFontSize: fontSize - 2
    readonly property real titleFontSize: fontSize + 2
    readonly property real headlineFontSize: fontSize + 8
    /// Codes people read aloud or copy by hand (safety codes, recovery keys) are set in a fixed-width face.
    readonly property string monoFontFamily: "monospace"

    // Spacing on a 4 px grid.
    readonly property int gap: 4
    readonly property int spacing: 8
    readonly property int padding: 12
    readonly property int margin: 16
    readonly property int radius: 8
    readonly property int bubbleRadius: 14

    // Layout.
    readonly property int wideBreakpoint: 720
    readonly property int listPaneWidth: 340
    readonly property int headerHeight: 60
    readonly property int controlHeight: 40
    readonly property int avatarSize: 40
    readonly property real maxBubbleFraction: 0.7
    readonly property int dialogWidth: 520

    function icon(name) {
        return "qrc:/Larch/icons/" + name + ".svg"
    }
}
