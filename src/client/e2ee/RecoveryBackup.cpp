// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/e2ee/RecoveryBackup.h"

#include "client/e2ee/KeyRing.h"
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "core/crypto/RecoveryKey.h"
#include "core/protocol/KeyListings.h"

namespace larch {

namespace {
/// Keys per appended entry: about 50 KiB sealed, well inside the route's 128 KiB entry limit.
constexpr int KeysPerEntry = 400;
/// Coalesces the bursts of keysAdded during a sync into one append.
constexpr int AppendDelayMs = 300;
constexpr int RetryDelayMs = 30000;
} // namespace

RecoveryBackup::RecoveryBackup(ApiClient *api, KeyRing *keys, LocalStore *store, QObject *parent)
    : QObject(parent), m_api(api), m_keys(keys), m_store(store)
{
    m_appendTimer.setSingleShot(true);
    connect(&m_appendTimer, &QTimer::timeout, this, &RecoveryBackup::appendPending);
    connect(m_keys, &KeyRing::keysAdded, this, [this] { scheduleAppend(AppendDelayMs); });
}

QString RecoveryBackup::wrongKeySentence()
{
    return QStringLiteral("That recovery key is not right. Check each group of four characters.");
}

QString RecoveryBackup::settingKey(const char *what) const
{
    return QStringLiteral("recovery.%1.%2").arg(QLatin1String(what), m_userId);
}

void RecoveryBackup::start(const QString &userId, std::function<void(bool exists)> exists)
{
    stop();
    m_userId = userId;
    m_entryPublic = QByteArray::fromBase64(m_store->setting(settingKey("entryKey")).toLatin1());
    const QString backedUp = m_store->setting(settingKey("backedUp"));
    m_backedUp.clear();
    if (!backedUp.isEmpty())
        for (const QString &name : backedUp.split(QLatin1Char(',')))
            m_backedUp.insert(name);
    const quint64 generation = m_generation;
    m_api->fetchKeyBackup(this, [this, generation, exists](const ApiResult &result) {
        if (generation != m_generation)
            return;
        const StoredKeyBackup stored = StoredKeyBackup::fromJson(result.body);
        const bool found = result.ok() && stored.exists;
        if (result.error.kind == ApiError::Kind::NotFound
            || (found && stored.entryKeyId != RecoveryKey::entryKeyId(m_entryPublic)))
            forgetEntryKey(); // no backup any more, or a newer recovery key made elsewhere replaced it
        if (found)
            scheduleAppend(0);
        exists(found);
    });
}

void RecoveryBackup::stop()
{
    ++m_generation;
    m_appendTimer.stop();
    m_appending = false;
    m_userId.clear();
    m_entryPublic.clear();
    m_backedUp.clear();
}

int RecoveryBackup::pendingKeys() const
{
    int pending = 0;
    for (const QString &name : m_keys->keyNames())
        pending += m_backedUp.contains(name) ? 0 : 1;
    return pending;
}

QString RecoveryBackup::create(Done done)
{
    if (!m_keys->isRunning() || m_userId.isEmpty()) {
        done(false, QStringLiteral("Sign in before making a recovery key."));
        return {};
    }
    const RecoveryKey recovery = RecoveryKey::generate();
    const QStringList names = m_keys->keyNames();
    QByteArray payload = m_keys->exportBackup(names);
    const QByteArray backup = recovery.encryptBackup(payload);
    SecretBytes::wipe(payload);
    if (backup.isEmpty()) {
        done(false, QStringLiteral("The recovery key could not be made. Try again."));
        return {};
    }
    const QByteArray entryPublic = recovery.entryPublicKey();
    const quint64 generation = m_generation;
    m_api->putKeyBackup(backup, RecoveryKey::entryKeyId(entryPublic), this,
                        [this, generation, done, entryPublic, names](const ApiResult &result) {
                            if (generation != m_generation)
                                return;
                            if (!result.ok()) {
                                done(false,
                                     QStringLiteral("The recovery key could not be saved: %1 Make a new one when the "
                                                    "connection is back.")
                                         .arg(result.error.sentence));
                                return;
                            }
                            adopt(entryPublic, names);
                            done(true, {});
                        });
    return recovery.display();
}

void RecoveryBackup::restore(const QString &typed, Done done)
{
    const auto recovery = RecoveryKey::parse(typed);
    if (!recovery) {
        done(false, wrongKeySentence());
        return;
    }
    const quint64 generation = m_generation;
    m_api->fetchKeyBackup(this, [this, generation, recovery = *recovery, done](const ApiResult &result) {
        if (generation != m_generation)
            return;
        if (result.error.kind == ApiError::Kind::NotFound) {
            done(false,
                 QStringLiteral("This account has no key backup. Make a recovery key on a device that "
                                "can read your conversations first."));
            return;
        }
        if (!result.ok()) {
            done(false, result.error.sentence);
            return;
        }
        const StoredKeyBackup stored = StoredKeyBackup::fromJson(result.body);
        auto payload = recovery.decryptBackup(stored.backup);
        if (!payload) {
            done(false,
                 QStringLiteral("That recovery key does not open this account's key backup. Check each group "
                                "of four characters, or use the newest recovery key you made."));
            return;
        }
        const QStringList before = m_keys->keyNames();
        const int added = m_keys->importBackup(*payload);
        SecretBytes::wipe(*payload);
        if (added < 0) {
            done(false, QStringLiteral("The key backup on the server is damaged, so nothing was restored."));
            return;
        }
        // Entries hold the keys learnt after the backup was made; one that does not open is left out.
        for (const QByteArray &entry : stored.entries) {
            auto opened = recovery.openEntry(entry);
            if (!opened)
                continue;
            m_keys->importBackup(*opened);
            SecretBytes::wipe(*opened);
        }
        // What this device held before may be missing from the backup: it stays pending and is appended.
        QStringList restored = m_keys->keyNames();
        for (const QString &name : before)
            restored.removeOne(name);
        adopt(recovery.entryPublicKey(), restored);
        done(true, {});
    });
}

void RecoveryBackup::adopt(const QByteArray &entryPublic, const QStringList &backedUp)
{
    m_entryPublic = entryPublic;
    m_store->setSetting(settingKey("entryKey"), QString::fromLatin1(entryPublic.toBase64()));
    m_backedUp = QSet<QString>(backedUp.cbegin(), backedUp.cend());
    saveBackedUp();
    scheduleAppend(0);
}

void RecoveryBackup::forgetEntryKey()
{
    m_entryPublic.clear();
    m_backedUp.clear();
    m_store->setSetting(settingKey("entryKey"), QString());
    m_store->setSetting(settingKey("backedUp"), QString());
}

void RecoveryBackup::saveBackedUp()
{
    m_store->setSetting(settingKey("backedUp"),
                        QStringList(m_backedUp.cbegin(), m_backedUp.cend()).join(QLatin1Char(',')));
}

void RecoveryBackup::scheduleAppend(int delayMs)
{
    if (isAppending() && !m_appending && (!m_appendTimer.isActive() || m_appendTimer.remainingTime() > delayMs))
        m_appendTimer.start(delayMs);
}

void RecoveryBackup::appendPending()
{
    if (!isAppending() || m_appending || !m_keys->isRunning())
        return;
    QStringList batch;
    for (const QString &name : m_keys->keyNames()) {
        if (!m_backedUp.contains(name))
            batch.append(name);
        if (batch.size() == KeysPerEntry)
            break;
    }
    if (batch.isEmpty())
        return;
    QByteArray payload = m_keys->exportBackup(batch);
    const QByteArray entry = RecoveryKey::sealEntry(payload, m_entryPublic);
    SecretBytes::wipe(payload);
    m_appending = true;
    const quint64 generation = m_generation;
    m_api->appendKeyBackupEntry(
        RecoveryKey::entryKeyId(m_entryPublic), entry, this, [this, generation, batch](const ApiResult &result) {
            if (generation != m_generation)
                return;
            m_appending = false;
            if (result.ok()) {
                for (const QString &name : batch)
                    m_backedUp.insert(name);
                saveBackedUp();
                emit entryAppended(int(batch.size()));
                scheduleAppend(0);
            } else if (result.error.kind == ApiError::Kind::NotFound
                       || result.error.code == QLatin1String("backup_replaced")
                       || result.error.code == QLatin1String("backup_full")) {
                forgetEntryKey(); // the recovery key this device knew is no longer the account's, or needs renewing
            } else {
                scheduleAppend(RetryDelayMs); // offline or full: a later key or the retry tries again
            }
        });
}

} // namespace larch
