// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The singleton App of Larch.Models: the app's one AppController, declared to QML and its tools.
#pragma once

#include "models/app/AppController.h"

#include <QQmlEngine>

namespace larch {

/// Declares AppController as the singleton App, so qmllint and the QML compiler know its properties and their types.
/// QML gets the controller the app made (AppController::forQml()), which stays owned by C++.
struct AppSingleton {
    Q_GADGET
    QML_FOREIGN(larch::AppController)
    QML_NAMED_ELEMENT(App)
    QML_SINGLETON
public:
    static AppController *create(QQmlEngine *qml, QJSEngine *js);
};

} // namespace larch
