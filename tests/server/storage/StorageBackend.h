// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The storage conformance suite's only tie to a backend: each backend's test executable defines openFreshStorage.
#pragma once

#include "server/storage/Storage.h"

#include <functional>
#include <memory>
#include <QObject>

namespace larch::server::conformance {

/// A new, empty store of the backend under test, schema applied. The suite calls it once per test.
std::unique_ptr<Storage> openFreshStorage();

/// The conformance test classes, each made on demand; a test file registers its class with LARCH_STORAGE_TEST.
QList<std::function<QObject *()>> &storageTests();

/// Registers a conformance test class when the executable starts.
struct StorageTestRegistration {
    explicit StorageTestRegistration(std::function<QObject *()> make) { storageTests().append(std::move(make)); }
};

} // namespace larch::server::conformance

#define LARCH_STORAGE_TEST(Class)                                                                                      \
    static const larch::server::conformance::StorageTestRegistration registration##Class([] { return new Class; });
