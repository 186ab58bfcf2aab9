// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The `larch` app: parses flags, creates the app controller, and shows the `Larch` QML module.
#include "models/app/AppController.h"
#include "models/attachments/AttachmentImages.h"
#include "models/compose/ComposeImageProvider.h"
#include "models/practicelinks/QrCode.h"
#include "SingleInstance.h"
#include "StartupAttachments.h"
#include "StartupScript.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QIcon>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QTextStream>
#include <QtQml/QQmlExtensionPlugin>

#include <cstdlib>

Q_IMPORT_QML_PLUGIN(LarchPlugin)
Q_IMPORT_QML_PLUGIN(Larch_ModelsPlugin)

namespace {

[[noreturn]] void exitWithUsageError(const QString &message)
{
    QTextStream(stderr) << "larch: " << message << "\nRun larch --help for the list of options.\n";
    std::exit(2);
}

// Reads the first line of a password file, so the password never appears in a process list.
QString readPasswordFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        exitWithUsageError(QStringLiteral("cannot read the password file %1: %2").arg(path, file.errorString()));
    const QString content = QString::fromUtf8(file.readAll());
    const QString password = content.section(QLatin1Char('\n'), 0, 0).remove(QLatin1Char('\r'));
    if (password.isEmpty())
        exitWithUsageError(QStringLiteral("the password file %1 is empty").arg(path));
    return password;
}

QSize parseWindowSize(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{3,4})x(\\d{3,4})$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        exitWithUsageError(QStringLiteral("--window-size takes WIDTHxHEIGHT, e.g. 1280x800, not \"%1\"").arg(text));
    return {match.captured(1).toInt(), match.captured(2).toInt()};
}

// The app's flags; built once for --help (without a display) and once for a real start.
struct CommandLine {
    QCommandLineParser parser;
    const QCommandLineOption server{QStringLiteral("server"),
                                    QStringLiteral("Server address, e.g. https://larch.practice.example."),
                                    QStringLiteral("URL")};
    const QCommandLineOption email{QStringLiteral("email"),
                                   QStringLiteral("Sign in as this account at start (needs --password-file)."),
                                   QStringLiteral("EMAIL")};
    const QCommandLineOption passwordFile{QStringLiteral("password-file"),
                                          QStringLiteral("File whose first line is the password for --email."),
                                          QStringLiteral("FILE")};
    const QCommandLineOption openFirst{QStringLiteral("open-first-conversation"),
                                       QStringLiteral("After signing in, open the most recent conversation.")};
    const QCommandLineOption waitForApprovals{
        QStringLiteral("wait-for-approvals"),
        QStringLiteral("With --screenshot: wait until a colleague's new device asks for approval.")};
    const QCommandLineOption showDialog{
        QStringLiteral("show-dialog"),
        QStringLiteral("After signing in, open a dialog: safety-codes (needs --open-first-conversation), "
                       "recovery-key, recovery-key-created (creates a new recovery key and shows it), "
                       "new-conversation-menu, secure-conversation (see --invite-form), invitation-text, "
                       "invitation-region-error (saves the region ZZ), practice-links, "
                       "edit-contact (needs --open-first-conversation on an invited patient's conversation), "
                       "standard-conversation (see --invite-form), thread-menu or consent (both need "
                       "--open-first-conversation; consent on a standard conversation without consent); "
                       "with --open-first-conversation on a secure conversation: compose-attachments (adds a photo "
                       "and a PDF to the compose bar and drops a file it refuses), image-viewer, video-player or "
                       "pdf-viewer (opens the newest photo, video or PDF in the thread)."),
        QStringLiteral("NAME")};
    const QCommandLineOption onboarding{
        QStringLiteral("onboarding"),
        QStringLiteral("Show patient onboarding instead of sign-in, at a step: contact, code, wrong-code or name "
                       "(code steps send a code to --onboarding-contact; name types the code from "
                       "--onboarding-code-file)."),
        QStringLiteral("STEP")};
    const QCommandLineOption onboardingContact{
        QStringLiteral("onboarding-contact"), QStringLiteral("The phone number or email --onboarding asks a code for."),
        QStringLiteral("CONTACT")};
    const QCommandLineOption onboardingCodeFile{
        QStringLiteral("onboarding-code-file"),
        QStringLiteral("With --onboarding name: the file where the code sent to --onboarding-contact appears."),
        QStringLiteral("FILE")};
    const QCommandLineOption inviteForm{
        QStringLiteral("invite-form"),
        QStringLiteral("With --show-dialog secure-conversation or standard-conversation: what to type, "
                       "\"name|phone|email\"."),
        QStringLiteral("FIELDS")};
    const QCommandLineOption windowSize{
        QStringLiteral("window-size"),
        QStringLiteral("Initial window size, e.g. 1280x800 (desktop) or 390x844 (phone)."), QStringLiteral("WxH")};
    const QCommandLineOption screenshot{
        QStringLiteral("screenshot"),
        QStringLiteral("Save the window as a PNG once the screen has settled (signed in and loaded, or a "
                       "sign-in error shown), then quit."),
        QStringLiteral("FILE")};

