// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A tiny app around SingleInstance for tst_client_single_instance: prints what happens on stdout.
#include "SingleInstance.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList arguments = app.arguments().mid(1);
    if (arguments.isEmpty())
        return 2;
    const QString key = arguments.takeFirst();
    SingleInstance instance(key);
    QTextStream out(stdout);
    switch (instance.start(arguments)) {
    case SingleInstance::Role::HandedOver: out << "handed-over" << Qt::endl; return 0;
    case SingleInstance::Role::Busy: out << "busy" << Qt::endl; return 1;
    case SingleInstance::Role::Primary: break;
    }
    if (!instance.error().isEmpty()) {
        out << "error" << Qt::endl;
        return 1;
    }
    out << "listening" << Qt::endl;
    QObject::connect(&instance, &SingleInstance::activated, &app, [&out](const QStringList &received) {
        out << "received " << received.join(QLatin1Char(' ')) << Qt::endl;
    });
    return app.exec();
}
