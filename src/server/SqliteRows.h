// Row helpers shared by SqliteStorage's end-to-end encryption files (internal to the SQLite backend).
#pragma once

#include "SqliteConnection.h"
#include "Storage.h"

#include <QJsonDocument>

namespace larch::server::sqlite_rows {

#define DEVICE_COLUMNS "id, user_id, name, box_public_key, sign_public_key, state, created_at, revoked_at"
#define DEVICE_COLUMNS_D "d.id, d.user_id, d.name, d.box_public_key, d.sign_public_key, d.state, d.created_at, d.revoked_at"

inline DeviceRecord readDevice(Statement &s)
{
    DeviceRecord d;
    d.id = s.text(0);
    d.userId = s.text(1);
    d.name = s.text(2);
    d.boxPublicKey = s.text(3);
    d.signPublicKey = s.text(4);
    d.state = s.text(5);
    d.createdAt = s.integer(6);
    if (!s.isNull(7))
        d.revokedAt = s.integer(7);
    return d;
}

inline QByteArray compact(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

inline void addEvents(QList<NewEvent> &out, const QStringList &recipients, const char *type, const QByteArray &data)
{
    for (const QString &r : recipients)
        out.append(NewEvent{r, QString::fromLatin1(type), data});
}

} // namespace larch::server::sqlite_rows
