// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the end-to-end encryption tests need around the app: raw API calls, the server's database, file scans.
#pragma once

#include "client/keychain/Keystore.h"
#include "client/net/ApiClient.h"
#include "models/app/AppController.h"

#include <functional>
#include <memory>
#include <QByteArray>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

namespace larch {
class ThreadModel;
}

namespace e2ee {

inline constexpr int NetworkWait = 30000;

/// Runs one ApiClient call against the server and waits for its answer.
larch::ApiResult call(const QString &serverUrl, const QString &token,
                      const std::function<void(larch::ApiClient &, QObject *, larch::ApiClient::Callback)> &start);
/// Signs in without a device (a bare session), for calls a person would make from another tool.
QString bareToken(const QString &serverUrl, const QString &email, const QString &password, QString *userId = nullptr);

/// An app signed in to the server with its data in dir; check signedIn() on the result.
std::unique_ptr<larch::AppController> signedInApp(const QString &dir, const QString &serverUrl, const QString &email);

/// The keychain, read and changed the way the app does.
larch::KeystoreRead readKeychain(const QString &account);
bool removeFromKeychain(const QString &account);

/// Every byte of every file under dir (databases, WAL, shared memory, logs).
QByteArray bytesUnder(const QString &dir);
QByteArray bytesOf(const QString &file);
/// True when text occurs in bytes as UTF-8 or as UTF-16.
bool containsText(const QByteArray &bytes, const QString &text);

/// A second connection to the running server's SQLite file, as an attacker with the disk would have.
class ServerDatabase {
public:
    explicit ServerDatabase(const QString &dataDir);
    ~ServerDatabase();
    bool isOpen() const { return m_db.isOpen(); }
    /// The first column of the first row, or an invalid QVariant.
    QVariant value(const QString &sql, const QVariantList &binds = {});
    QList<QVariantList> rows(const QString &sql, const QVariantList &binds = {});
    /// Rows changed, or -1 on error.
    int exec(const QString &sql, const QVariantList &binds = {});

private:
    QString m_name;
    QSqlDatabase m_db;
};

/// Thread lookups by text or id.
int rowOfBody(const larch::ThreadModel &thread, const QString &body);
int rowOfMessage(const larch::ThreadModel &thread, const QString &messageId);
QString roleText(const larch::ThreadModel &thread, int row, int role);
/// Pages the whole thread in, as a list view scrolled to the top would.
void loadAll(larch::ThreadModel &thread);
/// Rows whose role has this text.
int countRows(const larch::ThreadModel &thread, int role, const QString &text);
/// The conversation of the list with this title, or "".
QString conversationTitled(const larch::AppController &app, const QString &title);

} // namespace e2ee
