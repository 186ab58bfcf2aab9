// Fills an empty server with the demo practice, staff, patients and conversations (--demo).
#pragma once

#include "AccountService.h"
#include "ConversationService.h"
#include "Storage.h"

namespace larch::server {

/// Seeds "Birch Family Medicine" once; a second run on the same data directory adds nothing.
/// Returns true when it seeded, false when the demo data was already there.
bool seedDemo(Storage &storage, AccountService &accounts, ConversationService &conversations);

} // namespace larch::server
