// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Runs every registered storage conformance test class against the backend this executable links.
#include "core/crypto/Crypto.h"
#include "StorageBackend.h"

#include <memory>
#include <QCoreApplication>
#include <QtTest>

namespace larch::server::conformance {

QList<std::function<QObject *()>> &storageTests()
{
    static QList<std::function<QObject *()>> tests;
    return tests;
}

} // namespace larch::server::conformance

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (!larch::initCrypto())
        return 1;
    int failed = 0;
    for (const auto &make : larch::server::conformance::storageTests()) {
        std::unique_ptr<QObject> test(make());
        failed += QTest::qExec(test.get(), argc, argv);
    }
    return failed == 0 ? 0 : 1;
}
