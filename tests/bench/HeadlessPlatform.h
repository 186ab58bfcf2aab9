// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Benchmarks that open windows run where no display exists (a build machine, a CI runner, an ssh shell).
#pragma once

#include <cstdio>
#include <QByteArray>
#include <QtGlobal>

namespace bench {

/// Chooses Qt's offscreen platform when none was asked for and neither X11 nor Wayland is reachable, so a
/// benchmark started from a plain shell measures instead of aborting with "could not connect to display". Call it
/// first in main(), before any QGuiApplication; child processes inherit the choice.
inline void useOffscreenWithoutDisplay()
{
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        return;
    qputenv("QT_QPA_PLATFORM", QByteArrayLiteral("offscreen"));
    std::fprintf(stderr, "no display: rendering with the offscreen platform\n");
}

} // namespace bench
