// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Records of standard (SMS/email) conversations as the storage keeps them (docs/standard-conversations.md).
#pragma once

#include "core/protocol/Protocol.h"

#include <optional>
#include <QString>

namespace larch::server {

/// How a standard conversation reaches its contact: one per (practice, channel, address).
struct StandardContactRecord {
    QString conversationId;
    QString practiceId;
    QString channel; ///< "sms" or "email"
    QString address; ///< E.164 phone number or lower-case email address
    QString replyToken; ///< routes email replies: <local>+<replyToken>@<domain>
    std::optional<Consent> consent; ///< absent until staff record it
    qint64 optedOutAt = 0; ///< the contact replied STOP; 0 while they may be texted
    QString secureConversationId; ///< made by "Invite to Secure Conversation"; "" when none
};

/// The contact as staff see it in Conversation.standard; region formats a phone number for display.
StandardContact toStandardContact(const StandardContactRecord &record, const QString &region);

} // namespace larch::server