    CommandLine()
    {
        parser.setApplicationDescription(QStringLiteral(
            "Larch: end-to-end encrypted conversations between a medical practice and its patients.\n\n"
            "Signing in from the command line (used for demos and screenshots):\n"
            "  larch --server http://127.0.0.1:8080 --email ben@birch.example --password-file FILE\n"
            "The password is read from the first line of FILE; it is never accepted on the command line.\n"
            "The server address may also come from the LARCH_SERVER_URL environment variable."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({server, email, passwordFile, openFirst, waitForApprovals, showDialog, onboarding,
                           onboardingContact, onboardingCodeFile, inviteForm, windowSize, screenshot});
        parser.addPositionalArgument(
            QStringLiteral("link"),
            QStringLiteral("An invitation link, larch://invite/<token>, or a Practice Link, larch://practice/<code> "
                           "or https://<server>/p/<code>: opens patient onboarding with it (in the Larch already "
                           "running on this data folder, if there is one)."),
            QStringLiteral("[larch://invite/TOKEN | larch://practice/CODE]"));
    }
};

void describeApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("Larch"));
    QCoreApplication::setOrganizationName(QStringLiteral("Larch"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LARCH_VERSION));
}

// --help and --version must work without a display, so they are answered before any GUI exists.
bool onlyAsksForHelp(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--help" || arg == "-h" || arg == "--help-all" || arg == "--version" || arg == "-v")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    if (onlyAsksForHelp(argc, argv)) {
        QCoreApplication app(argc, argv);
        describeApplication();
        CommandLine commandLine;
        commandLine.parser.process(app); // prints and exits
        return 0;
    }

    // A Widgets application so Larch can own a system tray icon and native file dialogs.
    QApplication app(argc, argv);
    describeApplication();
    QApplication::setDesktopFileName(QStringLiteral("larch"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));

    CommandLine commandLine;
    QCommandLineParser &parser = commandLine.parser;
    parser.process(app);

    StartupScript::Options script;
    script.email = parser.value(commandLine.email);
    script.screenshotPath = parser.value(commandLine.screenshot);
    script.openFirstConversation = parser.isSet(commandLine.openFirst);
    script.waitForApprovals = parser.isSet(commandLine.waitForApprovals);
    script.dialog = parser.value(commandLine.showDialog);
    script.onboarding = parser.value(commandLine.onboarding);
    script.onboardingContact = parser.value(commandLine.onboardingContact);
    script.onboardingCodeFile = parser.value(commandLine.onboardingCodeFile);
    script.inviteForm = parser.value(commandLine.inviteForm);
    if (!script.onboarding.isEmpty() && !StartupScript::onboardingSteps().contains(script.onboarding))
        exitWithUsageError(QStringLiteral("--onboarding takes one of %1, not \"%2\"")
                               .arg(StartupScript::onboardingSteps().join(QStringLiteral(", ")), script.onboarding));
    if (!script.dialog.isEmpty() && !StartupScript::dialogNames().contains(script.dialog))
        exitWithUsageError(QStringLiteral("--show-dialog takes one of %1, not \"%2\"")
                               .arg(StartupScript::dialogNames().join(QStringLiteral(", ")), script.dialog));
    if (script.onboarding == QLatin1String("name") && script.onboardingCodeFile.isEmpty())
        exitWithUsageError(QStringLiteral("--onboarding name needs --onboarding-code-file"));
    if (script.dialog == QLatin1String("edit-contact") && !script.openFirstConversation)
        exitWithUsageError(QStringLiteral("--show-dialog edit-contact needs --open-first-conversation"));
    if ((script.dialog == QLatin1String("thread-menu") || script.dialog == QLatin1String("consent"))
        && !script.openFirstConversation)
        exitWithUsageError(QStringLiteral("--show-dialog %1 needs --open-first-conversation").arg(script.dialog));
    if ((script.dialog == QLatin1String("safety-codes") || AttachmentScene::names().contains(script.dialog))
        && !script.openFirstConversation)
        exitWithUsageError(QStringLiteral("--show-dialog %1 needs --open-first-conversation").arg(script.dialog));
    if (!script.email.isEmpty() && !parser.isSet(commandLine.passwordFile))
        exitWithUsageError(QStringLiteral("--email needs --password-file"));
    if (parser.isSet(commandLine.passwordFile)) {
        if (script.email.isEmpty())
            exitWithUsageError(QStringLiteral("--password-file needs --email"));
        script.password = readPasswordFile(parser.value(commandLine.passwordFile));
    }
    QSize windowSize;
    if (parser.isSet(commandLine.windowSize))
        windowSize = parseWindowSize(parser.value(commandLine.windowSize));

    // The desktop file hands larch:// links over as the only argument (Exec=larch %u).
    const QStringList links = parser.positionalArguments();
    if (links.size() > 1)
        exitWithUsageError(QStringLiteral("give at most one invitation link"));
    if (!links.isEmpty() && larch::AppController::invitationToken(links.constFirst()).isEmpty()
        && larch::AppController::practiceLinkCode(links.constFirst()).isEmpty())
        exitWithUsageError(QStringLiteral("this is not an invitation link; expected larch://invite/<token> or "
                                          "larch://practice/<code>"));

    // One app per local store and keychain: a second start gives its link to the running app and quits.
    SingleInstance singleInstance(larch::LocalStore::defaultDataDir());
    switch (singleInstance.start(links)) {
    case SingleInstance::Role::HandedOver: return 0;
    case SingleInstance::Role::Busy: QTextStream(stderr) << "larch: " << singleInstance.error() << '\n'; return 1;
    case SingleInstance::Role::Primary:
        if (!singleInstance.error().isEmpty())
            QTextStream(stderr) << "larch: " << singleInstance.error() << '\n';
        break;
    }

    QQuickStyle::setStyle(QStringLiteral("Basic"));

    larch::AppController controller;
    if (parser.isSet(commandLine.server))
        controller.setServerUrl(parser.value(commandLine.server));
    if (!links.isEmpty())
        controller.openInvitationLink(links.constFirst());
    qmlRegisterSingletonInstance("Larch.Models", 1, 0, "App", &controller);

    QQmlApplicationEngine engine;
    // Practice Links' QR codes: image://qr/<percent-encoded link> (the engine owns the provider).
    engine.addImageProvider(QStringLiteral("qr"), new larch::QrImageProvider);
    // The compose bar's chips: image://compose/<key>, thumbnails made on this device before sending.
    engine.addImageProvider(QLatin1String(larch::ComposeImageProvider::Name), new larch::ComposeImageProvider);
    // Attachment thumbnails and opened photos: image://attachment/<id>, found by message id (keys stay in C++).
    engine.addImageProvider(QLatin1String(larch::AttachmentImages::ProviderName),
                            new larch::AttachmentImageProvider(controller.attachmentImages()));
    // Both static QML modules (Larch and Larch.Models) live in the resources under qrc:/.
    engine.addImportPath(QStringLiteral("qrc:/"));
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
        Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/Larch/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    if (!window)
        return 1;
    if (windowSize.isValid())
        window->resize(windowSize);
    window->requestActivate();
    // New messages in the open conversation count as read only while someone can see them.
    QObject::connect(window, &QWindow::activeChanged, &controller,
                     [window, &controller] { controller.setWindowActive(window->isActive()); });
    controller.setWindowActive(window->isActive());
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
                             controller.openInvitationLink(arguments.constFirst());
                     });

    StartupScript startup(&controller, window, script);
    QObject::connect(&startup, &StartupScript::finished, &app, &QCoreApplication::exit);
    startup.start();

    return app.exec();
}
