// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Fills an empty server with the demo practice, staff, patients and their conversations (--demo).
#pragma once

#include "server/accounts/AccountService.h"
#include "server/storage/Storage.h"

namespace larch::server {

/// Seeds "Birch Family Medicine" once; a second run on the same data directory adds nothing.
/// Messages are not seeded: every conversation is end-to-end encrypted and the server holds no key, so
/// demo messages are written by a client that does. Returns true when it seeded, false when the demo
/// data was already there.
bool seedDemo(Storage &storage, AccountService &accounts);

} // namespace larch::server
