// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Watches and fails system calls of the test process (tst_server_attachments_unit): the syncs SQLite and the blob
// store make, and a full disk (ENOSPC, EDQUOT) on a blob's write or sync, which a real disk gives only when full.
// The test executable defines fsync, fdatasync and pwrite (SyscallSpy.cpp); they record or fail, then call libc's.
#pragma once

#include <QByteArray>
#include <QStringList>

namespace spy {

/// Forgets the syncs seen so far.
void resetSyncs();
/// The paths of the files synced (fsync or fdatasync) since resetSyncs, in order.
QStringList syncedPaths();
/// Makes pwrite fail with error for files whose path starts with prefix; error 0 stops it.
void failWrites(const QByteArray &prefix, int error);
/// Makes fsync and fdatasync fail with error for files whose path starts with prefix; error 0 stops it.
void failSyncs(const QByteArray &prefix, int error);

} // namespace spy
