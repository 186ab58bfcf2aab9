// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The client-side half of the test kit: one ApiClient call waited for, a bare session, the keychain read as the app does.
#pragma once

// Header-only on purpose: larch-test-support stays free of larch-client, so server tests do not wait for the client
// to build; the client and app tests that include this link larch-client themselves.
#include "client/keychain/Keystore.h"
#include "client/net/ApiClient.h"

#include <functional>
#include <optional>
#include <QString>
#include <QTest>

namespace testkit {

/// How long a test waits for the network (a real server on loopback answers far sooner).
inline constexpr int NetworkWait = 30000;

/// Runs one ApiClient call against the server and waits for its answer.
inline larch::ApiResult
call(const QString &serverUrl, const QString &token,
     const std::function<void(larch::ApiClient &, QObject *, larch::ApiClient::Callback)> &start)
{
    larch::ApiClient api;
    api.setServerUrl(QUrl(serverUrl));
    api.setToken(token);
    std::optional<larch::ApiResult> answer;
    start(api, &api, [&answer](const larch::ApiResult &r) { answer = r; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, NetworkWait))
        return larch::ApiResult{larch::ApiError::make(larch::ApiError::Kind::Timeout), 0, {}};
    return *answer;
}

/// Signs in without a device (a bare session), for calls a person would make from another tool.
inline QString bareToken(const QString &serverUrl, const QString &email, const QString &password,
                         QString *userId = nullptr)
{
    const larch::ApiResult r =
        call(serverUrl, {}, [&](larch::ApiClient &api, QObject *ctx, larch::ApiClient::Callback done) {
            api.signIn(email, password, QStringLiteral("Test tool"), ctx, done);
        });
    if (userId)
        *userId = r.body.value("user").toObject().value("id").toString();
    return r.body.value("token").toString();
}

/// A person signed in without a device (a bare session): their API, practice and user id.
struct BarePerson {
    larch::ApiClient api;
    QString practiceId;
    QString userId;
};

/// Signs person in without a device and keeps the session's token on their API; false when the sign-in failed.
inline bool signInBare(BarePerson &person, const QString &serverUrl, const QString &email, const QString &password)
{
    person.api.setServerUrl(QUrl(serverUrl));
    std::optional<larch::ApiResult> answer;
    QObject context;
    person.api.signIn(email, password, QStringLiteral("Test"), &context,
                      [&answer](const larch::ApiResult &r) { answer = r; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, NetworkWait) || !answer->ok())
        return false;
    const QJsonObject user = answer->body.value(QLatin1String("user")).toObject();
    person.api.setToken(answer->body.value(QLatin1String("token")).toString());
    person.practiceId = user.value(QLatin1String("practiceId")).toString();
    person.userId = user.value(QLatin1String("id")).toString();
    return true;
}

/// The keychain entry of an account, read the way the app reads it (run under run-with-keyring.sh).
inline larch::KeystoreRead readKeychain(const QString &account)
{
    larch::Keystore keystore;
    std::optional<larch::KeystoreRead> read;
    keystore.read(account, [&read](const larch::KeystoreRead &r) { read = r; });
    (void)QTest::qWaitFor([&] { return read.has_value(); }, NetworkWait);
    return read.value_or(larch::KeystoreRead::unavailable(QStringLiteral("(test) no answer from the keychain")));
}

/// Removes an account's keychain entry the way the app would; true when it is gone.
inline bool removeFromKeychain(const QString &account)
{
    larch::Keystore keystore;
    std::optional<larch::KeystoreWrite> done;
    keystore.remove(account, [&done](const larch::KeystoreWrite &w) { done = w; });
    (void)QTest::qWaitFor([&] { return done.has_value(); }, NetworkWait);
    return done && done->done;
}

} // namespace testkit
