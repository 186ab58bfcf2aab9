// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The storage of larch-server: one interface per feature, opened together as one backend.
#pragma once

#include "server/storage/AccountStorage.h"
#include "server/storage/AttachmentStorage.h"
#include "server/storage/AuditStorage.h"
#include "server/storage/CallStorage.h"
#include "server/storage/ConversationStorage.h"
#include "server/storage/DeliveryStorage.h"
#include "server/storage/DeviceStorage.h"
#include "server/storage/InvitationStorage.h"
#include "server/storage/PracticeLinkStorage.h"
#include "server/storage/SecurityStorage.h"
#include "server/storage/StandardStorage.h"

namespace larch::server {

/// Persistent state of a Larch server: every feature's storage of one backend (SQLite today). The features
/// share one database, so a write of one feature may store rows of another in the same transaction (a new
/// invitation adds its conversation and the events of both). A backend implements each interface and passes
/// tests/server/storage, the conformance suite written against these interfaces alone.
class Storage {
public:
    virtual ~Storage() = default;

    virtual AccountStorage &accounts() = 0;
    virtual ConversationStorage &conversations() = 0;
    virtual DeviceStorage &devices() = 0;
    virtual InvitationStorage &invitations() = 0;
    virtual StandardStorage &standard() = 0;
    virtual PracticeLinkStorage &practiceLinks() = 0;
    virtual AttachmentStorage &attachments() = 0;
    virtual DeliveryStorage &deliveries() = 0;
    virtual AuditStorage &audit() = 0;
    virtual SecurityStorage &security() = 0;
    virtual CallStorage &calls() = 0;
};

} // namespace larch::server
