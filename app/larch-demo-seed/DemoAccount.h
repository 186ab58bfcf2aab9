// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// One demo account driven through the app's own controller, the way a person would use the app.
#pragma once

#include "client/net/ApiClient.h"
#include "models/app/AppController.h"

#include <QAbstractItemModel>
#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

/// Why seeding stopped: one sentence for the person running it.
struct SeedError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Runs the event loop until done() holds; false after timeoutMs.
bool waitUntil(const std::function<bool()> &done, int timeoutMs);

/// A demo account on its own device: the app's data in <data root>/app-<key> (as `larch` keeps it
/// when LARCH_CLIENT_DATA_DIR points there) and its device keys in the OS keychain.
class DemoAccount {
public:
    /// key names the data folder (app-<key>); who names the account in error sentences.
    DemoAccount(QString key, QString who, QString email, const QString &dataRoot, const QString &serverUrl,
                QString password);
    ~DemoAccount();

    larch::AppController &app() { return *m_app; }
    QString deviceState() const;

    /// Signs in (or resumes the cached session) and waits until the device is registered, active or
    /// pending. Throws SeedError with the app's own sentence when that fails.
    void signIn();
    /// Waits until the device may open secure conversations (a colleague approved it).
    void waitUntilActive(int timeoutMs);

    /// The id of the conversation with this title; "" takes the first (a patient has one).
    QString conversationId(const QString &title = {});
    /// Whether the server holds any message in the conversation.
    bool conversationHasMessages(const QString &conversationId);
    /// Writes text in the conversation's compose bar, sends it, and waits until the server has it.
    void send(const QString &conversationId, const QString &text);
    /// Adds the files to the conversation's compose bar as chips (App.compose.attachments), waits for their
    /// previews, writes the caption and sends; waits until every file is uploaded and its message confirmed.
    void sendFiles(const QString &conversationId, const QString &caption, const QList<QUrl> &files);
    /// As sendFiles, but all the files (at most four) in one message, as another app may send them: the compose
    /// bar makes their previews, each is uploaded as the outbox would, and the device seals them with the caption
    /// in one message (DemoAccountFileMessage.cpp). Waits until the server has it and this device opened it.
    void sendFilesInOneMessage(const QString &conversationId, const QString &caption, const QList<QUrl> &files);
    /// Opens the conversation, which marks everything in it read, and closes it again.
    void readAll(const QString &conversationId);

    /// The staff devices this device may approve (App.security.pendingDevices).
    QAbstractItemModel *pendingDevices() const;
    /// Approves every device waiting for approval; returns how many.
    int approveAllPending();

    /// A REST call with this account's session, run to completion.
    larch::ApiResult call(
        const std::function<void(larch::ApiClient *, QObject *, std::function<void(const larch::ApiResult &)>)> &start);

private:
    QAbstractItemModel *model(const char *property) const;
    void openAndLoad(const QString &conversationId);
    /// Opens the conversation, adds the files to its compose bar as chips and waits for their previews.
    void addFilesAndWaitForPreviews(const QString &conversationId, const QList<QUrl> &files);

    QString m_key;
    QString m_who;
    QString m_email;
    QString m_password;
    QString m_serverUrl; ///< the server this run was asked to seed (a cached session may belong to another)
    std::unique_ptr<larch::AppController> m_app;
};
