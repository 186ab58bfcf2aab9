// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Writing a blob's bytes past the page cache (O_DIRECT), at any offset and length.
#pragma once

#include <QByteArrayView>

namespace larch::server {

/// Writes bytes at offset of the file open as fd with O_DIRECT, then cuts the file at offset + bytes.size().
/// O_DIRECT moves whole 4 KiB blocks from an aligned buffer: the part of the block before offset is read back
/// first, and the last block is padded with zeros that the cut removes again. The file must end at offset when
/// called. False with errno set on failure (EINVAL: this file system takes no O_DIRECT; write buffered instead).
bool writeDirect(int fd, qint64 offset, QByteArrayView bytes);

} // namespace larch::server
