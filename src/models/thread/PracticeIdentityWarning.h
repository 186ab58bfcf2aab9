// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The open thread's practice identity for a patient (App.practiceIdentity): the warning when it changed, and checking
// and accepting the new one.
#pragma once

#include <functional>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace larch {

class LocalStore;
class SecureSync;
struct PracticePin;

/// Follows the practice identity pinned for the open conversation's practice (docs/security.md, "Practice identity
/// pinning") on a patient's device. When the identity the server lists changed without the pinned one's signature,
/// the thread shows a warning, the compose bar waits, and the person can compare the new identity's fingerprint with
/// the practice's (its poster, or in person) and accept it. Staff never see it: they hold the identity.
class PracticeIdentityWarning : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The open thread's practice identity is App.practiceIdentity.")
    /// The warning is on show: the open conversation's practice identity changed and waits for the person.
    Q_PROPERTY(bool shown READ shown NOTIFY changed)
    /// The practice's name as its server gave it, e.g. "Birch Family Medicine"; "Your practice" when unknown.
    Q_PROPERTY(QString practiceName READ practiceName NOTIFY changed)
    /// The changed identity's fingerprint in 8 groups of 4 ("K7QM 2XD9 …"); "" when the server listed none.
    Q_PROPERTY(QString newFingerprint READ newFingerprint NOTIFY changed)
    /// The fingerprint of the identity trusted until now; "" when none was (a Practice Link's code did not match).
    Q_PROPERTY(QString pinnedFingerprint READ pinnedFingerprint NOTIFY changed)
    /// The identity was refused because the Practice Link the patient joined with carried another fingerprint.
    Q_PROPERTY(bool linkMismatch READ linkMismatch NOTIFY changed)
    /// The changed identity can be accepted (the server listed one).
    Q_PROPERTY(bool canAccept READ canAccept NOTIFY changed)
    /// The open conversation's trusted identity was compared with the practice's code (a scanned Practice Link, or
    /// typed); false while it is only trusted on first use.
    Q_PROPERTY(bool verified READ verified NOTIFY changed)
    /// A sentence on why a typed code was not accepted; "" when none.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
public:
    /// isPatient answers whether the signed-in person is a patient at the time of the call.
    PracticeIdentityWarning(LocalStore *store, SecureSync *secure, std::function<bool()> isPatient,
                            QObject *parent = nullptr);

    bool shown() const { return m_shown; }
    QString practiceName() const { return m_practiceName; }
    QString newFingerprint() const { return m_newFingerprint; }
    QString pinnedFingerprint() const { return m_pinnedFingerprint; }
    bool linkMismatch() const { return m_linkMismatch; }
    bool canAccept() const { return m_canAccept; }
    bool verified() const { return m_verified; }
    QString error() const { return m_error; }
    QString conversationId() const { return m_conversationId; }

    /// The code the person read from the practice (typed, spaces and case as they come): when it is the changed
    /// identity's fingerprint, the identity is accepted as verified; else error says so. True when accepted.
    Q_INVOKABLE bool checkCode(const QString &typed);
    /// Accepts the changed identity without comparing codes (the person chose to); messages go again.
    Q_INVOKABLE bool accept();
    Q_INVOKABLE void clearError() { setError({}); }

    /// The open conversation changed (""): looks at its practice's identity afresh, asking the server for a patient.
    void setConversation(const QString &conversationId);
    /// Reads the pin again (a practice's pin changed).
    void refresh();
    /// The patient joined conversationId through a Practice Link carrying fingerprint (20 bytes; empty: none): kept
    /// until the session starts (applyExpectation), when the practice's identity is pinned only if it has it.
    void expectAfterSignIn(const QString &conversationId, const QByteArray &fingerprint);
    /// Hands a kept expectation to the session that started.
    void applyExpectation();
    /// A Practice Link carrying a fingerprint (20 bytes) was opened while a patient is signed in: the sentence to show
    /// (it matched the pinned identity and marks it verified, it matched a changed one and accepts it, or it matched
    /// nothing).
    QString checkScannedFingerprint(const QByteArray &fingerprint);

signals:
    void changed();
    void errorChanged();

private:
    void setError(const QString &error);

    LocalStore *m_store;
    SecureSync *m_secure;
    std::function<bool()> m_isPatient;
    QString m_conversationId;
    QString m_practiceId;
    QString m_expectedConversation;
    QByteArray m_expectedFingerprint;
    bool m_shown = false;
    QString m_practiceName;
    QString m_newFingerprint;
    QString m_pinnedFingerprint;
    bool m_linkMismatch = false;
    bool m_canAccept = false;
    bool m_verified = false;
    QString m_error;
};

} // namespace larch
