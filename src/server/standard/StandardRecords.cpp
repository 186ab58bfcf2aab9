// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/standard/StandardRecords.h"

#include "server/invites/PhoneNumbers.h"

namespace larch::server {

StandardContact toStandardContact(const StandardContactRecord &r, const QString &region)
{
    StandardContact c;
    c.address = r.address;
    c.display = r.channel == QLatin1String("sms") ? PhoneNumbers::parse(r.address, region).display : r.address;
    if (c.display.isEmpty())
        c.display = r.address;
    c.consent = r.consent;
    c.optedOutAt = r.optedOutAt;
    c.secureConversationId = r.secureConversationId;
    return c;
}

} // namespace larch::server
