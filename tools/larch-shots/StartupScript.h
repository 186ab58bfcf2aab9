// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// StartupScript: larch-shots' scene, driven the way a person would, and the picture of it.
#pragma once

#include "AppStart.h"
#include "StartupSignIn.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <memory>

class QQuickWindow;
class AttachmentScene;
class AuditScene;

namespace larch {
class AppController;
class PatientOnboarding;
} // namespace larch

// Drives the app from the command line the way a person would: signs in through the form (StartupSignIn),
// optionally opens the newest conversation, then a dialog or a step of patient onboarding, and for --screenshot
// saves the settled window as a PNG. A new staff device waiting for approval is a settled screen of its own.
class StartupScript : public QObject {
    Q_OBJECT
public:
    // The scene beyond what AppCommandLine::Start asks for (the account, the most recent conversation).
    struct Options {
        QString screenshotPath; // saves a PNG and quits when not empty
        bool waitForApprovals = false; // settles only once a colleague's device waits for approval
        QString dialog; // one of dialogNames()
        // Patient onboarding instead of sign-in: "contact" (the first step), "code" (a code was sent to
        // onboardingContact), "wrong-code" (then 000000 was typed) or "name" (the code from
        // onboardingCodeFile was typed and a new account asks for the patient's name).
        QString onboarding;
        QString onboardingContact;
        QString onboardingCodeFile;
        // With the "secure-conversation" and "standard-conversation" dialogs: what is typed into the form,
        // "name|phone|email" (standard: a phone makes an SMS conversation, else an email one).
        QString inviteForm;
    };

    // The steps --onboarding accepts.
    static QStringList onboardingSteps();

    // The names --show-dialog accepts.
    static QStringList dialogNames();

    StartupScript(larch::AppController *app, QQuickWindow *window, const AppCommandLine::Start &start, Options options,
                  QObject *parent = nullptr);
    ~StartupScript() override;

    // Begins polling the app's state; emits finished() when a screenshot was taken or failed.
    void start();

signals:
    void finished(int exitCode);

private:
    enum class Step { SignIn, WaitForApprovals, ShowDialog, Onboarding, Settle, Done };

    void advance();
    // Where signing in ended: the screen to picture, or the start of the scene.
    void signedIn(StartupSignIn::Outcome outcome);
    // The screen the data asked for is on show: opens the dialog, if any, then settles.
    void screenReady();
    // The scene is on show: its picture once it settled (--screenshot), else the script is done.
    void sceneShown();
    bool showDialog();
    // Drives patient onboarding to the requested step; true once it is on show.
    bool advanceOnboarding();
    // Calls method on the window's item named objectName, once it is there (and its shownWhen property is true,
    // when given); true when it was called.
    bool press(const QString &objectName, const char *method, const char *shownWhen = nullptr);
    bool showInviteScene();
    // Standard conversations: the '+' form, the thread's ⋮ menu, the consent dialog.
    bool showStandardScene();
    bool showPracticeLinks();
    // Attachments: the compose bar with chips and a refusal, or a viewer showing a decrypted file.
    bool showAttachmentScene();
    // Types the code another process wrote to onboardingCodeFile, once it is there; true when it was typed.
    bool typeCodeFromFile(larch::PatientOnboarding *onboarding);
    void settleThenCapture();
    void capture();
    void fail(const QString &why);

    larch::AppController *m_app;
    QQuickWindow *m_window;
    Options m_options;
    Step m_step = Step::SignIn;
    StartupSignIn m_signIn;
    QTimer m_poll;
    QElapsedTimer m_elapsed;
    bool m_codeTyped = false;
    std::unique_ptr<AttachmentScene> m_attachmentScene;
    std::unique_ptr<AuditScene> m_auditScene;
};
