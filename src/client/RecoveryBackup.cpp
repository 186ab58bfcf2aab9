#include "RecoveryBackup.h"

#include "ApiClient.h"
#include "KeyRing.h"
#include "RecoveryKey.h"

namespace larch {

RecoveryBackup::RecoveryBackup(ApiClient *api, KeyRing *keys, QObject *parent)
    : QObject(parent), m_api(api), m_keys(keys)
{
}

QString RecoveryBackup::wrongKeySentence()
{
    return QStringLiteral("That recovery key is not right. Check each group of four characters.");
}

void RecoveryBackup::checkExists(std::function<void(bool exists)> done)
{
    const quint64 generation = m_generation;
    m_api->fetchKeyBackup(this, [this, generation, done](const ApiResult &result) {
        if (generation == m_generation)
            done(result.ok() && !result.body.value(QLatin1String("backup")).toString().isEmpty());
    });
}

QString RecoveryBackup::create(Done done)
{
    if (!m_keys->isRunning()) {
        done(false, QStringLiteral("Sign in before making a recovery key."));
        return {};
    }
    const RecoveryKey recovery = RecoveryKey::generate();
    QByteArray payload = m_keys->exportBackup();
    const QByteArray backup = recovery.encryptBackup(payload);
    SecretBytes::wipe(payload);
    if (backup.isEmpty()) {
        done(false, QStringLiteral("The recovery key could not be made. Try again."));
        return {};
    }
    const quint64 generation = m_generation;
    m_api->putKeyBackup(backup, this, [this, generation, done](const ApiResult &result) {
        if (generation != m_generation)
            return;
        if (result.ok())
            done(true, {});
        else
            done(false, QStringLiteral("The recovery key could not be saved: %1 Make a new one when the "
                                       "connection is back.").arg(result.error.sentence));
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
            done(false, QStringLiteral("This account has no key backup. Make a recovery key on a device that "
                                       "can read your conversations first."));
            return;
        }
        if (!result.ok()) {
            done(false, result.error.sentence);
            return;
        }
        const QByteArray backup = QByteArray::fromBase64(result.body.value(QLatin1String("backup")).toString().toLatin1());
        auto payload = recovery.decryptBackup(backup);
        if (!payload) {
            done(false, QStringLiteral("That recovery key does not open this account's key backup. Check each group "
                                       "of four characters, or use the newest recovery key you made."));
            return;
        }
        const int added = m_keys->importBackup(*payload);
        SecretBytes::wipe(*payload);
        if (added < 0)
            done(false, QStringLiteral("The key backup on the server is damaged, so nothing was restored."));
        else
            done(true, {});
    });
}

} // namespace larch
