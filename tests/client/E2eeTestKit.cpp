// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "E2eeTestKit.h"

#include "models/conversations/ConversationListModel.h"
#include "models/thread/ThreadModel.h"

#include <optional>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace larch;

namespace e2ee {

ApiResult call(const QString &serverUrl, const QString &token,
               const std::function<void(ApiClient &, QObject *, ApiClient::Callback)> &start)
{
    ApiClient api;
    api.setServerUrl(QUrl(serverUrl));
    api.setToken(token);
    std::optional<ApiResult> answer;
    start(api, &api, [&answer](const ApiResult &r) { answer = r; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, NetworkWait))
        return ApiResult{ApiError::make(ApiError::Kind::Timeout), 0, {}};
    return *answer;
}

QString bareToken(const QString &serverUrl, const QString &email, const QString &password, QString *userId)
{
    const ApiResult r = call(serverUrl, {}, [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
        api.signIn(email, password, QStringLiteral("Test tool"), ctx, done);
    });
    if (userId)
        *userId = r.body.value("user").toObject().value("id").toString();
    return r.body.value("token").toString();
}

std::unique_ptr<AppController> signedInApp(const QString &dir, const QString &serverUrl, const QString &email)
{
    auto app = std::make_unique<AppController>(dir);
    app->setServerUrl(serverUrl);
    app->signIn(email, QStringLiteral("larch-demo-password"));
    (void)QTest::qWaitFor([&] { return app->signedIn() || (!app->busy() && !app->signInError().isEmpty()); },
                          NetworkWait);
    if (!app->signedIn())
        qWarning("sign-in failed: %s", qPrintable(app->signInError()));
    return app;
}

KeystoreRead readKeychain(const QString &account)
{
    Keystore keystore;
    std::optional<KeystoreRead> read;
    keystore.read(account, [&read](const KeystoreRead &r) { read = r; });
    (void)QTest::qWaitFor([&] { return read.has_value(); }, NetworkWait);
    return read.value_or(KeystoreRead::unavailable(QStringLiteral("(test) no answer from the keychain")));
}

bool removeFromKeychain(const QString &account)
{
    Keystore keystore;
    std::optional<KeystoreWrite> done;
    keystore.remove(account, [&done](const KeystoreWrite &w) { done = w; });
    (void)QTest::qWaitFor([&] { return done.has_value(); }, NetworkWait);
    return done && done->done;
}

QByteArray bytesOf(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray bytesUnder(const QString &dir)
{
    QByteArray all;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        all += bytesOf(it.next());
    return all;
}

bool containsText(const QByteArray &bytes, const QString &text)
{
    const QByteArray utf16(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
    return bytes.contains(text.toUtf8()) || bytes.contains(utf16);
}

ServerDatabase::ServerDatabase(const QString &dataDir) : m_name(QStringLiteral("server-db-%1").arg(quintptr(this)))
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    m_db.setDatabaseName(QDir(dataDir).filePath(QStringLiteral("larch.sqlite3")));
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    m_db.open();
}

ServerDatabase::~ServerDatabase()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

QList<QVariantList> ServerDatabase::rows(const QString &sql, const QVariantList &binds)
{
    QList<QVariantList> out;
    QSqlQuery q(m_db);
    q.prepare(sql);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec()) {
        qWarning("server db: %s", qPrintable(q.lastError().text()));
        return out;
    }
    while (q.next()) {
        QVariantList row;
        for (int i = 0; i < q.record().count(); ++i)
            row.append(q.value(i));
        out.append(row);
    }
    return out;
}

QVariant ServerDatabase::value(const QString &sql, const QVariantList &binds)
{
    const auto all = rows(sql, binds);
    return all.isEmpty() || all.first().isEmpty() ? QVariant() : all.first().first();
}

int ServerDatabase::exec(const QString &sql, const QVariantList &binds)
{
    QSqlQuery q(m_db);
    q.prepare(sql);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec()) {
        qWarning("server db: %s", qPrintable(q.lastError().text()));
        return -1;
    }
    return q.numRowsAffected();
}

int rowOfBody(const ThreadModel &thread, const QString &body)
{
    for (int row = 0; row < thread.rowCount(); ++row) {
        if (thread.index(row).data(ThreadModel::BodyRole).toString() == body)
            return row;
    }
    return -1;
}

int rowOfMessage(const ThreadModel &thread, const QString &messageId)
{
    for (int row = 0; row < thread.rowCount(); ++row) {
        if (thread.index(row).data(ThreadModel::MessageIdRole).toString() == messageId)
            return row;
    }
    return -1;
}

QString roleText(const ThreadModel &thread, int row, int role)
{
    return row < 0 ? QString() : thread.index(row).data(role).toString();
}

void loadAll(ThreadModel &thread)
{
    (void)QTest::qWaitFor(
        [&] {
            if (thread.canFetchMore({}))
                thread.fetchMore({});
            return !thread.canFetchMore({}) && !thread.isLoading();
        },
        NetworkWait);
}

int countRows(const ThreadModel &thread, int role, const QString &text)
{
    int n = 0;
    for (int row = 0; row < thread.rowCount(); ++row)
        n += thread.index(row).data(role).toString() == text;
    return n;
}

QString conversationTitled(const AppController &app, const QString &title)
{
    const ConversationListModel *list = app.conversationList();
    for (int row = 0; row < list->rowCount(); ++row) {
        const QModelIndex index = list->index(row);
        if (index.data(ConversationListModel::TitleRole).toString() == title)
            return index.data(ConversationListModel::ConversationIdRole).toString();
    }
    return {};
}

} // namespace e2ee
