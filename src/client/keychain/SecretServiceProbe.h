// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace larch {

// Asks the freedesktop Secret Service whether an entry, or the collection new entries go to, is
// locked. QtKeychain reports a locked entry as "not found", and acting on that would make new
// device keys over existing ones.
class SecretServiceProbe {
public:
    enum class Finding {
        NoService, // no session bus, or no Secret Service on it (e.g. KWallet without it)
        Locked, // a matching entry is locked, or the default collection is locked
        Open, // the service answered and nothing relevant is locked
        Failed // the service was there but did not answer properly: `detail` says how
    };
    using Done = std::function<void(Finding finding, const QString &detail)>;

    // Looks for entries filed by QtKeychain under `service` and `account`. `done` runs from the
    // event loop of `context`'s thread, and not at all once `context` is destroyed.
    static void inspect(const QString &service, const QString &account, QObject *context, Done done);
};

} // namespace larch
