// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/app/AccountSession.h"

#include "client/e2ee/DeviceIdentity.h"
#include "client/e2ee/SecureSync.h"
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "client/sync/SyncEngine.h"

#include <QScopeGuard>
#include <QUrl>

namespace larch {

namespace {
const QString ServerUrlKey = QStringLiteral("serverUrl");
const QString AccountKey = QStringLiteral("accountUserId");
const QString AccountServerKey = QStringLiteral("accountServerUrl");
const QString DeviceStateKey = QStringLiteral("deviceState");
} // namespace

AccountSession::AccountSession(LocalStore *store, ApiClient *api, SyncEngine *sync, DeviceIdentity *identity,
                               QObject *parent)
    : QObject(parent), m_store(store), m_api(api), m_sync(sync), m_identity(identity)
{
    const QString fromEnv = qEnvironmentVariable("LARCH_SERVER_URL");
    m_serverUrl = !fromEnv.isEmpty() ? fromEnv
        : m_store->isOpen()          ? m_store->setting(ServerUrlKey, QLatin1String(DefaultServerUrl))
                                     : QString::fromLatin1(DefaultServerUrl);
    m_api->setServerUrl(QUrl(m_serverUrl));
    if (!m_store->isOpen())
        m_signInError = m_store->errorString();

    connect(m_sync, &SyncEngine::onlineChanged, this, [this](bool online) {
        if (online && !m_deviceRegistered)
            registerDevice();
        // The server closes the sockets of staff a new two-factor requirement applies to: ask whether it is that.
        if (!online)
            checkEnrolment();
        updateOfflineText();
    });
    connect(m_sync, &SyncEngine::retryCountdownChanged, this, &AccountSession::updateOfflineText);
    connect(m_sync, &SyncEngine::sessionEnded, this, &AccountSession::endSession);
    // The practice turned the requirement on while this session was open: enrol before going on.
    connect(m_api, &ApiClient::twoFactorEnrolmentRequired, this, [this] {
        if (m_signedIn)
            setEnrolmentRequired(true);
    });
}

bool AccountSession::online() const { return m_signedIn && m_sync->isOnline(); }

AccountRole::Value AccountSession::userRole() const
{
    return m_session ? AccountRole::fromName(m_session->user.role) : AccountRole::None;
}

void AccountSession::setServerUrl(const QString &url)
{
    const QString trimmed = url.trimmed();
    if (trimmed == m_serverUrl)
        return;
    m_serverUrl = trimmed;
    if (m_store->isOpen())
        m_store->setSetting(ServerUrlKey, trimmed);
    // A signed-in session stays with the server it was made on until sign-out.
    if (!m_signedIn)
        m_api->setServerUrl(QUrl(trimmed));
    emit serverUrlChanged();
}

void AccountSession::resume()
{
    if (!m_store->isOpen())
        return;
    const QString userId = m_store->setting(AccountKey);
    const QUrl server(m_store->setting(AccountServerKey));
    if (!m_store->account().hasStoredSession() || userId.isEmpty() || !server.isValid())
        return;
    // The cached session is encrypted under the storage key, which only the keychain holds: read it first.
    // Signed in, offline too, as soon as the keychain answers; the list shows from the cache before any network.
    setBusy(true);
    m_resuming = true;
    m_identity->load(server, userId, [this, server](bool ok, const QString &sentence) {
        setBusy(false);
        auto finished = qScopeGuard([this] {
            m_resuming = false;
            emit resumed();
        });
        if (!ok) {
            if (sentence.isEmpty()) {
                // The keys are gone from the keychain: what they encrypted can never be read again.
                m_store->clearAccountData();
            } else {
                setSignInError(sentence);
            }
            return;
        }
        if (!m_store->setStorageKey(m_identity->keys().storageKey))
            return; // written under other keys: dropped, sign in again
        emit storageOpened();
        const auto session = m_store->account().session();
        if (!session) {
            m_store->account().clearSession();
            return;
        }
        // The session belongs to the server it was made on.
        m_api->setServerUrl(server);
        if (m_serverUrl != server.toString()) {
            m_serverUrl = server.toString();
            emit serverUrlChanged();
        }
        m_identity->setState(m_store->setting(DeviceStateKey) == QLatin1String("pending")
                                 ? DeviceIdentity::State::Pending
                                 : DeviceIdentity::State::Active);
        m_deviceRegistered = false;
        startSession(*session);
        registerDevice();
    });
}

void AccountSession::signIn(const QString &email, const QString &password)
{
    if (m_busy)
        return;
    if (!m_store->isOpen()) {
        setSignInError(m_store->errorString());
        return;
    }
    if (email.trimmed().isEmpty()) {
        setSignInError(QStringLiteral("Enter your email address."));
        return;
    }
    if (password.isEmpty()) {
        setSignInError(QStringLiteral("Enter your password."));
        return;
    }
    const ApiError urlError = m_api->setServerUrl(QUrl(m_serverUrl));
    if (!urlError.isNone()) {
        setSignInError(urlError.sentence);
        return;
    }
    setSignInError(QString());
    setBusy(true);
    m_api->signIn(email.trimmed(), password, DeviceIdentity::defaultDeviceName(), this,
                  [this, password](const ApiResult &result) {
                      if (!result.ok()) {
                          setBusy(false);
                          setSignInError(result.error.sentence);
                          return;
                      }
                      m_pendingPassword = password; // for the lock, once the session has started
                      const QJsonObject twoFactor = result.body.value(QLatin1String("twoFactor")).toObject();
                      if (!twoFactor.isEmpty()) {
                          setBusy(false);
                          setChallenge(twoFactor.value(QLatin1String("challenge")).toString());
                          return;
                      }
                      adoptSession(result.body);
                  });
}

void AccountSession::submitCode(const QString &code)
{
    if (m_busy || m_challenge.isEmpty())
        return;
    if (code.trimmed().isEmpty()) {
        setSignInError(QStringLiteral("Enter the 6-digit code your authenticator app shows, or a recovery code."));
        return;
    }
    setSignInError(QString());
    setBusy(true);
    m_api->answerTwoFactor(m_challenge, code.trimmed(), this, [this](const ApiResult &result) {
        if (!result.ok()) {
            setBusy(false);
            setSignInError(result.error.sentence);
            // An expired challenge cannot take another code: back to the password.
            if (result.error.code == QLatin1String("challenge_expired"))
                cancelCode();
            return;
        }
        setChallenge(QString());
        adoptSession(result.body);
    });
}

void AccountSession::cancelCode()
{
    m_pendingPassword.clear();
    setChallenge(QString());
}

void AccountSession::setChallenge(const QString &challenge)
{
    if (m_challenge == challenge)
        return;
    m_challenge = challenge;
    emit codeNeededChanged();
}

void AccountSession::setEnrolmentRequired(bool required)
{
    if (m_enrolmentRequired == required)
        return;
    m_enrolmentRequired = required;
    emit enrolmentRequiredChanged();
}

void AccountSession::checkEnrolment()
{
    if (!m_signedIn || !isStaff() || m_enrolmentRequired)
        return;
    m_api->fetchMe(this, [this](const ApiResult &result) {
        if (result.ok() && m_signedIn && result.body.value(QLatin1String("twoFactorEnrolmentRequired")).toBool())
            setEnrolmentRequired(true);
    });
}

void AccountSession::enrolmentFinished()
{
    if (!m_enrolmentRequired)
        return;
    setEnrolmentRequired(false);
    if (auto session = std::exchange(m_enrolling, std::nullopt)) {
        session->twoFactorEnrolmentRequired = false;
        adoptSession(session->toJson());
        return;
    }
    m_sync->retryNow(); // what was refused while enrolment was required goes again
}

void AccountSession::adoptSession(const QJsonObject &body)
{
    setBusy(true);
    setSignInError(QString());
    const auto session = Session::fromJson(body);
    if (!session) {
        setBusy(false);
        setSignInError(ErrorText::badResponse());
        return;
    }
    if (session->twoFactorEnrolmentRequired) {
        // Nothing but enrolment is allowed yet: no keys, no device, until the authenticator is set up.
        setBusy(false);
        m_api->setToken(session->token);
        m_enrolling = *session;
        setEnrolmentRequired(true);
        return;
    }
    // The keychain comes before anything else is sent: locked or missing, nothing is registered or made.
    m_identity->loadOrCreate(m_api->serverUrl(), session->user.id,
                             [this, session = *session](bool ok, const QString &sentence) {
                                 if (!ok) {
                                     setBusy(false);
                                     setSignInError(sentence.isEmpty() ? Keystore::noKeychainSentence() : sentence);
                                     return;
                                 }
                                 finishSignIn(session);
                             });
}

void AccountSession::finishSignIn(const Session &session)
{
    // Another account, or another server: nothing of the previous one may show.
    if (m_store->setting(AccountKey) != session.user.id
        || m_store->setting(AccountServerKey) != m_api->serverUrl().toString()) {
        m_store->clearAccountData();
        emit accountDataCleared();
    }
    if (m_store->setStorageKey(m_identity->keys().storageKey))
        emit storageOpened();
    m_api->setToken(session.token);
    m_identity->registerDevice([this, session](bool ok, const QString &sentence) {
        setBusy(false);
        if (!ok) {
            m_api->setToken(QString());
            m_identity->forget();
            m_store->forgetStorageKey();
            setSignInError(sentence);
            return;
        }
        m_deviceRegistered = true;
        m_store->account().saveSession(session);
        m_store->setSetting(AccountKey, session.user.id);
        m_store->setSetting(AccountServerKey, m_api->serverUrl().toString());
        rememberDeviceState();
        startSession(session);
    });
}

void AccountSession::rememberDeviceState() { m_store->setSetting(DeviceStateKey, m_identity->stateText()); }

void AccountSession::registerDevice()
{
    if (!m_signedIn || !m_identity->hasKeys())
        return;
    m_identity->registerDevice([this](bool ok, const QString &sentence) {
        if (!m_signedIn)
            return;
        if (ok) {
            m_deviceRegistered = true;
            rememberDeviceState();
            m_sync->secure()->setDeviceActive(m_identity->state() == DeviceIdentity::State::Active);
            return;
        }
        if (!m_identity->hasKeys())
            dropAccount(sentence); // the server removed this device: its keys are gone for good
    });
}

void AccountSession::startSession(const Session &session)
{
    m_session = session;
    m_api->setToken(session.token);
    emit starting(session);
    emit userChanged();
    setSignedIn(true);
    if (!m_pendingPassword.isEmpty())
        emit passwordAccepted(std::exchange(m_pendingPassword, QString()));
    m_sync->start(session, m_identity->keys(), m_identity->state() == DeviceIdentity::State::Active);
    updateOfflineText();
    emit started();
    checkEnrolment(); // a cached session of a practice that has required two-factor sign-in since
}

void AccountSession::signOut()
{
    if (m_enrolling) { // a sign-in that stopped at enrolment: its session ends on the server too
        m_api->signOut(this, [](const ApiResult &) {});
        m_api->setToken(QString());
        m_enrolling.reset();
        setEnrolmentRequired(false);
        return;
    }
    if (!m_signedIn)
        return;
    if (m_api->hasToken())
        m_api->signOut(this, [](const ApiResult &) {});
    dropAccount(QString());
}

void AccountSession::retryNow() { m_sync->retryNow(); }

void AccountSession::dropAccount(const QString &sentence)
{
    emit leaving();
    m_sync->stop();
    m_api->setToken(QString());
    m_enrolling.reset();
    setEnrolmentRequired(false);
    // Patient data does not stay on a device after its user signs out; the keys stay in the keychain.
    m_store->clearAccountData();
    m_store->setSetting(AccountKey, QString());
    m_store->forgetStorageKey();
    m_identity->forget();
    m_session.reset();
    emit accountDataCleared();
    emit ended();
    setSignInError(sentence);
    emit userChanged();
    setSignedIn(false);
    updateOfflineText();
}

void AccountSession::endSession(const QString &sentence)
{
    emit leaving();
    m_session.reset();
    m_identity->forget();
    m_store->forgetStorageKey();
    emit ended();
    setSignInError(sentence);
    emit userChanged();
    setSignedIn(false);
    updateOfflineText();
}

void AccountSession::setSignedIn(bool signedIn)
{
    if (m_signedIn == signedIn)
        return;
    m_signedIn = signedIn;
    emit signedInChanged();
}

void AccountSession::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

void AccountSession::setSignInError(const QString &error)
{
    if (m_signInError == error)
        return;
    m_signInError = error;
    emit signInErrorChanged();
}

void AccountSession::updateOfflineText()
{
    const bool isOnline = online();
    QString text;
    if (m_signedIn && !isOnline) {
        const int seconds = m_sync->secondsUntilRetry();
        const QString kept = QStringLiteral("Messages you write are kept and sent when the connection is back.");
        text = seconds > 0 ? QStringLiteral("Offline — reconnecting in %1 s. %2").arg(seconds).arg(kept)
                           : QStringLiteral("Connecting… %1").arg(kept);
    }
    if (isOnline != m_lastOnline) {
        m_lastOnline = isOnline;
        emit onlineChanged();
    }
    if (text != m_offlineText) {
        m_offlineText = text;
        emit offlineTextChanged();
    }
}

} // namespace larch
