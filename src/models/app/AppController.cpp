// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/app/AppController.h"

#include "client/e2ee/DeviceIdentity.h"
#include "client/e2ee/RecoveryBackup.h"
#include "client/e2ee/SecureSync.h"
#include "client/net/ApiClient.h"
#include "client/sync/SyncEngine.h"
#include "models/app/EnumNames.h"
#include "models/attachments/AttachmentViewer.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/ConversationFilterModel.h"
#include "models/conversations/ConversationListModel.h"
#include "models/security/PendingDeviceModel.h"
#include "models/thread/ThreadModel.h"

#include <QDir>
#include <QScopeGuard>
#include <QUrl>
#include <utility>

namespace larch {

namespace {
const QString ServerUrlKey = QStringLiteral("serverUrl");
const QString AccountKey = QStringLiteral("accountUserId");
const QString AccountServerKey = QStringLiteral("accountServerUrl");
const QString DeviceStateKey = QStringLiteral("deviceState");
AppController *qmlInstance = nullptr;
} // namespace

AppController *AppController::forQml() { return qmlInstance; }

AppController::AppController(const QString &dataDir, QObject *parent)
    : QObject(parent), m_store(std::make_unique<LocalStore>(dataDir)), m_api(new ApiClient(this)),
      m_sync(new SyncEngine(m_store.get(), m_api, this)), m_list(new ConversationListModel(this)),
      m_filter(new ConversationFilterModel(this)), m_thread(new ThreadModel(m_store.get(), m_api, this)),
      m_compose(new ComposeController(m_store.get(), m_sync, this)), m_identity(new DeviceIdentity(m_api, this)),
      m_recovery(new RecoveryBackup(m_api, m_sync->secure()->keys(), m_store.get(), this)),
      m_pending(new PendingDeviceModel(m_store.get(), this))
{
    if (!qmlInstance)
        qmlInstance = this;
    registerEnumNames();
    m_filter->setSourceModel(m_list);
    const bool storeOpen = m_store->open();
    // Converted photos and camera captures wait here, owner-only, until the outbox has sent them.
    m_compose->attachments()->setPrivateDir(QDir(m_store->dataDir()).filePath(QStringLiteral("outgoing")));

    const QString fromEnv = qEnvironmentVariable("LARCH_SERVER_URL");
    m_serverUrl = !fromEnv.isEmpty() ? fromEnv
                                     : (storeOpen ? m_store->setting(ServerUrlKey, QLatin1String(DefaultServerUrl))
                                                  : QString::fromLatin1(DefaultServerUrl));
    m_api->setServerUrl(QUrl(m_serverUrl));

    connect(m_sync, &SyncEngine::conversationChanged, this, [this](const ConversationSummary &summary) {
        m_list->upsert(summary);
        if (summary.id == m_currentConversationId) {
            emit currentConversationChanged();
            refreshInvitationBanner();
        }
    });
    connect(m_sync, &SyncEngine::messageAdded, this, [this](const StoredMessage &stored) {
        m_thread->addMessage(stored);
        const Message &message = stored.message;
        if (message.conversationId == m_currentConversationId && m_windowActive && message.senderId != userId())
            m_sync->markRead(message.conversationId);
    });
    connect(m_sync, &SyncEngine::messageOpened, m_thread, &ThreadModel::updateMessage);
    connect(m_sync, &SyncEngine::noticeAdded, m_thread, &ThreadModel::addNotice);
    m_thread->setReceive([this](const Message &message) { return m_sync->storeFromServer(message); });
    connect(m_sync, &SyncEngine::messagePending, m_thread, &ThreadModel::addPending);
    connect(m_sync, &SyncEngine::messageConfirmed, m_thread, &ThreadModel::confirmMessage);
    connect(m_sync, &SyncEngine::messageFailed, m_thread, &ThreadModel::failMessage);
    connect(m_sync, &SyncEngine::readStateChanged, m_thread, &ThreadModel::updateReadState);
    connect(m_sync, &SyncEngine::onlineChanged, this, [this](bool online) {
        if (online) {
            m_thread->retryServer();
            if (!m_deviceRegistered)
                registerDevice();
        }
        updateOfflineText();
    });
    // The server's largest attachment, asked again on each reconnect (an administrator may have changed it).
    connect(m_sync, &SyncEngine::onlineChanged, this, [this](bool online) {
        if (online)
            m_api->attachmentLimits(this, [this](const ApiResult &result) {
                if (result.ok())
                    m_compose->attachments()->setMaxBytes(
                        result.body.value(QLatin1String("attachmentMaxBytes")).toInteger());
            });
    });
    connect(m_sync, &SyncEngine::retryCountdownChanged, this, &AppController::updateOfflineText);
    connect(m_sync, &SyncEngine::sessionEnded, this, &AppController::endSession);
    connectSecurity();
    connectInvites();
    connectPracticeLinks();
    connectStandard();
    connectAttachments();

    if (!storeOpen) {
        setSignInError(m_store->errorString());
        return;
    }
    resumeCachedSession();
}

void AppController::resumeCachedSession()
{
    const QString userId = m_store->setting(AccountKey);
    const QUrl server(m_store->setting(AccountServerKey));
    if (!m_store->hasStoredSession() || userId.isEmpty() || !server.isValid())
        return;
    // The cached session is encrypted under the storage key, which only the keychain holds: read it first.
    // Signed in, offline too, as soon as the keychain answers; the list shows from the cache before any network.
    setBusy(true);
    m_resumingSession = true;
    m_identity->load(server, userId, [this, server](bool ok, const QString &sentence) {
        setBusy(false);
        // A link that arrived meanwhile opens now that it is known whether someone is signed in.
        auto openWaitingLink = qScopeGuard([this] {
            m_resumingSession = false;
            const QString link = std::exchange(m_waitingInvitationLink, QString());
            if (!link.isEmpty())
                openInvitationLink(link);
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
        sweepOutgoingFiles();
        const auto session = m_store->session();
        if (!session) {
            m_store->clearSession();
            return;
        }
        // The session belongs to the server it was made on.
        m_api->setServerUrl(server);
        if (m_serverUrl != server.toString()) {
            m_serverUrl = server.toString();
            emit serverUrlChanged();
        }
        const QString cachedState = m_store->setting(DeviceStateKey);
        m_identity->setState(cachedState == QLatin1String("pending") ? DeviceIdentity::State::Pending
                                                                     : DeviceIdentity::State::Active);
        m_deviceRegistered = false;
        startSession(*session);
        registerDevice();
    });
}

AppController::~AppController()
{
    if (qmlInstance == this)
        qmlInstance = nullptr;
    m_compose->saveNow();
    m_sync->stop();
    // The viewer and its downloads release their decrypted temporary files into m_tempFiles, which as the older
    // child would otherwise be destroyed first: files left on disk, and a call into a deleted object.
    delete m_attachments;
    m_attachments = nullptr;
}

bool AppController::online() const { return m_signedIn && m_sync->isOnline(); }

QObject *AppController::conversations() const { return m_filter; }
QObject *AppController::thread() const { return m_thread; }
QObject *AppController::compose() const { return m_compose; }

QString AppController::currentConversationTitle() const
{
    const ConversationSummary *c = m_list->conversation(m_currentConversationId);
    return c ? c->title : QString();
}

void AppController::setServerUrl(const QString &url)
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

void AppController::signIn(const QString &email, const QString &password)
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
    const QUrl url(m_serverUrl);
    const ApiError urlError = m_api->setServerUrl(url);
    if (!urlError.isNone()) {
        setSignInError(urlError.sentence);
        return;
    }
    setSignInError(QString());
    setBusy(true);
    m_api->signIn(email.trimmed(), password, DeviceIdentity::defaultDeviceName(), this,
                  [this](const ApiResult &result) {
                      if (!result.ok()) {
                          setBusy(false);
                          setSignInError(result.error.sentence);
                          return;
                      }
                      adoptSession(result.body);
                  });
}

void AppController::adoptSession(const QJsonObject &body)
{
    setBusy(true);
    setSignInError(QString());
    const auto session = Session::fromJson(body);
    if (!session) {
        setBusy(false);
        setSignInError(ErrorText::badResponse());
        return;
    }
    {
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
}

void AppController::finishSignIn(const Session &session)
{
    // Another account, or another server: nothing of the previous one may show.
    if (m_store->setting(AccountKey) != session.user.id
        || m_store->setting(AccountServerKey) != m_api->serverUrl().toString()) {
        m_store->clearAccountData();
        m_compose->attachments()->forgetAll();
    }
    if (m_store->setStorageKey(m_identity->keys().storageKey))
        sweepOutgoingFiles();
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
        m_store->saveSession(session);
        m_store->setSetting(AccountKey, session.user.id);
        m_store->setSetting(AccountServerKey, m_api->serverUrl().toString());
        m_store->setSetting(DeviceStateKey, m_identity->stateText());
        startSession(session);
    });
}

void AppController::registerDevice()
{
    if (!m_signedIn || !m_identity->hasKeys())
        return;
    m_identity->registerDevice([this](bool ok, const QString &sentence) {
        if (!m_signedIn)
            return;
        if (ok) {
            m_deviceRegistered = true;
            m_store->setSetting(DeviceStateKey, m_identity->stateText());
            m_sync->secure()->setDeviceActive(m_identity->state() == DeviceIdentity::State::Active);
            return;
        }
        if (!m_identity->hasKeys())
            dropAccount(sentence); // the server removed this device: its keys are gone for good
    });
}

void AppController::startSession(const Session &session)
{
    m_session = session;
    m_api->setToken(session.token);
    m_thread->setUser(session.user.id, session.user.name);
    m_list->reset(m_store->conversationSummaries());
    emit userChanged();
    setSignedIn(true);
    m_sync->start(session, m_identity->keys(), m_identity->state() == DeviceIdentity::State::Active);
    updateOfflineText();
    m_recovery->start(session.user.id, [this](bool exists) { setHasRecoveryKey(exists); });
    closeInvitationLink();
}

void AppController::signOut()
{
    if (!m_signedIn)
        return;
    if (m_api->hasToken())
        m_api->signOut(this, [](const ApiResult &) {});
    m_compose->saveNow();
    closeConversation();
    dropAccount(QString());
}

void AppController::dropAccount(const QString &sentence)
{
    closeConversation();
    m_sync->stop();
    m_recovery->stop();
    m_api->setToken(QString());
    // Patient data does not stay on a device after its user signs out; the keys stay in the keychain.
    m_store->clearAccountData();
    m_store->setSetting(AccountKey, QString());
    m_store->forgetStorageKey();
    m_identity->forget();
    m_session.reset();
    m_list->reset({});
    m_pending->setDevices({});
    m_compose->attachments()->forgetAll();
    setHasRecoveryKey(false);
    setSignInError(sentence);
    emit userChanged();
    setSignedIn(false);
    updateOfflineText();
}

void AppController::endSession(const QString &sentence)
{
    m_compose->saveNow();
    closeConversation();
    m_session.reset();
    m_recovery->stop();
    m_identity->forget();
    m_store->forgetStorageKey();
    m_pending->setDevices({});
    // The cache (drafts, outbox, and the chips in memory) stays for when the same person signs in again.
    m_list->reset({});
    setSignInError(sentence);
    emit userChanged();
    setSignedIn(false);
    updateOfflineText();
}

void AppController::openConversation(const QString &id)
{
    if (!m_signedIn || !m_list->conversation(id))
        return;
    if (id != m_currentConversationId) {
        m_attachments->release();
        m_currentConversationId = id;
        m_compose->setConversation(id);
        m_thread->open(id);
        m_sync->secure()->loadDevices(id);
        emit currentConversationChanged();
        refreshInvitationBanner();
    }
    m_sync->markRead(id);
}

void AppController::closeConversation()
{
    if (m_currentConversationId.isEmpty())
        return;
    m_attachments->release(); // a file of this conversation stays decrypted no longer than it is open
    m_currentConversationId.clear();
    m_compose->setConversation(QString());
    m_thread->close();
    emit currentConversationChanged();
    refreshInvitationBanner();
}

void AppController::retryNow() { m_sync->retryNow(); }

void AppController::setWindowActive(bool active)
{
    m_windowActive = active;
    if (active && !m_currentConversationId.isEmpty())
        m_sync->markRead(m_currentConversationId);
}

void AppController::setSignedIn(bool signedIn)
{
    if (m_signedIn == signedIn)
        return;
    m_signedIn = signedIn;
    if (!signedIn)
        setInvitationNotice(QString());
    emit signedInChanged();
}

void AppController::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

void AppController::setSignInError(const QString &error)
{
    if (m_signInError == error)
        return;
    m_signInError = error;
    emit signInErrorChanged();
}

void AppController::updateOfflineText()
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
