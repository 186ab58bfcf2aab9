// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/storage/StorageRecords.h"

namespace larch::server {

QByteArray StoredEvent::wire() const
{
    // Event types are fixed identifiers (Protocol.h, EventType) and need no escaping.
    QByteArray out;
    out.reserve(data.size() + type.size() + 40);
    out += "{\"seq\":";
    out += QByteArray::number(seq);
    out += ",\"type\":\"";
    out += type.toLatin1();
    out += "\",\"data\":";
    out += data;
    out += '}';
    return out;
}

} // namespace larch::server
