// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// How an attachment's size and length read on cards and in viewers; one place so every screen agrees.
#pragma once

#include <QString>

namespace larch::AttachmentText {

/// "532 bytes", "48 KB", "2.4 MB", "1.1 GB" in units of 1024, so the server's 104,857,600-byte limit reads
/// "100 MB" as it is configured (--attachment-max-mb).
QString sizeText(qint64 bytes);
/// A video's length: "0:07", "12:34", "1:02:03"; "" when unknown (0 or less).
QString durationText(qint64 ms);

} // namespace larch::AttachmentText
