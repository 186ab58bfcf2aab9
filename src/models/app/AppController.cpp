// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/app/AppController.h"

#include "client/e2ee/DeviceIdentity.h"
#include "client/net/ApiClient.h"
#include "client/sync/SyncEngine.h"
#include "models/app/AccountSession.h"
#include "models/app/EnumNames.h"
#include "models/attachments/AttachmentViewer.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/ConversationFilterModel.h"
#include "models/conversations/ConversationListModel.h"
#include "models/conversations/CurrentConversation.h"
#include "models/security/DeviceSecurity.h"
#include "models/thread/ThreadModel.h"

#include <QDir>

namespace larch {

namespace {
AppController *qmlInstance = nullptr;

/// Opens the device's store first: every part reads it from the start.
std::unique_ptr<LocalStore> openStore(const QString &dataDir)
{
    auto store = std::make_unique<LocalStore>(dataDir);
    store->open(); // a failure shows as App.session.signInError
    return store;
}
} // namespace

AppController *AppController::forQml() { return qmlInstance; }

AppController::AppController(const QString &dataDir, QObject *parent)
    : QObject(parent), m_store(openStore(dataDir)), m_api(new ApiClient(this)),
      m_sync(new SyncEngine(m_store.get(), m_api, this)), m_identity(new DeviceIdentity(m_api, this)),
      m_list(new ConversationListModel(this)), m_filter(new ConversationFilterModel(this)),
      m_thread(new ThreadModel(m_store.get(), m_api, this)),
      m_compose(new ComposeController(m_store.get(), m_sync, this)),
      m_session(new AccountSession(m_store.get(), m_api, m_sync, m_identity, this))
{
    if (!qmlInstance)
        qmlInstance = this;
    registerEnumNames();
    m_filter->setSourceModel(m_list);
    // Converted photos and camera captures wait here, owner-only, until the outbox has sent them.
    m_compose->attachments()->setPrivateDir(QDir(m_store->dataDir()).filePath(QStringLiteral("outgoing")));

    // The list takes a changed summary before anything reads it (the open conversation's title, its banner).
    connect(m_sync, &SyncEngine::conversationChanged, m_list, &ConversationListModel::upsert);
    connect(m_sync, &SyncEngine::messageAdded, m_thread, &ThreadModel::addMessage);
    // Made after those two connections: it reads what they updated.
    m_current = new CurrentConversation(m_list, m_thread, m_compose, m_sync, m_session, this);
    m_security = new DeviceSecurity(m_store.get(), m_api, m_sync, m_identity, m_session, m_current, this);

    connect(m_sync, &SyncEngine::messageOpened, m_thread, &ThreadModel::updateMessage);
    connect(m_sync, &SyncEngine::noticeAdded, m_thread, &ThreadModel::addNotice);
    m_thread->setReceive([this](const Message &message) { return m_sync->storeFromServer(message); });
    connect(m_sync, &SyncEngine::messagePending, m_thread, &ThreadModel::addPending);
    connect(m_sync, &SyncEngine::messageConfirmed, m_thread, &ThreadModel::confirmMessage);
    connect(m_sync, &SyncEngine::messageFailed, m_thread, &ThreadModel::failMessage);
    connect(m_sync, &SyncEngine::readStateChanged, m_thread, &ThreadModel::updateReadState);
    connect(m_sync, &SyncEngine::onlineChanged, this, [this](bool online) {
        if (!online)
            return;
        m_thread->retryServer();
        // The server's largest attachment, asked again on each reconnect (an administrator may have changed it).
        m_api->attachmentLimits(this, [this](const ApiResult &result) {
            if (result.ok())
                m_compose->attachments()->setMaxBytes(
                    result.body.value(QLatin1String("attachmentMaxBytes")).toInteger());
        });
    });
    connectSession();
    connectInvites();
    connectPracticeLinks();
    connectSignInSecurity();
    connectAuditLog();
    connectStaff();
    connectPracticeIdentity();
    connectStandard();
    connectAttachments();
    m_session->resume();
}

void AppController::connectSession()
{
    connect(m_session, &AccountSession::storageOpened, this, &AppController::sweepOutgoingFiles);
    connect(m_session, &AccountSession::starting, this, [this](const Session &session) {
        m_thread->setUser(session.user.id, session.user.name);
        m_list->reset(m_store->conversations().summaries());
    });
    connect(m_session, &AccountSession::leaving, this, [this] {
        m_compose->saveNow();
        m_current->close();
    });
    connect(m_session, &AccountSession::accountDataCleared, this, [this] { m_compose->attachments()->forgetAll(); });
    // The cache (drafts, outbox, and the chips in memory) stays for when the same person signs in again.
    connect(m_session, &AccountSession::ended, this, [this] { m_list->reset({}); });
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

} // namespace larch
