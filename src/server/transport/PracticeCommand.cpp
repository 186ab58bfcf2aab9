// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/transport/PracticeCommand.h"

#include "core/crypto/Crypto.h"
#include "server/accounts/PracticeSetup.h"
#include "server/api/RequestError.h"
#include "server/storage/sqlite/SqliteStorage.h"

#include <memory>
#include <QDateTime>
#include <QDir>

namespace larch::server {

int createPracticeCommand(const ServerConfig &config, const std::string &practiceName, const std::string &adminName,
                          const std::string &adminEmail, std::FILE *out, std::FILE *err)
{
    if (!initCrypto()) {
        std::fputs("larch-server: libsodium failed to initialise.\n", err);
        return 1;
    }
    const QString dataDir = QString::fromStdString(config.dataDir);
    if (!QDir().mkpath(dataDir)) {
        std::fprintf(err, "larch-server: cannot create the data directory %s.\n", config.dataDir.c_str());
        return 1;
    }
    std::unique_ptr<SqliteStorage> storage;
    try {
        storage = std::make_unique<SqliteStorage>(QDir(dataDir).filePath(QStringLiteral("larch.sqlite3")));
    } catch (const std::exception &e) {
        std::fprintf(err, "larch-server: cannot open the database: %s\n", e.what());
        return 1;
    }
    PracticeSetup setup(*storage);
    PracticeSetup::Created created;
    try {
        created = setup.create(QString::fromStdString(practiceName), QString::fromStdString(adminName),
                               QString::fromStdString(adminEmail));
    } catch (const RequestError &e) {
        std::fprintf(err, "larch-server: %s\n", e.message.toUtf8().constData());
        return e.status == 409 ? 1 : 2;
    }
    // The link names neither the practice nor the person: only its token, which the server keeps as a digest.
    std::string base = config.publicUrl;
    if (base.empty())
        base = (config.tlsCert.empty() ? "http://" : "https://") + config.listen + ":" + std::to_string(config.port);
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    const QString until =
        QDateTime::fromMSecsSinceEpoch(created.expiresAt, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    std::fprintf(out,
                 "Practice created. Send this link to its first administrator, %s, who chooses a password there:\n"
                 "  %s/setup/%s\n"
                 "The link works once, until %s UTC.\n",
                 created.admin.email.toUtf8().constData(), base.c_str(), created.token.toUtf8().constData(),
                 until.toUtf8().constData());
    return 0;
}

} // namespace larch::server
