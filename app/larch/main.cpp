// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The `larch` app: parses flags, creates the app controller, and shows the `Larch` QML module.
#include "AppStart.h"
#include "client/store/LocalStore.h"
#include "models/app/AppController.h"
#include "models/conversations/CurrentConversation.h"
#include "models/invites/LinkRouter.h"
#include "SingleInstance.h"
#include "StartupSignIn.h"

#include <QApplication>
#include <QQuickWindow>
#include <QTextStream>

int main(int argc, char *argv[])
{
    AppCommandLine commandLine(
        QStringLiteral("larch"),
        QStringLiteral("Larch: end-to-end encrypted conversations between a medical practice and its patients.\n\n"
                       "Signing in from the command line (used for demos):\n"
                       "  larch --server http://127.0.0.1:8080 --email ben@birch.example --password-file FILE\n"
                       "The password is read from the first line of FILE; it is never accepted on the command "
                       "line.\nThe server address may also come from the LARCH_SERVER_URL environment variable.\n"
                       "Larch runs once per data folder: a link given to a second start opens in the running one."));
    commandLine.answerHelp(argc, argv);

    // A Widgets application so Larch can own a system tray icon and native file dialogs.
    QApplication app(argc, argv);
    const AppCommandLine::Start start = commandLine.process(app);

    // One app per local store and keychain: a second start gives its link to the running app and quits.
    SingleInstance singleInstance(larch::LocalStore::defaultDataDir());
    switch (singleInstance.start(start.links)) {
    case SingleInstance::Role::HandedOver: return 0;
    case SingleInstance::Role::Busy: QTextStream(stderr) << "larch: " << singleInstance.error() << '\n'; return 1;
    case SingleInstance::Role::Primary:
        if (!singleInstance.error().isEmpty())
            QTextStream(stderr) << "larch: " << singleInstance.error() << '\n';
        break;
    }

    AppWindow shown(start);
    if (!shown.load())
        return 1;
    QQuickWindow *window = shown.window();
    larch::AppController &controller = shown.controller();
    // A second start (e.g. an invitation link clicked while Larch runs): bring the window forward, open the link.
    QObject::connect(&singleInstance, &SingleInstance::activated, &controller,
                     [window, &controller](const QStringList &arguments) {
                         if (window->windowStates() & Qt::WindowMinimized)
                             window->showNormal();
                         else
                             window->show();
                         window->raise();
                         window->requestActivate();
                         window->alert(0);
                         if (!arguments.isEmpty())
                             controller.links()->open(arguments.constFirst());
                     });

    // --email and --password-file sign in through the form, as a person would; then --open-first-conversation.
    StartupSignIn signIn(&controller, window, start.email, start.password, start.openFirstConversation);
    if (!start.email.isEmpty() || start.openFirstConversation)
        signIn.start();

    return app.exec();
}
