// Makes a recovery key and its server-side key backup, and restores keys from it on a new device.
#pragma once

#include <QObject>
#include <QString>
#include <functional>

namespace larch {

class ApiClient;
class KeyRing;

/// Creates a recovery key with its encrypted key backup on the server, and restores keys from it.
/// docs/security.md, "Recovery key": the keys that open history (conversation keys and, for staff, practice
/// key versions) are encrypted under a key derived from the recovery key and kept on the server
/// (PUT /v1/me/key-backup). The recovery key itself is shown once and never stored.
class RecoveryBackup : public QObject {
    Q_OBJECT
public:
    /// ok, or the sentence saying why not.
    using Done = std::function<void(bool ok, const QString &sentence)>;

    RecoveryBackup(ApiClient *api, KeyRing *keys, QObject *parent = nullptr);

    /// Asks the server whether this account has a backup.
    void checkExists(std::function<void(bool exists)> done);
    /// Makes a recovery key, uploads the backup of every key held now, and returns the key's display text
    /// at once (done reports the upload). "" when there is no session.
    QString create(Done done);
    /// Parses what the person typed, downloads and decrypts the backup, and takes its keys.
    void restore(const QString &typed, Done done);
    void stop() { ++m_generation; }

    static QString wrongKeySentence();

private:
    ApiClient *m_api;
    KeyRing *m_keys;
    quint64 m_generation = 0;
};

} // namespace larch
