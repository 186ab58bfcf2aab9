// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the whole-app tests need around an AppController: an app signed in to the real server, thread and list look-ups.
#pragma once

#include "ClientTestKit.h"
#include "models/app/AccountSession.h"
#include "models/app/AppController.h"
#include "models/conversations/ConversationListModel.h"
#include "models/conversations/CurrentConversation.h"
#include "models/invites/LinkRouter.h"
#include "models/security/DeviceSecurity.h"
#include "models/thread/ThreadModel.h"

#include <memory>
#include <QTest>

namespace testkit {

/// An app with its data in dir, signed in to the server as email with the demo password; check signedIn() on it.
inline std::unique_ptr<larch::AppController> signedInApp(const QString &dir, const QString &serverUrl,
                                                         const QString &email)
{
    auto app = std::make_unique<larch::AppController>(dir);
    app->session()->setServerUrl(serverUrl);
    app->session()->signIn(email, QStringLiteral("larch-demo-password"));
    (void)QTest::qWaitFor(
        [&] {
            return app->session()->signedIn() || (!app->session()->busy() && !app->session()->signInError().isEmpty());
        },
        NetworkWait);
    if (!app->session()->signedIn())
        qWarning("sign-in failed: %s", qPrintable(app->session()->signInError()));
    return app;
}

/// The row of the thread whose text is body, or -1.
inline int rowOfBody(const larch::ThreadModel &thread, const QString &body)
{
    for (int row = 0; row < thread.rowCount(); ++row) {
        if (thread.index(row).data(larch::ThreadModel::BodyRole).toString() == body)
            return row;
    }
    return -1;
}

/// The row of the thread showing the message with this id, or -1.
inline int rowOfMessage(const larch::ThreadModel &thread, const QString &messageId)
{
    for (int row = 0; row < thread.rowCount(); ++row) {
        if (thread.index(row).data(larch::ThreadModel::MessageIdRole).toString() == messageId)
            return row;
    }
    return -1;
}

/// A role of a row as text; "" for row -1.
inline QString roleText(const larch::ThreadModel &thread, int row, int role)
{
    return row < 0 ? QString() : thread.index(row).data(role).toString();
}

/// Pages the whole thread in, as a list view scrolled to the top would.
inline void loadAll(larch::ThreadModel &thread)
{
    (void)QTest::qWaitFor(
        [&] {
            if (thread.canFetchMore({}))
                thread.fetchMore({});
            return !thread.canFetchMore({}) && !thread.isLoading();
        },
        NetworkWait);
}

/// How many rows have this text in role.
inline int countRows(const larch::ThreadModel &thread, int role, const QString &text)
{
    int n = 0;
    for (int row = 0; row < thread.rowCount(); ++row)
        n += thread.index(row).data(role).toString() == text;
    return n;
}

/// The conversation of the app's list with this title, or "".
inline QString conversationTitled(const larch::AppController &app, const QString &title)
{
    const larch::ConversationListModel *list = app.conversationList();
    for (int row = 0; row < list->rowCount(); ++row) {
        const QModelIndex index = list->index(row);
        if (index.data(larch::ConversationListModel::TitleRole).toString() == title)
            return index.data(larch::ConversationListModel::ConversationIdRole).toString();
    }
    return {};
}

/// Signs Ben (clinician) and Sam (patient) in to serverUrl (a server started with --demo), each from a folder of its
/// own, and waits until both are online and Ben lists his conversation with Sam (its id goes to conversation); fails
/// the calling test when a step does not happen.
inline void signInBenAndSam(const QString &serverUrl, const QString &benDir, const QString &samDir,
                            std::unique_ptr<larch::AppController> &ben, std::unique_ptr<larch::AppController> &sam,
                            QString &conversation)
{
    qunsetenv("LARCH_SERVER_URL");
    qunsetenv("LARCH_CLIENT_DATA_DIR");
    ben = signedInApp(benDir, serverUrl, QStringLiteral("ben@birch.example"));
    QVERIFY(ben->session()->signedIn());
    sam = signedInApp(samDir, serverUrl, QStringLiteral("sam@patient.example"));
    QVERIFY(sam->session()->signedIn());
    QTRY_VERIFY_WITH_TIMEOUT(ben->session()->online() && sam->session()->online(), NetworkWait);
    QTRY_VERIFY_WITH_TIMEOUT(!conversationTitled(*ben, QStringLiteral("Sam Lee")).isEmpty(), NetworkWait);
    conversation = conversationTitled(*ben, QStringLiteral("Sam Lee"));
}

} // namespace testkit
