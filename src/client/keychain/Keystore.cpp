// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/keychain/Keystore.h"

#include "client/keychain/SecretServiceProbe.h"
#include "core/threads/PostTo.h"

#include <qt6keychain/keychain.h>

namespace larch {

KeystoreRead KeystoreRead::found(const QByteArray &secret) { return {Outcome::Found, secret, {}}; }

KeystoreRead KeystoreRead::notFound() { return {Outcome::NotFound, {}, {}}; }

KeystoreRead KeystoreRead::unavailable(const QString &reason) { return {Outcome::Unavailable, {}, reason}; }

KeystoreWrite KeystoreWrite::succeeded() { return {true, {}}; }

KeystoreWrite KeystoreWrite::unavailable(const QString &reason) { return {false, reason}; }

namespace {

QString otherFailureSentence(const QString &detail)
{
    QString shown = detail.trimmed();
    while (shown.endsWith(QLatin1Char('.')))
        shown.chop(1);
    if (shown.isEmpty())
        shown = QStringLiteral("no details given");
    return QStringLiteral("Larch could not use your system keychain (%1). Make sure GNOME Keyring "
                          "or KWallet is running and unlocked, then try again.")
        .arg(shown);
}

QString notKeptSentence()
{
    return QStringLiteral("Your system keychain did not keep the keys Larch stored in it. Make "
                          "sure it is running and unlocked, then sign in again.");
}

QString stillThereSentence()
{
    return QStringLiteral("Larch could not remove its keys from your system keychain. Unlock it "
                          "and try again.");
}

QString notMadeSentence()
{
    return QStringLiteral("Larch could not make keys for this device. Sign in again to retry.");
}

// Turns a QtKeychain failure into the sentence the user needs. Only a locked keychain and a
// missing keychain service get their own advice; everything else keeps the system's words.
void explainFailure(const QString &account, QKeychain::Error error, const QString &detail, QObject *context,
                    std::function<void(const QString &)> explain)
{
    switch (error) {
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser: postTo(context, [explain] { explain(Keystore::lockedSentence()); }); return;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented: postTo(context, [explain] { explain(Keystore::noKeychainSentence()); }); return;
    default: break;
    }
    // QtKeychain words a missing session bus or Secret Service as a generic error.
    SecretServiceProbe::inspect(Keystore::serviceName(), account, context,
                                [explain, detail](SecretServiceProbe::Finding finding, const QString &) {
                                    switch (finding) {
                                    case SecretServiceProbe::Finding::NoService:
                                        explain(Keystore::noKeychainSentence());
                                        break;
                                    case SecretServiceProbe::Finding::Locked:
                                        explain(Keystore::lockedSentence());
                                        break;
                                    case SecretServiceProbe::Finding::Open:
                                    case SecretServiceProbe::Finding::Failed:
                                        explain(otherFailureSentence(detail));
                                        break;
                                    }
                                });
}

} // namespace

Keystore::Keystore(QObject *parent) : QObject(parent) { }

Keystore::~Keystore() = default;

QString Keystore::serviceName() { return QStringLiteral("Larch"); }

QString Keystore::noKeychainSentence()
{
    return QStringLiteral("Larch keeps its keys in your system keychain, and no keychain service "
                          "is running. Install and start GNOME Keyring or KWallet, then sign in "
                          "again.");
}

QString Keystore::lockedSentence()
{
    return QStringLiteral("Your system keychain is locked. Unlock it and try again.");
}

void Keystore::read(const QString &account, ReadDone done)
{
    enqueue(account, [this, account, done](std::function<void()> finished) {
        startRead(account, [done, finished](const KeystoreRead &result) {
            finished();
            done(result);
        });
    });
}

void Keystore::write(const QString &account, const QByteArray &secret, WriteDone done)
{
    enqueue(account, [this, account, secret, done](std::function<void()> finished) {
        startWrite(account, secret, [done, finished](const KeystoreWrite &result) {
            finished();
            done(result);
        });
    });
}

void Keystore::remove(const QString &account, WriteDone done)
{
    enqueue(account, [this, account, done](std::function<void()> finished) {
        startRemove(account, [done, finished](const KeystoreWrite &result) {
            finished();
            done(result);
        });
    });
}

void Keystore::loadOrCreate(const QString &account, Create create, ReadDone done)
{
    enqueue(account, [this, account, create, done](std::function<void()> finished) {
        startLoadOrCreate(account, create, [done, finished](const KeystoreRead &result) {
            finished();
            done(result);
        });
    });
}

void Keystore::enqueue(const QString &account, Step step)
{
    std::deque<Step> &queue = m_queues[account];
    queue.push_back(std::move(step));
    if (queue.size() == 1)
        runNext(account);
}

void Keystore::runNext(const QString &account)
{
    auto it = m_queues.find(account);
    if (it == m_queues.end() || it->empty())
        return;
    // The running step stays at the front so later calls for the account wait behind it.
    const Step step = it->front();
    step([this, account] {
        auto queue = m_queues.find(account);
        if (queue == m_queues.end())
            return;
        queue->pop_front();
        if (queue->empty())
            m_queues.erase(queue);
        else
            runNext(account);
    });
}

void Keystore::startRead(const QString &account, ReadDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName());
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this, [this, account, done](QKeychain::Job *finished) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (read->error() == QKeychain::NoError) {
            done(KeystoreRead::found(read->binaryData()));
            return;
        }
        if (read->error() != QKeychain::EntryNotFound) {
            explainFailure(account, read->error(), read->errorString(), this,
                           [done](const QString &reason) { done(KeystoreRead::unavailable(reason)); });
            return;
        }
        // libsecret answers "not found" for an entry in a locked keychain; only the Secret
        // Service itself can say whether the entry is truly absent.
        SecretServiceProbe::inspect(serviceName(), account, this,
                                    [done](SecretServiceProbe::Finding finding, const QString &detail) {
                                        switch (finding) {
                                        case SecretServiceProbe::Finding::NoService:
                                        case SecretServiceProbe::Finding::Open: done(KeystoreRead::notFound()); break;
                                        case SecretServiceProbe::Finding::Locked:
                                            done(KeystoreRead::unavailable(lockedSentence()));
                                            break;
                                        case SecretServiceProbe::Finding::Failed:
                                            done(KeystoreRead::unavailable(otherFailureSentence(detail)));
                                            break;
                                        }
                                    });
    });
    job->start();
}

