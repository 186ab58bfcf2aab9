// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/accounts/TwoFactorService.h"

#include "core/crypto/Crypto.h"
#include "core/protocol/Validation.h"
#include "server/accounts/CodeKey.h"
#include "server/accounts/Totp.h"
#include "server/api/RequestError.h"
#include "server/audit/RequestOrigin.h"
#include "server/transport/Clock.h"

#include <sodium.h>

namespace larch::server {
namespace {

/// Recovery code letters: no 0/o, 1/l/i or u/v look-alikes to misread from paper.
constexpr char RecoveryAlphabet[] = "23456789abcdefghjkmnpqrstwxyz";
constexpr int RecoveryLength = 10;

/// A code as typed: spaces and hyphens out, letters in lower case.
QString normalized(const QString &code)
{
    QString out;
    for (const QChar c : code)
        if (!c.isSpace() && c != u'-')
            out.append(c.toLower());
    return out;
}

RequestError wrongCode(int status)
{
    return {status, QStringLiteral("wrong_code"),
            QStringLiteral("That code is not right. Type the 6 digits your authenticator app shows now, or one of "
                           "your recovery codes.")};
}

RequestError limited()
{
    return {429, QStringLiteral("rate_limited"), QStringLiteral("Too many codes tried; wait a minute and try again.")};
}

QString originAddress()
{
    const RequestOrigin *o = OriginScope::current();
    return o ? o->address : QString();
}

} // namespace

TwoFactorService::TwoFactorService(Storage &storage, const QByteArray &codeKey)
    : m_storage(storage), m_sealKey(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, Qt::Uninitialized), m_codeKey(codeKey)
{
    if (codeKey.size() != crypto_kdf_KEYBYTES)
        throw std::invalid_argument("the code key must be 32 bytes");
    crypto_kdf_derive_from_key(reinterpret_cast<unsigned char *>(m_sealKey.data()), size_t(m_sealKey.size()), 1,
                               "larch2fa", reinterpret_cast<const unsigned char *>(codeKey.constData()));
}

QByteArray TwoFactorService::seal(const QString &userId, const QByteArray &secret) const
{
    const QByteArray ad = userId.toUtf8();
    QByteArray out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + secret.size()
                       + crypto_aead_xchacha20poly1305_ietf_ABYTES,
                   Qt::Uninitialized);
    auto *nonce = reinterpret_cast<unsigned char *>(out.data());
    randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, nullptr,
        reinterpret_cast<const unsigned char *>(secret.constData()), size_t(secret.size()),
        reinterpret_cast<const unsigned char *>(ad.constData()), size_t(ad.size()), nullptr, nonce,
        reinterpret_cast<const unsigned char *>(m_sealKey.constData()));
    return out;
}

QByteArray TwoFactorService::open(const QString &userId, const QByteArray &sealed) const
{
    constexpr int overhead = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
    if (sealed.size() <= overhead)
        return {};
    const QByteArray ad = userId.toUtf8();
    QByteArray secret(sealed.size() - overhead, Qt::Uninitialized);
    const auto *nonce = reinterpret_cast<const unsigned char *>(sealed.constData());
    const auto *cipher = nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char *>(secret.data()), nullptr, nullptr, cipher,
            size_t(sealed.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES),
            reinterpret_cast<const unsigned char *>(ad.constData()), size_t(ad.size()), nonce,
            reinterpret_cast<const unsigned char *>(m_sealKey.constData()))
        != 0)
        return {}; // another key (code.key replaced) or a row moved to another user: no code is right
    return secret;
}

QByteArray TwoFactorService::recoveryDigest(const QString &userId, const QString &code) const
{
    return CodeKey::digest(m_codeKey, QStringLiteral("recovery:") + userId, code);
}

QStringList TwoFactorService::newRecoveryCodes(const QString &userId, QList<QByteArray> *digests) const
{
    QStringList codes;
    constexpr quint32 letters = sizeof RecoveryAlphabet - 1;
    for (int i = 0; i < RecoveryCodeCount; ++i) {
        QString code;
        for (int j = 0; j < RecoveryLength; ++j)
            code.append(QLatin1Char(RecoveryAlphabet[randombytes_uniform(letters)]));
        codes.append(code);
        digests->append(recoveryDigest(userId, code));
    }
    return codes;
}

bool TwoFactorService::isEnabled(const QString &userId)
{
    const auto r = m_storage.security().twoFactor(userId);
    return r && r->enabledAt > 0;
}

QJsonObject TwoFactorService::status(const User &caller)
{
    const bool enabled = isEnabled(caller.id);
    const bool required = caller.isStaff() && m_storage.security().practicePolicy(caller.practiceId).twoFactorRequired;
    return {{"enabled", enabled},
            {"required", required},
            {"recoveryCodesLeft", enabled ? m_storage.security().recoveryCodesLeft(caller.id) : 0}};
}

QJsonObject TwoFactorService::begin(const User &caller)
{
    if (!caller.isStaff())
        throw RequestError(403, QStringLiteral("forbidden"),
                           QStringLiteral("Two-factor sign-in is for the practice's staff accounts."));
    const QByteArray secret = Totp::newSecret();
    if (!m_storage.security().beginTwoFactor(caller.id, seal(caller.id, secret), nowMs()))
        throw RequestError(409, QStringLiteral("already_enabled"),
                           QStringLiteral("Two-factor sign-in is already on for this account; turn it off first to "
                                          "move it to another authenticator app."));
    return {{"secret", Totp::base32(secret)}, {"uri", Totp::uri(secret, caller.email)}};
}

