// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The enums QML compares roles and properties with, read as text by C++: their names.
#pragma once

namespace larch {

/// Makes QVariant::toString() of each enum QML reads give its name, the word the wire and the store use ("failed",
/// not "Failed"), so C++ that reads a role or property as text (the screenshot tool, the demo seed, tests) sees the
/// words it saw before the enums. Once per program; AppController calls it.
void registerEnumNames();

} // namespace larch
