// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/e2ee/PracticeIdentityPins.h"

#include "client/store/LocalStore.h"
#include "core/crypto/PracticeIdentity.h"

#include <QDateTime>

namespace larch {

namespace {
qint64 now() { return QDateTime::currentMSecsSinceEpoch(); }
} // namespace

PracticeIdentityPins::PracticeIdentityPins(LocalStore *store, QObject *parent) : QObject(parent), m_store(store) { }

std::optional<PracticePin> PracticeIdentityPins::pin(const QString &practiceId) const
{
    return m_store->keys().pin(practiceId);
}

bool PracticeIdentityPins::isChanged(const QString &practiceId) const
{
    const auto p = pin(practiceId);
    return p && p->changed();
}

IdentityTrust PracticeIdentityPins::trusted(const PracticePin &pin)
{
    return IdentityTrust{IdentityTrust::State::Trusted, pin.version, pin.publicKey};
}

QString PracticeIdentityPins::nameOf(const PracticePin &pin)
{
    return pin.practiceName.isEmpty() ? QStringLiteral("Your practice") : pin.practiceName;
}

void PracticeIdentityPins::expect(const QString &conversationId, const QByteArray &fingerprint)
{
    if (!conversationId.isEmpty() && fingerprint.size() == IdentityFingerprint::Bytes)
        m_expected.insert(conversationId, fingerprint);
}

IdentityTrust PracticeIdentityPins::evaluate(const QString &conversationId, const QString &practiceId,
                                             const std::optional<IdentityChain> &listed)
{
    const std::optional<PracticePin> stored = pin(practiceId);
    const IdentityVersion *current = listed ? listed->current() : nullptr;
    PracticePin next = stored.value_or(PracticePin{});
    next.practiceId = practiceId;
    if (listed && !listed->practiceName.isEmpty())
        next.practiceName = listed->practiceName;

    // Joined through a Practice Link that carried a fingerprint: that identity and no other.
    if (const QByteArray expected = m_expected.value(conversationId); !expected.isEmpty()) {
        if (current && IdentityFingerprint::matches(expected, current->publicKey)) {
            m_expected.remove(conversationId);
            next.version = current->version;
            next.publicKey = current->publicKey;
            next.verified = true;
            next.pinnedAt = now();
            next.offeredVersion = 0;
            next.offeredKey.clear();
            next.offeredMismatch = false;
            save(next);
            return trusted(next);
        }
        if (!stored || !stored->offeredMismatch
            || stored->offeredKey != (current ? current->publicKey : QByteArray())) {
            next.offeredVersion = current ? current->version : 0;
            next.offeredKey = current ? current->publicKey : QByteArray();
            next.offeredMismatch = true;
            next.changedAt = now();
            save(next,
                 QStringLiteral("identity-mismatch/") + practiceId + QLatin1Char('/')
                     + IdentityFingerprint::linkText(next.offeredKey),
                 QStringLiteral("The security identity this server lists for %1 does not match the Practice Link "
                                "you joined with. Your messages wait until you check it.")
                     .arg(nameOf(next)));
        }
        return IdentityTrust{IdentityTrust::State::Changed, 0, {}};
    }

    const std::optional<IdentityPin> pinned =
        stored && stored->version > 0 ? std::optional(IdentityPin{stored->version, stored->publicKey}) : std::nullopt;
    const ChainVerdict verdict =
        listed ? listed->check(pinned) : (pinned ? ChainVerdict::Changed : ChainVerdict::FirstUse);
    if (verdict == ChainVerdict::FirstUse && !current && !(stored && stored->changed()))
        return IdentityTrust{}; // a practice without an identity, never pinned: as before identities
    if (verdict != ChainVerdict::Changed && !(stored && stored->offeredMismatch)) {
        next.version = current->version;
        next.publicKey = current->publicKey;
        if (verdict == ChainVerdict::FirstUse)
            next.pinnedAt = now();
        // The server lists the trusted identity again: a change it showed before is no longer offered.
        next.offeredVersion = 0;
        next.offeredKey.clear();
        if (!stored || *stored != next)
            save(next);
        return trusted(next);
    }
    // Not trusted: recorded once per identity offered, and the pinned one stays.
    const QByteArray offered = current ? current->publicKey : QByteArray();
    if (!stored || !stored->changed() || stored->offeredKey != offered) {
        next.offeredVersion = current ? current->version : 0;
        next.offeredKey = offered;
        next.changedAt = now();
        if (!current)
            next.offeredVersion = -1; // listed none at all; nothing can be accepted
        save(
            next,
            QStringLiteral("identity-changed/") + practiceId + QLatin1Char('/')
                + (current ? IdentityFingerprint::linkText(offered) : QStringLiteral("none")),
            QStringLiteral("%1's security identity changed. Your messages wait until you check it.").arg(nameOf(next)));
    }
    return IdentityTrust{IdentityTrust::State::Changed, 0, {}};
}

bool PracticeIdentityPins::accept(const QString &practiceId, bool verified)
{
    auto p = pin(practiceId);
    if (!p || !p->changed() || p->offeredKey.size() != 32 || p->offeredVersion <= 0)
        return false;
    p->version = p->offeredVersion;
    p->publicKey = p->offeredKey;
    p->verified = verified;
    p->pinnedAt = now();
    p->offeredVersion = 0;
    p->offeredKey.clear();
    p->offeredMismatch = false;
    save(*p,
         QStringLiteral("identity-accepted/") + practiceId + QLatin1Char('/')
             + IdentityFingerprint::linkText(p->publicKey),
         verified
             ? QStringLiteral("You checked %1's new security identity with the practice. Messages go to %1 "
                              "again.")
                   .arg(nameOf(*p))
             : QStringLiteral("You accepted %1's new security identity. Messages go to %1 again.").arg(nameOf(*p)));
    return true;
}

PracticeIdentityPins::Matched PracticeIdentityPins::checkFingerprint(const QByteArray &fingerprint,
                                                                     const QString &practiceId)
{
    for (PracticePin p : m_store->keys().pins()) {
        if (!practiceId.isEmpty() && p.practiceId != practiceId)
            continue;
        if (p.changed() && IdentityFingerprint::matches(fingerprint, p.offeredKey))
            return {FingerprintMatch::Offered, p.practiceId, p.practiceName};
        if (p.version > 0 && IdentityFingerprint::matches(fingerprint, p.publicKey)) {
            if (!p.verified) {
                p.verified = true;
                save(p);
            }
            return {FingerprintMatch::Pinned, p.practiceId, p.practiceName};
        }
    }
    return {};
}

void PracticeIdentityPins::save(const PracticePin &pin, const QString &noticeKey, const QString &noticeText)
{
    m_store->keys().savePin(pin);
    if (!noticeKey.isEmpty()) {
        const qint64 at = now();
        for (const ConversationSummary &c : m_store->conversations().summaries()) {
            if (c.isStandard() || m_store->conversations().practice(c.id) != pin.practiceId)
                continue;
            if (auto notice = m_store->messages().addNotice(c.id, noticeKey, noticeText, at))
                emit noticeAdded(*notice);
        }
    }
    emit changed(pin.practiceId);
}

} // namespace larch
