// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/app/AppSingleton.h"

#include <QJSEngine>

namespace larch {

AppController *AppSingleton::create(QQmlEngine *, QJSEngine *)
{
    AppController *app = AppController::forQml();
    if (!app) {
        qWarning("App is used before the app made its AppController");
        return nullptr;
    }
    // The app owns its controller: the engine must not delete it with itself.
    QJSEngine::setObjectOwnership(app, QJSEngine::CppOwnership);
    return app;
}

} // namespace larch
