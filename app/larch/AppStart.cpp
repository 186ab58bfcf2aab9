// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppStart: the shared flags, and the controller and QML engine behind the Larch window.
#include "AppStart.h"

#include "models/app/AccountSession.h"
#include "models/attachments/AttachmentImages.h"
#include "models/compose/ComposeImageProvider.h"
#include "models/conversations/CurrentConversation.h"
#include "models/invites/LinkRouter.h"
#include "models/practicelinks/QrCode.h"

#include <QApplication>
#include <QFile>
#include <QIcon>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTextStream>
#include <QtQml/QQmlExtensionPlugin>

#include <cstdlib>

Q_IMPORT_QML_PLUGIN(LarchPlugin)
Q_IMPORT_QML_PLUGIN(Larch_ModelsPlugin)

namespace {

void describeApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("Larch"));
    QCoreApplication::setOrganizationName(QStringLiteral("Larch"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LARCH_VERSION));
}

} // namespace

AppCommandLine::AppCommandLine(QString program, const QString &description)
    : m_program(std::move(program)),
      m_server(QStringLiteral("server"), QStringLiteral("Server address, e.g. https://larch.practice.example."),
               QStringLiteral("URL")),
      m_email(QStringLiteral("email"), QStringLiteral("Sign in as this account at start (needs --password-file)."),
              QStringLiteral("EMAIL")),
      m_passwordFile(QStringLiteral("password-file"),
                     QStringLiteral("File whose first line is the password for --email."), QStringLiteral("FILE")),
      m_openFirst(QStringLiteral("open-first-conversation"),
                  QStringLiteral("After signing in, open the most recent conversation."))
{
    m_parser.setApplicationDescription(description);
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addOptions({m_server, m_email, m_passwordFile, m_openFirst});
    m_parser.addPositionalArgument(
        QStringLiteral("link"),
        QStringLiteral("An invitation link, larch://invite/<token>, or a Practice Link, larch://practice/<code> "
                       "or https://<server>/p/<code>: opens patient onboarding with it."),
        QStringLiteral("[larch://invite/TOKEN | larch://practice/CODE]"));
}

void AppCommandLine::answerHelp(int &argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--help" || arg == "-h" || arg == "--help-all" || arg == "--version" || arg == "-v") {
            QCoreApplication app(argc, argv);
            describeApplication();
            m_parser.process(app); // prints and exits
            std::exit(0);
        }
    }
}

void AppCommandLine::usageError(const QString &message) const
{
    QTextStream(stderr) << m_program << ": " << message << "\nRun " << m_program
                        << " --help for the list of options.\n";
    std::exit(2);
}

AppCommandLine::Start AppCommandLine::process(QApplication &app)
{
    describeApplication();
    m_parser.process(app);

    Start start;
    start.serverUrl = m_parser.value(m_server);
    start.email = m_parser.value(m_email);
    start.openFirstConversation = m_parser.isSet(m_openFirst);
    if (!start.email.isEmpty() && !m_parser.isSet(m_passwordFile))
        usageError(QStringLiteral("--email needs --password-file"));
    if (m_parser.isSet(m_passwordFile)) {
        if (start.email.isEmpty())
            usageError(QStringLiteral("--password-file needs --email"));
        // Only the first line, so the password never appears in a process list.
        const QString path = m_parser.value(m_passwordFile);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            usageError(QStringLiteral("cannot read the password file %1: %2").arg(path, file.errorString()));
        start.password = QString::fromUtf8(file.readAll()).section(QLatin1Char('\n'), 0, 0).remove(QLatin1Char('\r'));
        if (start.password.isEmpty())
            usageError(QStringLiteral("the password file %1 is empty").arg(path));
    }

    // The desktop file hands larch:// links over as the only argument (Exec=larch %u).
    start.links = m_parser.positionalArguments();
    if (start.links.size() > 1)
        usageError(QStringLiteral("give at most one invitation link"));
    if (!start.links.isEmpty() && larch::LinkRouter::invitationToken(start.links.constFirst()).isEmpty()
        && larch::LinkRouter::practiceLinkCode(start.links.constFirst()).isEmpty())
        usageError(QStringLiteral("this is not an invitation link; expected larch://invite/<token> or "
                                  "larch://practice/<code>"));
    return start;
}

AppWindow::AppWindow(const AppCommandLine::Start &start)
{
    QApplication::setDesktopFileName(QStringLiteral("larch"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));
    QQuickStyle::setStyle(QStringLiteral("Basic"));

    if (!start.serverUrl.isEmpty())
        m_controller.session()->setServerUrl(start.serverUrl);
    if (!start.links.isEmpty())
        m_controller.links()->open(start.links.constFirst());

    // Practice Links' QR codes: image://qr/<percent-encoded link> (the engine owns the provider).
    m_engine.addImageProvider(QStringLiteral("qr"), new larch::QrImageProvider);
    // The compose bar's chips: image://compose/<key>, thumbnails made on this device before sending.
    m_engine.addImageProvider(QLatin1String(larch::ComposeImageProvider::Name), new larch::ComposeImageProvider);
    // Attachment thumbnails and opened photos: image://attachment/<id>, found by message id (keys stay in C++).
    m_engine.addImageProvider(QLatin1String(larch::AttachmentImages::ProviderName),
                              new larch::AttachmentImageProvider(m_controller.attachmentImages()));
    // Both static QML modules (Larch and Larch.Models) live in the resources under qrc:/.
    m_engine.addImportPath(QStringLiteral("qrc:/"));
    QObject::connect(
        &m_engine, &QQmlApplicationEngine::objectCreationFailed, qApp, [] { QCoreApplication::exit(1); },
        Qt::QueuedConnection);
}

bool AppWindow::load()
{
    m_engine.load(QUrl(QStringLiteral("qrc:/Larch/Main.qml")));
    if (m_engine.rootObjects().isEmpty())
        return false;
    m_window = qobject_cast<QQuickWindow *>(m_engine.rootObjects().constFirst());
    if (!m_window)
        return false;
    m_window->requestActivate();
    // New messages in the open conversation count as read only while someone can see them.
    QQuickWindow *window = m_window;
    QObject::connect(window, &QWindow::activeChanged, &m_controller,
                     [window, this] { m_controller.current()->setWindowActive(window->isActive()); });
    m_controller.current()->setWindowActive(window->isActive());
    return true;
}
