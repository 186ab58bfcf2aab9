// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SingleInstance: one Larch per local store. A second start hands its arguments to the running app and quits.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QLocalServer;

/// Keeps one running app per data folder: the first start listens on a local socket, later starts send their
/// arguments (e.g. an invitation link) over it and exit, so two processes never share one store and keychain.
class SingleInstance : public QObject {
    Q_OBJECT
public:
    /// key names the local store, e.g. its data folder; the socket name is derived from it and the user.
    explicit SingleInstance(const QString &key, QObject *parent = nullptr);

    /// The local socket's name for key.
    static QString serverName(const QString &key);

    /// What this process is after start().
    enum class Role {
        Primary, ///< the running app: listens for later starts (a crashed app's socket was removed)
        HandedOver, ///< another process owns the store and took the arguments: exit 0
        Busy, ///< another process owns the store but did not answer: exit with error()
    };
    /// Hands the arguments to the running app, or becomes the running app.
    Role start(const QStringList &arguments);
    /// One sentence on what went wrong and what to do (Busy, or Primary without a socket); "" otherwise.
    QString error() const { return m_error; }

signals:
    /// A later start asked for the window, with its arguments (possibly none).
    void activated(const QStringList &arguments);

private:
    enum class Sent { NobodyListens, Taken, NoAnswer };
    Sent sendToRunning(const QStringList &arguments);
    bool listen();
    void serve();

    QString m_name;
    QString m_error;
    QLocalServer *m_server = nullptr;
};
