// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <memory>

class QQuickWindow;
class QAbstractItemModel;
class AttachmentScene;

// Drives the app from the command line the way a person would: signs in through the form,
// optionally opens the newest conversation or a dialog, and for --screenshot saves the settled
// window as a PNG. A new staff device waiting for approval is a settled screen of its own.
class StartupScript : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString email; // signs in through the form when not empty
        QString password; // read from --password-file, never from the command line
        QString screenshotPath; // saves a PNG and quits when not empty
        bool openFirstConversation = false;
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

    StartupScript(QObject *app, QQuickWindow *window, Options options, QObject *parent = nullptr);
    ~StartupScript() override;

    // Begins polling the app's state; emits finished() when a screenshot was taken or failed.
    void start();

signals:
    void finished(int exitCode);

private:
    enum class Step { SignIn, WaitForSignIn, WaitForList, WaitForThread, ShowDialog, Onboarding, Settle, Done };

    void advance();
    bool fillSignInForm();
    // The screen the data asked for is on show: opens the dialog, if any, then settles.
    void screenReady();
    bool showDialog();
    // Drives patient onboarding to the requested step; true once it is on show.
    bool advanceOnboarding();
    bool showInviteScene();
    // Standard conversations: the '+' form, the thread's ⋮ menu, the consent dialog.
    bool showStandardScene();
    bool showPracticeLinks();
    // Attachments: the compose bar with chips and a refusal, or a viewer showing a decrypted file.
    bool showAttachmentScene();
    // Types the code another process wrote to onboardingCodeFile, once it is there; true when it was typed.
    bool typeCodeFromFile(QObject *onboarding);
    QAbstractItemModel *model(const char *property) const;
    void settleThenCapture();
    void capture();
    void fail(const QString &why);

    QObject *m_app;
    QQuickWindow *m_window;
    Options m_options;
    Step m_step = Step::SignIn;
    QTimer m_poll;
    QElapsedTimer m_elapsed;
    bool m_codeTyped = false;
    std::unique_ptr<AttachmentScene> m_attachmentScene;
};
