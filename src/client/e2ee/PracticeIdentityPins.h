// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A patient's pins of the practices' identities: pinned on first use, followed through signed rotations, and a change
// held until the person checks it.
#pragma once

#include "client/e2ee/KeyRing.h"
#include "client/store/LocalRecords.h"
#include "core/crypto/IdentityChain.h"

#include <optional>
#include <QHash>
#include <QObject>
#include <QString>

namespace larch {

class LocalStore;

/// Decides, for a patient's device, whether the practice identity a server lists may be trusted
/// (docs/security.md, "Practice identity pinning"). The first identity seen for a practice is pinned, or the one whose
/// fingerprint a Practice Link carried (then marked verified). Later versions each signed by the one before replace
/// the pin silently. Anything else is a change: it is recorded once with a notice in each of the practice's threads,
/// nothing is sealed to the practice until the person accepts it (after comparing its fingerprint), and the pinned
/// identity stays as it was.
class PracticeIdentityPins : public QObject {
    Q_OBJECT
public:
    /// What a fingerprint the person scanned or typed while signed in matched.
    enum class FingerprintMatch {
        NoMatch, ///< no practice's pinned or offered identity has it
        Pinned, ///< the pinned identity: it is now marked verified
        Offered, ///< a changed identity waiting to be checked: the caller accepts it (SecureSync::acceptIdentity)
    };
    struct Matched {
        FingerprintMatch match = FingerprintMatch::NoMatch;
        QString practiceId;
        QString practiceName;
    };

    explicit PracticeIdentityPins(LocalStore *store, QObject *parent = nullptr);

    /// Judges the identity listed with a conversation's keys (none: the practice lists no identity) and records what
    /// follows from it: a first pin, a signed rotation, or a change waiting for the person.
    IdentityTrust evaluate(const QString &conversationId, const QString &practiceId,
                           const std::optional<IdentityChain> &listed);
    std::optional<PracticePin> pin(const QString &practiceId) const;
    /// The practice's listed identity is not trusted and waits for the person.
    bool isChanged(const QString &practiceId) const;
    /// The conversation was joined through a Practice Link carrying this fingerprint (20 bytes): its practice's identity
    /// must be exactly that one, and is pinned as verified when it is.
    void expect(const QString &conversationId, const QByteArray &fingerprint);
    /// The person checked the changed identity and trusts it: it becomes the pin (verified when they compared its
    /// fingerprint). False when nothing waits, or what waits has no key (the server listed none).
    bool accept(const QString &practiceId, bool verified);
    /// A fingerprint (20 bytes) the person scanned or typed while signed in, compared with every pinned and changed
    /// identity (only practiceId's when it is given). A pinned one it matches is marked verified.
    Matched checkFingerprint(const QByteArray &fingerprint, const QString &practiceId = {});
    /// Forgets what waits in memory (the session ended); pins stay in the store.
    void clear() { m_expected.clear(); }

signals:
    /// A practice's pin changed: pinned, verified, changed or accepted.
    void changed(const QString &practiceId);
    /// A line written into one of the practice's threads (a change, an acceptance).
    void noticeAdded(const larch::ThreadNotice &notice);

private:
    /// Saves pin, and a notice in each of the practice's threads when noticeKey is given.
    void save(const PracticePin &pin, const QString &noticeKey = {}, const QString &noticeText = {});
    static IdentityTrust trusted(const PracticePin &pin);
    static QString nameOf(const PracticePin &pin);

    LocalStore *m_store;
    QHash<QString, QByteArray> m_expected; ///< conversation id → fingerprint of the Practice Link it was joined by
};

} // namespace larch
