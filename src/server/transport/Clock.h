// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The server's one notion of now: milliseconds since the Unix epoch, as every stored time and the wire use.
#pragma once

#include <QDateTime>

namespace larch::server {

inline qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

} // namespace larch::server
