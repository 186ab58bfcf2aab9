// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppStart: what every program that shows the Larch window shares: its flags, the controller and the QML engine.
#pragma once

#include "models/app/AppController.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QQmlApplicationEngine>
#include <QString>
#include <QStringList>

class QApplication;
class QQuickWindow;

/// The flags of a start of the Larch window: --server, --email with --password-file, --open-first-conversation
/// and one larch:// link. A program adds options of its own to parser() before process().
class AppCommandLine {
public:
    /// What the shared flags asked for.
    struct Start {
        QString serverUrl; // "" keeps the address the app knows (LARCH_SERVER_URL, the last one used)
        QString email; // signs in through the form when not empty
        QString password; // read from --password-file, never from the command line
        bool openFirstConversation = false;
        QStringList links; // at most one invitation or Practice Link
    };

    /// program names the executable in usage errors; description opens --help.
    AppCommandLine(QString program, const QString &description);

    QCommandLineParser &parser() { return m_parser; }
    const QCommandLineParser &parser() const { return m_parser; }

    /// Answers --help and --version without a display, then exits; returns when the arguments ask for more.
    void answerHelp(int &argc, char **argv);

    /// Names the application (its settings and data folders follow), reads the arguments and the password file,
    /// and returns the shared flags; a wrong flag exits 2 with a sentence.
    Start process(QApplication &app);

    /// Prints "<program>: message" and where the options are listed, and exits 2.
    [[noreturn]] void usageError(const QString &message) const;

private:
    QString m_program;
    QCommandLineParser m_parser;
    const QCommandLineOption m_server;
    const QCommandLineOption m_email;
    const QCommandLineOption m_passwordFile;
    const QCommandLineOption m_openFirst;
};

/// The app controller and the QML engine showing the `Larch` module's Main.qml, set up as a start asked: the
/// server address, a link opened, and whether the window is active fed to the controller.
class AppWindow {
public:
    explicit AppWindow(const AppCommandLine::Start &start);

    /// Creates the window and asks for it to be active; false when the QML could not be loaded.
    bool load();

    larch::AppController &controller() { return m_controller; }
    QQuickWindow *window() const { return m_window; }

private:
    larch::AppController m_controller;
    QQmlApplicationEngine m_engine; // goes before the controller its objects use
    QQuickWindow *m_window = nullptr;
};
