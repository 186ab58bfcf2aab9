// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Makes a recovery key and its server-side key backup, keeps the backup current, and restores keys from it.
#pragma once

#include <functional>
#include <QByteArray>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

namespace larch {

class ApiClient;
class KeyRing;
class LocalStore;

/// Creates a recovery key with its encrypted key backup on the server, keeps that backup current, and
/// restores keys from it. docs/security.md, "Recovery key": the keys that open history (conversation keys
/// and, for staff, practice key versions) are encrypted under a key derived from the recovery key and kept
/// on the server (PUT /v1/me/key-backup). Keys learnt afterwards are appended as entries sealed to the
/// recovery key's entry public key, which a device keeps after it made or used the recovery key
/// (POST /v1/me/key-backup/entries). The recovery key itself is shown once and never stored.
class RecoveryBackup : public QObject {
    Q_OBJECT
public:
    /// ok, or the sentence saying why not.
    using Done = std::function<void(bool ok, const QString &sentence)>;

    RecoveryBackup(ApiClient *api, KeyRing *keys, LocalStore *store, QObject *parent = nullptr);

    /// Starts for a signed-in user: asks the server whether a backup exists (exists reports it) and, when
    /// this device holds the backup's entry key, appends the keys learnt since.
    void start(const QString &userId, std::function<void(bool exists)> exists);
    /// Makes a recovery key, uploads the backup of every key held now, and returns the key's display text
    /// at once (done reports the upload). "" when there is no session.
    QString create(Done done);
    /// Parses what the person typed, downloads and decrypts the backup and its entries, and takes their keys.
    void restore(const QString &typed, Done done);
    void stop();

    /// This device appends new keys to the backup (it made or used the current recovery key).
    bool isAppending() const { return !m_entryPublic.isEmpty(); }
    /// Keys this device holds that the backup does not have yet.
    int pendingKeys() const;

    static QString wrongKeySentence();

signals:
    /// An entry holding this many keys was appended to the backup.
    void entryAppended(int keys);

private:
    void scheduleAppend(int delayMs);
    void appendPending();
    void adopt(const QByteArray &entryPublic, const QStringList &backedUp);
    void forgetEntryKey();
    void saveBackedUp();
    QString settingKey(const char *what) const;

    ApiClient *m_api;
    KeyRing *m_keys;
    LocalStore *m_store;
    QString m_userId;
    QByteArray m_entryPublic; ///< the current backup's entry public key; empty when this device does not append
    QSet<QString> m_backedUp; ///< KeyRing::keyNames() already in the backup
    bool m_appending = false;
    QTimer m_appendTimer;
    quint64 m_generation = 0;
};

} // namespace larch
