// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/transport/AuditCommand.h"

#include "server/audit/AuditChain.h"
#include "server/storage/sqlite/SqliteStorage.h"

#include <memory>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace larch::server {

int verifyAuditCommand(const ServerConfig &config, std::FILE *out, std::FILE *err)
{
    const QString path = QDir(QString::fromStdString(config.dataDir)).filePath(QStringLiteral("larch.sqlite3"));
    if (!QFileInfo::exists(path)) {
        std::fprintf(err, "larch-server: there is no database in %s.\n", config.dataDir.c_str());
        return 1;
    }
    std::unique_ptr<SqliteStorage> storage;
    try {
        storage = std::make_unique<SqliteStorage>(path);
    } catch (const std::exception &e) {
        std::fprintf(err, "larch-server: cannot open the database: %s\n", e.what());
        return 1;
    }
    const AuditVerdict v = audit_chain::verify(storage->audit());
    if (v.intact) {
        std::fprintf(out, "The audit log is intact: %lld records, each chained to the one before.\n",
                     static_cast<long long>(v.records));
        if (v.prunedThrough > 0)
            std::fprintf(
                out,
                "Records 1 to %lld were removed after their retention period (the last on %s); the "
                "chain continues from the last of them.\n",
                static_cast<long long>(v.prunedThrough),
                QDateTime::fromMSecsSinceEpoch(v.prunedAt, Qt::UTC).date().toString(Qt::ISODate).toUtf8().constData());
        return 0;
    }
    std::fprintf(out, "The audit log is broken at record %lld: %s.\n", static_cast<long long>(v.badSeq),
                 v.reason.toUtf8().constData());
    return 3;
}

} // namespace larch::server