void Keystore::startWrite(const QString &account, const QByteArray &secret, WriteDone done)
{
    auto *job = new QKeychain::WritePasswordJob(serviceName());
    job->setKey(account);
    job->setBinaryData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, account, done](QKeychain::Job *finished) {
        if (finished->error() == QKeychain::NoError) {
            done(KeystoreWrite::succeeded());
            return;
        }
        explainFailure(account, finished->error(), finished->errorString(), this,
                       [done](const QString &reason) { done(KeystoreWrite::unavailable(reason)); });
    });
    job->start();
}

void Keystore::startRemove(const QString &account, WriteDone done)
{
    auto *job = new QKeychain::DeletePasswordJob(serviceName());
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this, [this, account, done](QKeychain::Job *finished) {
        const QKeychain::Error error = finished->error();
        if (error != QKeychain::NoError && error != QKeychain::EntryNotFound) {
            explainFailure(account, error, finished->errorString(), this,
                           [done](const QString &reason) { done(KeystoreWrite::unavailable(reason)); });
            return;
        }
        // libsecret reports success when it skipped a locked entry, so sign-out only counts as
        // done once a read finds nothing.
        startRead(account, [done](const KeystoreRead &after) {
            switch (after.outcome) {
            case KeystoreRead::Outcome::NotFound: done(KeystoreWrite::succeeded()); break;
            case KeystoreRead::Outcome::Found: done(KeystoreWrite::unavailable(stillThereSentence())); break;
            case KeystoreRead::Outcome::Unavailable: done(KeystoreWrite::unavailable(after.reason)); break;
            }
        });
    });
    job->start();
}

void Keystore::startLoadOrCreate(const QString &account, Create create, ReadDone done)
{
    startRead(account, [this, account, create, done](const KeystoreRead &existing) {
        if (!existing.isNotFound()) {
            done(existing);
            return;
        }
        const QByteArray made = create ? create() : QByteArray();
        if (made.isEmpty()) {
            done(KeystoreRead::unavailable(notMadeSentence()));
            return;
        }
        startWrite(account, made, [this, account, done](const KeystoreWrite &written) {
            if (!written.done) {
                done(KeystoreRead::unavailable(written.reason));
                return;
            }
            // Hand back what the keychain holds, not what was made, so Larch only ever uses
            // keys it can find again at the next start.
            startRead(account, [done](const KeystoreRead &stored) {
                if (stored.isNotFound())
                    done(KeystoreRead::unavailable(notKeptSentence()));
                else
                    done(stored);
            });
        });
    });
}

} // namespace larch
