// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/accounts/PracticeSetup.h"

#include "core/crypto/Crypto.h"
#include "core/protocol/Validation.h"
#include "server/api/RequestError.h"
#include "server/transport/Clock.h"

#include <QJsonObject>
#include <stdexcept>

namespace larch::server {

PracticeSetup::Created PracticeSetup::create(const QString &practiceName, const QString &adminName,
                                             const QString &adminEmail, qint64 linkLifetimeMs)
{
    // The same fields and limits as POST /v1/practices, checked by the protocol's reader.
    FieldReader r(QJsonObject{{"practiceName", practiceName.trimmed()},
                              {"adminName", adminName.trimmed()},
                              {"adminEmail", adminEmail.trimmed()}});
    const QString name = r.string("practiceName", 1, Limits::NameMax);
    const QString admin = r.string("adminName", 1, Limits::NameMax);
    const QString email = r.email("adminEmail");
    if (!r.ok())
        throw RequestError(400, r.error()->code, r.error()->message);
    const qint64 now = nowMs();
    Created c;
    c.practice = PracticeRecord{newId(), name, now};
    UserRecord record;
    record.user = User{newId(), admin, email, QStringLiteral("admin"), c.practice.id};
    record.createdAt = now; // no password hash: nobody can sign in as this administrator until the link is used
    c.admin = record.user;
    c.token = newToken();
    c.expiresAt = now + linkLifetimeMs;
    if (!m_storage.accounts().createPracticeWithSetupLink(c.practice, record, tokenDigest(c.token), c.expiresAt))
        throw RequestError(409, QStringLiteral("conflict"), QStringLiteral("This email address is already in use."));
    // The operator acted, on the server's machine: no user, no address.
    m_audit.record(AuditLog::Actor{c.practice.id, {}, {}, {}}, QStringLiteral("practice_created"),
                   {c.practice.id, c.admin.id});
    return c;
}

SetupLinkState PracticeSetup::state(const QString &token)
{
    if (token.isEmpty() || token.size() > 256)
        return SetupLinkState::Unknown;
    return m_storage.accounts().setupLink(tokenDigest(token), nowMs(), nullptr);
}

SetupLinkState PracticeSetup::setPassword(const QString &token, const QString &password, const QString &address)
{
    const SetupLinkState before = state(token);
    if (before != SetupLinkState::Open)
        return before;
    if (password.size() < Limits::PasswordMin || password.size() > Limits::PasswordMax)
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("Choose a password of %1 to %2 characters.")
                               .arg(Limits::PasswordMin)
                               .arg(Limits::PasswordMax));
    const QByteArray hash = PasswordHash::hash(password);
    if (hash.isEmpty())
        throw std::runtime_error("password hashing failed");
    // The link is checked again inside the write: two tabs submitting at once set one password.
    QString userId;
    (void)m_storage.accounts().setupLink(tokenDigest(token), nowMs(), &userId);
    const SetupLinkState result = m_storage.accounts().useSetupLink(tokenDigest(token), hash, nowMs());
    if (result == SetupLinkState::Open) {
        const auto user = m_storage.accounts().user(userId);
        m_audit.record(AuditLog::Actor{user ? user->practiceId : QString(), userId, {}, address},
                       QStringLiteral("password_set_by_setup_link"));
    }
    return result;
}

} // namespace larch::server
