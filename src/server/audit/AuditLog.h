// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Writes the audit records of what people do on the server (docs/security.md, "Audit log").
#pragma once

#include "core/protocol/Protocol.h"
#include "server/storage/Storage.h"

#include <QString>
#include <QStringList>

namespace larch::server {

/// Appends one record per action an auditor may ask about: who, from which device and address, what, on which ids.
/// A failure to write is logged and never fails the action it records.
class AuditLog {
public:
    explicit AuditLog(Storage &storage) : m_storage(storage) { }

    /// Who acted.
    struct Actor {
        QString practiceId;
        QString userId;
        QString deviceId;
        QString address; ///< "" for the operator's command line
    };
    static Actor of(const User &user, const QString &deviceId = {}, const QString &address = {})
    {
        return Actor{user.practiceId, user.id, deviceId, address};
    }

    void record(const Actor &who, const QString &action, const QStringList &objectIds = {});

private:
    Storage &m_storage;
};

} // namespace larch::server
