// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

#include <deque>
#include <functional>

namespace larch {

// What reading one secret from the system keychain told us; Larch acts on each outcome differently.
struct KeystoreRead {
    enum class Outcome {
        Found, // the secret is in `secret`
        NotFound, // the keychain is open and holds no entry for the account
        Unavailable // no keychain, a locked one, or an error: `reason` says what to do
    };
    Outcome outcome = Outcome::Unavailable;
    QByteArray secret;
    QString reason;

    static KeystoreRead found(const QByteArray &secret);
    static KeystoreRead notFound();
    static KeystoreRead unavailable(const QString &reason);
    bool isFound() const { return outcome == Outcome::Found; }
    bool isNotFound() const { return outcome == Outcome::NotFound; }
    bool isUnavailable() const { return outcome == Outcome::Unavailable; }
};

// What writing or removing one secret did; a change is never reported as done unless it was.
struct KeystoreWrite {
    bool done = false;
    QString reason; // one sentence for the user when not done

    static KeystoreWrite succeeded();
    static KeystoreWrite unavailable(const QString &reason);
};

// Keeps one opaque binary secret per account in the OS keychain (service "Larch"), with no
// plaintext fallback, and tells "not found" apart from "locked" so keys are never made twice.
//
// Accounts are keys such as "device/<server-host>/<user-id>". Every call finishes through its
// callback from the event loop, never synchronously. Calls for one account run one after another,
// so two loadOrCreate calls in a row create at most once. Callbacks are dropped if the Keystore is
// destroyed first.
class Keystore : public QObject {
    Q_OBJECT
public:
    using ReadDone = std::function<void(const KeystoreRead &)>;
    using WriteDone = std::function<void(const KeystoreWrite &)>;
    using Create = std::function<QByteArray()>;

    explicit Keystore(QObject *parent = nullptr);
    ~Keystore() override;

    // The keychain service name every entry is filed under.
    static QString serviceName();
    // The sentences the user sees when the keychain cannot be used.
    static QString noKeychainSentence();
    static QString lockedSentence();

    void read(const QString &account, ReadDone done);
    void write(const QString &account, const QByteArray &secret, WriteDone done);
    // Removing an entry that does not exist succeeds: afterwards the account has no secret.
    void remove(const QString &account, WriteDone done);
    // Reads the account's secret; only when the keychain is open and holds none does it call
    // `create`, store the result and read it back. Found means the bytes now in the keychain.
    void loadOrCreate(const QString &account, Create create, ReadDone done);

private:
    using Step = std::function<void(std::function<void()> finished)>;
    void enqueue(const QString &account, Step step);
    void runNext(const QString &account);

    void startRead(const QString &account, ReadDone done);
    void startWrite(const QString &account, const QByteArray &secret, WriteDone done);
    void startRemove(const QString &account, WriteDone done);
    void startLoadOrCreate(const QString &account, Create create, ReadDone done);

    QHash<QString, std::deque<Step>> m_queues;
};

} // namespace larch
