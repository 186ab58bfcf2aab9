// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The E2EE decision classes' unit tests in one program: the first argument names the class to run.
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <QCoreApplication>
#include <QObject>
#include <QTest>

std::unique_ptr<QObject> newEpochPlannerTest();
std::unique_ptr<QObject> newIdentityTrustTest();
std::unique_ptr<QObject> newKeyHandoverTest();
std::unique_ptr<QObject> newKeyRingTest();
std::unique_ptr<QObject> newMessageOpenerTest();

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const std::map<QString, std::function<std::unique_ptr<QObject>()>> tests{
        {QStringLiteral("epoch_planner"), newEpochPlannerTest},
        {QStringLiteral("identity_trust"), newIdentityTrustTest},
        {QStringLiteral("key_handover"), newKeyHandoverTest},
        {QStringLiteral("key_ring"), newKeyRingTest},
        {QStringLiteral("message_opener"), newMessageOpenerTest},
    };
    QStringList args = app.arguments();
    const auto test = args.size() > 1 ? tests.find(args.at(1)) : tests.end();
    if (test == tests.end()) {
        std::fprintf(stderr,
                     "usage: %s epoch_planner|identity_trust|key_handover|key_ring|message_opener [QtTest options]\n",
                     argv[0]);
        return 2;
    }
    args.removeAt(1);
    const std::unique_ptr<QObject> object = test->second();
    return QTest::qExec(object.get(), args);
}