QStringList TwoFactorService::confirm(const User &caller, const QString &code)
{
    const auto r = m_storage.security().twoFactor(caller.id);
    if (!r || r->enabledAt > 0)
        throw RequestError(409, QStringLiteral("no_enrolment"),
                           QStringLiteral("Start two-factor enrolment first: there is no new authenticator waiting "
                                          "for its first code."));
    const qint64 now = nowMs();
    if (!m_limiter.begin(caller.id, originAddress(), now))
        throw limited();
    const auto step = Totp::check(open(caller.id, r->sealedSecret), normalized(code), now / 1000);
    if (!step)
        throw wrongCode(400);
    m_limiter.succeeded(caller.id, originAddress(), now);
    QList<QByteArray> digests;
    const QStringList codes = newRecoveryCodes(caller.id, &digests);
    if (!m_storage.security().enableTwoFactor(caller.id, *step, digests, now))
        throw RequestError(409, QStringLiteral("no_enrolment"),
                           QStringLiteral("This enrolment was already confirmed or restarted; start again."));
    m_audit.record(AuditLog::of(caller), QStringLiteral("two_factor_enabled"), {caller.id});
    return codes;
}

bool TwoFactorService::accept(const QString &userId, const QString &code)
{
    const auto r = m_storage.security().twoFactor(userId);
    if (!r || r->enabledAt == 0)
        return false;
    const QString typed = normalized(code);
    if (typed.size() == Totp::Digits) {
        const auto step = Totp::check(open(userId, r->sealedSecret), typed, nowMs() / 1000);
        return step && m_storage.security().useTotpStep(userId, *step);
    }
    if (typed.size() != RecoveryLength)
        return false;
    if (!m_storage.security().useRecoveryCode(userId, recoveryDigest(userId, typed), nowMs()))
        return false;
    m_audit.record(AuditLog::Actor{{}, userId, {}, originAddress()}, QStringLiteral("recovery_code_used"), {userId});
    return true;
}

void TwoFactorService::requireCode(const User &caller, const QString &code)
{
    const qint64 now = nowMs();
    if (!m_limiter.begin(caller.id, originAddress(), now))
        throw limited();
    if (!accept(caller.id, code)) {
        m_audit.record(AuditLog::of(caller), QStringLiteral("two_factor_failed"), {caller.id});
        throw wrongCode(400);
    }
    m_limiter.succeeded(caller.id, originAddress(), now);
}

void TwoFactorService::disable(const User &caller, const QString &code)
{
    if (!isEnabled(caller.id))
        throw RequestError(409, QStringLiteral("not_enabled"), QStringLiteral("Two-factor sign-in is not on."));
    if (m_storage.security().practicePolicy(caller.practiceId).twoFactorRequired)
        throw RequestError(403, QStringLiteral("two_factor_required"),
                           QStringLiteral("Your practice requires two-factor sign-in, so it cannot be turned off. "
                                          "To move it to a new phone, ask an administrator to reset it."));
    requireCode(caller, code);
    m_storage.security().removeTwoFactor(caller.id);
    m_audit.record(AuditLog::of(caller), QStringLiteral("two_factor_disabled"), {caller.id});
}

QStringList TwoFactorService::renewRecoveryCodes(const User &caller, const QString &code)
{
    if (!isEnabled(caller.id))
        throw RequestError(409, QStringLiteral("not_enabled"), QStringLiteral("Two-factor sign-in is not on."));
    requireCode(caller, code);
    QList<QByteArray> digests;
    const QStringList codes = newRecoveryCodes(caller.id, &digests);
    m_storage.security().replaceRecoveryCodes(caller.id, digests);
    m_audit.record(AuditLog::of(caller), QStringLiteral("recovery_codes_renewed"), {caller.id});
    return codes;
}

void TwoFactorService::reset(const User &caller, const QString &practiceId, const QString &userId)
{
    if (caller.practiceId != practiceId)
        throw RequestError::notFound();
    if (!caller.isAdmin())
        throw RequestError::forbidden();
    const auto target = isValidId(userId) ? m_storage.accounts().user(userId) : std::nullopt;
    if (!target || target->practiceId != practiceId || !target->isStaff())
        throw RequestError::notFound();
    m_storage.security().removeTwoFactor(userId);
    m_audit.record(AuditLog::of(caller), QStringLiteral("two_factor_reset"), {userId});
}

QString TwoFactorService::challenge(const User &user, qint64 *expiresAt)
{
    const QString token = newToken();
    const qint64 now = nowMs();
    *expiresAt = now + ChallengeLifetimeMs;
    m_storage.security().createChallenge(tokenDigest(token), TwoFactorChallenge{user.id, *expiresAt, 0}, now);
    return token;
}

QString TwoFactorService::answer(const QString &challengeToken, const QString &code, const QString &address)
{
    const RequestError expired(401, QStringLiteral("challenge_expired"),
                               QStringLiteral("This sign-in took too long or had too many wrong codes; type your "
                                              "email and password again."));
    if (challengeToken.isEmpty() || challengeToken.size() > 256)
        throw expired;
    const QByteArray digest = tokenDigest(challengeToken);
    const auto c = m_storage.security().challenge(digest);
    const qint64 now = nowMs();
    if (!c || c->expiresAt <= now || c->attempts >= ChallengeAttempts)
        throw expired;
    if (!m_limiter.begin(c->userId, address, now))
        throw limited();
    if (!accept(c->userId, code)) {
        const auto user = m_storage.accounts().user(c->userId);
        m_audit.record(AuditLog::Actor{user ? user->practiceId : QString(), c->userId, {}, address},
                       QStringLiteral("two_factor_failed"), {c->userId});
        if (m_storage.security().failChallenge(digest) >= ChallengeAttempts)
            m_storage.security().removeChallenge(digest);
        throw wrongCode(401);
    }
    m_limiter.succeeded(c->userId, address, now);
    m_storage.security().removeChallenge(digest);
    return c->userId;
}

} // namespace larch::server
