#include "AppController.h"

#include "ApiClient.h"
#include "ComposeController.h"
#include "ConversationFilterModel.h"
#include "ConversationListModel.h"
#include "SyncEngine.h"
#include "ThreadModel.h"

#include <QSysInfo>
#include <QUrl>

namespace larch {

namespace {
const QString ServerUrlKey = QStringLiteral("serverUrl");
const QString AccountKey = QStringLiteral("accountUserId");
const QString AccountServerKey = QStringLiteral("accountServerUrl");
} // namespace

AppController::AppController(const QString &dataDir, QObject *parent)
    : QObject(parent), m_store(std::make_unique<LocalStore>(dataDir)), m_api(new ApiClient(this)),
      m_sync(new SyncEngine(m_store.get(), m_api, this)), m_list(new ConversationListModel(this)),
      m_filter(new ConversationFilterModel(this)), m_thread(new ThreadModel(m_store.get(), m_api, this)),
      m_compose(new ComposeController(m_store.get(), m_sync, this))
{
    m_filter->setSourceModel(m_list);
    const bool storeOpen = m_store->open();

    const QString fromEnv = qEnvironmentVariable("LARCH_SERVER_URL");
    m_serverUrl = !fromEnv.isEmpty() ? fromEnv
                                     : (storeOpen ? m_store->setting(ServerUrlKey, QLatin1String(DefaultServerUrl))
                                                  : QString::fromLatin1(DefaultServerUrl));
    m_api->setServerUrl(QUrl(m_serverUrl));

    connect(m_sync, &SyncEngine::conversationChanged, this, [this](const ConversationSummary &summary) {
        m_list->upsert(summary);
        if (summary.id == m_currentConversationId)
            emit currentConversationChanged();
    });
    connect(m_sync, &SyncEngine::messageAdded, this, [this](const Message &message) {
        m_thread->addMessage(message);
        if (message.conversationId == m_currentConversationId && m_windowActive && message.senderId != userId())
            m_sync->markRead(message.conversationId);
    });
    connect(m_sync, &SyncEngine::messagePending, m_thread, &ThreadModel::addPending);
    connect(m_sync, &SyncEngine::messageConfirmed, m_thread, &ThreadModel::confirmMessage);
    connect(m_sync, &SyncEngine::messageFailed, m_thread, &ThreadModel::failMessage);
    connect(m_sync, &SyncEngine::readStateChanged, m_thread, &ThreadModel::updateReadState);
    connect(m_sync, &SyncEngine::onlineChanged, this, [this](bool online) {
        if (online)
            m_thread->retryServer();
        updateOfflineText();
    });
    connect(m_sync, &SyncEngine::retryCountdownChanged, this, &AppController::updateOfflineText);
    connect(m_sync, &SyncEngine::sessionEnded, this, &AppController::endSession);

    if (!storeOpen) {
        setSignInError(m_store->errorString());
        return;
    }
    // A cached session signs in at once, offline too; the list shows from the cache before any network.
    if (const auto session = m_store->session())
        startSession(*session);
}

AppController::~AppController()
{
    m_compose->saveNow();
    m_sync->stop();
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
    const QString device = QStringLiteral("Larch on %1").arg(QSysInfo::prettyProductName());
    m_api->signIn(email.trimmed(), password, device, this, [this](const ApiResult &result) {
        setBusy(false);
        if (!result.ok()) {
            setSignInError(result.error.sentence);
            return;
        }
        const auto session = Session::fromJson(result.body);
        if (!session) {
            setSignInError(ErrorText::badResponse());
            return;
        }
        // Another account, or another server: nothing of the previous one may show.
        if (m_store->setting(AccountKey) != session->user.id
            || m_store->setting(AccountServerKey) != m_api->serverUrl().toString()) {
            m_store->clearAccountData();
        }
        m_store->saveSession(*session);
        m_store->setSetting(AccountKey, session->user.id);
        m_store->setSetting(AccountServerKey, m_api->serverUrl().toString());
        startSession(*session);
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
    m_sync->start(session);
    updateOfflineText();
}

void AppController::signOut()
{
    if (!m_signedIn)
        return;
    if (m_api->hasToken())
        m_api->signOut(this, [](const ApiResult &) {});
    m_compose->saveNow();
    closeConversation();
    m_sync->stop();
    m_api->setToken(QString());
    // Patient data does not stay on a device after its user signs out.
    m_store->clearAccountData();
    m_store->setSetting(AccountKey, QString());
    m_session.reset();
    m_list->reset({});
    setSignInError(QString());
    emit userChanged();
    setSignedIn(false);
    updateOfflineText();
}

void AppController::endSession(const QString &sentence)
{
    m_compose->saveNow();
    closeConversation();
    m_session.reset();
    // The cache (drafts, outbox) stays for when the same person signs in again.
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
        m_currentConversationId = id;
        m_compose->setConversation(id);
        m_thread->open(id);
        emit currentConversationChanged();
    }
    m_sync->markRead(id);
}

void AppController::closeConversation()
{
    if (m_currentConversationId.isEmpty())
        return;
    m_currentConversationId.clear();
    m_compose->setConversation(QString());
    m_thread->close();
    emit currentConversationChanged();
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
