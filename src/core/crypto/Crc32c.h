// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// CRC-32C (Castagnoli): the checksum an upload request carries (docs/protocol.md, "Attachments").
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace larch {

/// Continues crc over data (start with 0): crc32c("123456789") == 0xE3069283. Feeding pieces one after another
/// gives the same value as the whole. Uses the processor's CRC32 instruction where there is one.
quint32 crc32c(QByteArrayView data, quint32 crc = 0);
/// crc as 8 lower-case hex digits, the X-Content-CRC32C header's form (most significant first: "e3069283").
QByteArray crc32cHex(quint32 crc);

namespace detail {
/// The table-driven form every processor can run; the tests compare it with the fast one.
quint32 crc32cPortable(QByteArrayView data, quint32 crc);
} // namespace detail

} // namespace larch
