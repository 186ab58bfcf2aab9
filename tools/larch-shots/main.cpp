// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// larch-shots: the Larch window driven to a scene from its flags and saved as a PNG, for the docs' screenshots.
#include "AppStart.h"
#include "StartupAttachments.h"
#include "StartupScript.h"

#include <QApplication>
#include <QQuickWindow>
#include <QRegularExpression>

namespace {

// The scene flags, on top of the app's own (AppCommandLine): a name, the name of its value ("" for a switch), and
// what --help says of it.
struct SceneFlag {
    const char *name;
    const char *value;
    const char *help;
};
constexpr SceneFlag kSceneFlags[] = {
    {"wait-for-approvals", "", "With --screenshot: wait until a colleague's new device asks for approval."},
    {"show-dialog", "NAME",
     "After signing in, open a dialog: safety-codes (needs --open-first-conversation), recovery-key, "
     "recovery-key-created (creates a new recovery key and shows it), new-conversation-menu, secure-conversation "
     "(see --invite-form), invitation-text, invitation-region-error (saves the region ZZ), practice-links, "
     "edit-contact (needs --open-first-conversation on an invited patient's conversation), standard-conversation "
     "(see --invite-form), thread-menu or consent (both need --open-first-conversation; consent on a standard "
     "conversation without consent); with --open-first-conversation on a secure conversation: compose-attachments "
     "(adds a photo and a PDF to the compose bar and drops a file it refuses), image-viewer, video-player or "
     "pdf-viewer (opens the newest photo, video or PDF in the thread)."},
    {"onboarding", "STEP",
     "Show patient onboarding instead of sign-in, at a step: contact, code, wrong-code or name (code steps send a "
     "code to --onboarding-contact; name types the code from --onboarding-code-file)."},
    {"onboarding-contact", "CONTACT", "The phone number or email --onboarding asks a code for."},
    {"onboarding-code-file", "FILE",
     "With --onboarding name: the file where the code sent to --onboarding-contact appears."},
    {"invite-form", "FIELDS",
     "With --show-dialog secure-conversation or standard-conversation: what to type, \"name|phone|email\"."},
    {"window-size", "WxH", "Initial window size, e.g. 1280x800 (desktop) or 390x844 (phone)."},
    {"screenshot", "FILE",
     "Save the window as a PNG once the screen has settled (signed in and loaded, or a sign-in error shown), then "
     "quit."},
};

// Adds the scene flags to the parser, and reads the scene they ask for.
struct SceneOptions {
    explicit SceneOptions(QCommandLineParser &parser)
    {
        for (const SceneFlag &flag : kSceneFlags) {
            const QString name = QString::fromLatin1(flag.name);
            const QString help = QString::fromUtf8(flag.help);
            parser.addOption(*flag.value ? QCommandLineOption(name, help, QString::fromLatin1(flag.value))
                                         : QCommandLineOption(name, help));
        }
    }

    // The scene the flags ask for; a scene that cannot be reached exits 2 with a sentence.
    StartupScript::Options read(const AppCommandLine &commandLine, const AppCommandLine::Start &start) const
    {
        const QCommandLineParser &parser = commandLine.parser();
        StartupScript::Options script;
        script.screenshotPath = parser.value(QStringLiteral("screenshot"));
        script.waitForApprovals = parser.isSet(QStringLiteral("wait-for-approvals"));
        script.dialog = parser.value(QStringLiteral("show-dialog"));
        script.onboarding = parser.value(QStringLiteral("onboarding"));
        script.onboardingContact = parser.value(QStringLiteral("onboarding-contact"));
        script.onboardingCodeFile = parser.value(QStringLiteral("onboarding-code-file"));
        script.inviteForm = parser.value(QStringLiteral("invite-form"));
        if (!script.onboarding.isEmpty() && !StartupScript::onboardingSteps().contains(script.onboarding))
            commandLine.usageError(
                QStringLiteral("--onboarding takes one of %1, not \"%2\"")
                    .arg(StartupScript::onboardingSteps().join(QStringLiteral(", ")), script.onboarding));
        if (!script.dialog.isEmpty() && !StartupScript::dialogNames().contains(script.dialog))
            commandLine.usageError(QStringLiteral("--show-dialog takes one of %1, not \"%2\"")
                                       .arg(StartupScript::dialogNames().join(QStringLiteral(", ")), script.dialog));
        if (script.onboarding == QLatin1String("name") && script.onboardingCodeFile.isEmpty())
            commandLine.usageError(QStringLiteral("--onboarding name needs --onboarding-code-file"));
        const QStringList inThread = QStringList{QStringLiteral("safety-codes"), QStringLiteral("edit-contact"),
                                                 QStringLiteral("thread-menu"), QStringLiteral("consent")}
            + AttachmentScene::names();
        if (inThread.contains(script.dialog) && !start.openFirstConversation)
            commandLine.usageError(
                QStringLiteral("--show-dialog %1 needs --open-first-conversation").arg(script.dialog));
        return script;
    }

    // --window-size as a size; invalid when not given.
    QSize size(const AppCommandLine &commandLine) const
    {
        const QString text = commandLine.parser().value(QStringLiteral("window-size"));
        if (text.isEmpty())
            return {};
        static const QRegularExpression pattern(QStringLiteral("^(\\d{3,4})x(\\d{3,4})$"));
        const auto match = pattern.match(text);
        if (!match.hasMatch())
            commandLine.usageError(
                QStringLiteral("--window-size takes WIDTHxHEIGHT, e.g. 1280x800, not \"%1\"").arg(text));
        return {match.captured(1).toInt(), match.captured(2).toInt()};
    }
};

} // namespace

int main(int argc, char *argv[])
{
    AppCommandLine commandLine(
        QStringLiteral("larch-shots"),
        QStringLiteral("larch-shots: the Larch window, driven to a scene the way a person would and saved as a PNG "
                       "(packaging/screenshots.sh).\n\n"
                       "  larch-shots --server URL --email ben@birch.example --password-file FILE \\\n"
                       "    --open-first-conversation --window-size 1280x800 --screenshot home.png\n"
                       "Give it a data folder of its own (LARCH_CLIENT_DATA_DIR): it does not hand over to a Larch "
                       "already running on one."));
    const SceneOptions scene(commandLine.parser());
    commandLine.answerHelp(argc, argv);

    QApplication app(argc, argv);
    const AppCommandLine::Start start = commandLine.process(app);
    const StartupScript::Options options = scene.read(commandLine, start);
    const QSize windowSize = scene.size(commandLine);

    AppWindow shown(start);
    if (!shown.load())
        return 1;
    if (windowSize.isValid())
        shown.window()->resize(windowSize);

    StartupScript script(&shown.controller(), shown.window(), start, options);
    QObject::connect(&script, &StartupScript::finished, &app, &QCoreApplication::exit);
    script.start();
    return app.exec();
}
