// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/e2ee/KeyRecords.h"

namespace larch::server {

QJsonObject DeviceRecord::toJson() const
{
    return {{"id", id},
            {"userId", userId},
            {"name", name},
            {"boxPublicKey", boxPublicKey},
            {"signPublicKey", signPublicKey},
            {"state", state},
            {"createdAt", createdAt},
            {"revokedAt", revokedAt ? QJsonValue(*revokedAt) : QJsonValue(QJsonValue::Null)}};
}

} // namespace larch::server
