// The server's one notion of now: milliseconds since the Unix epoch, as every stored time and the wire use.
#pragma once

#include <QDateTime>

namespace larch::server {

inline qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

} // namespace larch::server
