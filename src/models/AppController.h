// The app's single entry point for QML (the "App" singleton): session, connection state and the open conversation.
#pragma once

#include "LocalStore.h"

#include <QObject>
#include <QString>
#include <memory>

namespace larch {

class ApiClient;
class SyncEngine;
class ConversationListModel;
class ConversationFilterModel;
class ThreadModel;
class ComposeController;

/// Wires store, network and models together; QML sees it as the singleton App of Larch.Models.
class AppController : public QObject {
    Q_OBJECT
    /// The Larch server's address; http:// only for this computer. Saved on the device.
    Q_PROPERTY(QString serverUrl READ serverUrl WRITE setServerUrl NOTIFY serverUrlChanged)
    /// True while a session exists, also offline with a cached session.
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY signedInChanged)
    /// True while a sign-in is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// One sentence on what went wrong at sign-in (or why the session ended) and how to fix it; "" when none.
    Q_PROPERTY(QString signInError READ signInError NOTIFY signInErrorChanged)
    /// The event connection is up and caught up.
    Q_PROPERTY(bool online READ online NOTIFY onlineChanged)
    /// The offline banner's sentence; "" while online or signed out.
    Q_PROPERTY(QString offlineText READ offlineText NOTIFY offlineTextChanged)
    /// The signed-in user's name.
    Q_PROPERTY(QString userName READ userName NOTIFY userChanged)
    /// The signed-in user's role: "admin", "clinician" or "patient".
    Q_PROPERTY(QString userRole READ userRole NOTIFY userChanged)
    /// The conversation list (ConversationFilterModel) the screens show.
    Q_PROPERTY(QObject *conversations READ conversations CONSTANT)
    /// The open conversation's messages (ThreadModel).
    Q_PROPERTY(QObject *thread READ thread CONSTANT)
    /// The open conversation's compose bar (ComposeController).
    Q_PROPERTY(QObject *compose READ compose CONSTANT)
    /// The open conversation's id; "" when none is open.
    Q_PROPERTY(QString currentConversationId READ currentConversationId NOTIFY currentConversationChanged)
    /// The open conversation's title.
    Q_PROPERTY(QString currentConversationTitle READ currentConversationTitle NOTIFY currentConversationChanged)
public:
    static constexpr auto DefaultServerUrl = "http://127.0.0.1:8080";

    /// dataDir "" means $LARCH_CLIENT_DATA_DIR, else the platform's app data folder.
    explicit AppController(const QString &dataDir = {}, QObject *parent = nullptr);
    ~AppController() override;

    QString serverUrl() const { return m_serverUrl; }
    void setServerUrl(const QString &url);
    bool signedIn() const { return m_signedIn; }
    bool busy() const { return m_busy; }
    QString signInError() const { return m_signInError; }
    bool online() const;
    QString offlineText() const { return m_offlineText; }
    QString userName() const { return m_session ? m_session->user.name : QString(); }
    QString userRole() const { return m_session ? m_session->user.role : QString(); }
    QString userId() const { return m_session ? m_session->user.id : QString(); }
    QObject *conversations() const;
    QObject *thread() const;
    QObject *compose() const;
    QString currentConversationId() const { return m_currentConversationId; }
    QString currentConversationTitle() const;

    Q_INVOKABLE void signIn(const QString &email, const QString &password);
    Q_INVOKABLE void signOut();
    /// Shows a conversation and marks it read, on the server too.
    Q_INVOKABLE void openConversation(const QString &id);
    Q_INVOKABLE void closeConversation();
    /// Reconnects now instead of waiting for the next retry.
    Q_INVOKABLE void retryNow();

    // Parts, for the app's main() and for tests.
    LocalStore *store() const { return m_store.get(); }
    ApiClient *api() const { return m_api; }
    SyncEngine *sync() const { return m_sync; }
    ConversationListModel *conversationList() const { return m_list; }
    ConversationFilterModel *filterModel() const { return m_filter; }
    ThreadModel *threadModel() const { return m_thread; }
    ComposeController *composeController() const { return m_compose; }

public slots:
    /// The window gained or lost focus: new messages in the open conversation are marked read only while active.
    void setWindowActive(bool active);

signals:
    void serverUrlChanged();
    void signedInChanged();
    void busyChanged();
    void signInErrorChanged();
    void onlineChanged();
    void offlineTextChanged();
    void userChanged();
    void currentConversationChanged();

private:
    void startSession(const Session &session);
    void endSession(const QString &sentence);
    void setSignedIn(bool signedIn);
    void setBusy(bool busy);
    void setSignInError(const QString &error);
    void updateOfflineText();

    std::unique_ptr<LocalStore> m_store;
    ApiClient *m_api;
    SyncEngine *m_sync;
    ConversationListModel *m_list;
    ConversationFilterModel *m_filter;
    ThreadModel *m_thread;
    ComposeController *m_compose;
    std::optional<Session> m_session;
    QString m_serverUrl;
    QString m_signInError;
    QString m_offlineText;
    QString m_currentConversationId;
    bool m_signedIn = false;
    bool m_busy = false;
    bool m_windowActive = true;
    bool m_lastOnline = false;
};

} // namespace larch
