// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Levelled logging to stderr; callers never pass message bodies, names, emails or tokens.
#pragma once

#include <string>
#include <string_view>

namespace larch::log {

enum class Level { Error = 0, Warn = 1, Info = 2, Debug = 3 };

/// Parses "error", "warn", "info" or "debug"; false for anything else.
bool parseLevel(std::string_view text, Level &out);
void setLevel(Level level);
bool enabled(Level level);
void write(Level level, std::string_view text);

inline void error(std::string_view text) { write(Level::Error, text); }
inline void warn(std::string_view text) { write(Level::Warn, text); }
inline void info(std::string_view text) { write(Level::Info, text); }
inline void debug(std::string_view text) { write(Level::Debug, text); }

} // namespace larch::log
