// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// StartupScript: signs in, reaches the scene asked for (a dialog, an onboarding step) and saves its picture.
#include "StartupScript.h"

#include "models/app/AccountSession.h"
#include "models/app/AppController.h"
#include "models/conversations/CurrentConversation.h"
#include "models/invites/LinkRouter.h"
#include "models/invites/PatientOnboarding.h"
#include "models/security/DeviceSecurity.h"
#include "models/security/PendingDeviceModel.h"
#include "StartupAttachments.h"
#include "StartupAudit.h"

#include <QAbstractItemModel>
#include <QCursor>
#include <QFile>
#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QScreen>
#include <QTextStream>

namespace {
// How long the app may take to reach the requested screen before the script gives up.
constexpr int kTimeoutMs = 30000;
// Time left for transitions, fonts and images after the data is in, so the picture is final.
constexpr int kSettleMs = 1200;

} // namespace

StartupScript::StartupScript(larch::AppController *app, QQuickWindow *window, const AppCommandLine::Start &start,
                             Options options, QObject *parent)
    : QObject(parent), m_app(app), m_window(window), m_options(std::move(options)),
      m_signIn(app, window, start.email, start.password, start.openFirstConversation)
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &StartupScript::advance);
    connect(&m_signIn, &StartupSignIn::settled, this, &StartupScript::signedIn);
}

StartupScript::~StartupScript() = default;

QStringList StartupScript::dialogNames()
{
    return QStringList{QStringLiteral("safety-codes"),
                       QStringLiteral("recovery-key"),
                       QStringLiteral("recovery-key-created"),
                       QStringLiteral("new-conversation-menu"),
                       QStringLiteral("secure-conversation"),
                       QStringLiteral("invitation-text"),
                       QStringLiteral("invitation-region-error"),
                       QStringLiteral("edit-contact"),
                       QStringLiteral("practice-links"),
                       QStringLiteral("standard-conversation"),
                       QStringLiteral("thread-menu"),
                       QStringLiteral("consent"),
                       QStringLiteral("identity-warning"),
                       QStringLiteral("identity-check")}
    + AttachmentScene::names() + AuditScene::names();
}

QStringList StartupScript::onboardingSteps()
{
    return {QStringLiteral("contact"), QStringLiteral("code"), QStringLiteral("wrong-code"), QStringLiteral("name")};
}

void StartupScript::start()
{
    m_elapsed.start();
    m_poll.start();
    // Patient onboarding starts from the sign-in page; everything else signs in first.
    if (!m_options.onboarding.isEmpty())
        m_step = Step::Onboarding;
    else
        m_signIn.start();
}

void StartupScript::signedIn(StartupSignIn::Outcome outcome)
{
    // The sign-in page (plain or with its error) or the pending-device page: the picture as it is.
    if (outcome != StartupSignIn::Outcome::ConversationsShown)
        sceneShown();
    else if (m_options.waitForApprovals)
        m_step = Step::WaitForApprovals;
    else
        screenReady();
}

void StartupScript::advance()
{
    const bool screenshot = !m_options.screenshotPath.isEmpty();
    if (m_step != Step::Done && screenshot && m_elapsed.elapsed() > kTimeoutMs) {
        fail(QStringLiteral("the app did not reach the requested screen in time"));
        return;
    }

    switch (m_step) {
    case Step::WaitForApprovals: {
        // A colleague's new device asking for approval: the banner is the picture.
        auto *pending = m_app->security()->pendingDevices();
        if (pending && pending->rowCount() > 0)
            screenReady();
        break;
    }
    case Step::ShowDialog:
        if (showDialog())
            sceneShown();
        break;
    case Step::Onboarding:
        if (advanceOnboarding())
            sceneShown();
        break;
    case Step::SignIn: // StartupSignIn reports through signedIn()
    case Step::Settle:
    case Step::Done: break;
    }
}

void StartupScript::screenReady()
{
    if (!m_options.dialog.isEmpty())
        m_step = Step::ShowDialog;
    else
        sceneShown();
}

void StartupScript::sceneShown()
{
    if (!m_options.screenshotPath.isEmpty()) {
        settleThenCapture();
    } else {
        m_step = Step::Done;
        m_poll.stop();
    }
}

bool StartupScript::advanceOnboarding()
{
    auto *onboarding = qobject_cast<larch::PatientOnboarding *>(m_app->onboarding());
    if (!onboarding)
        return false;
    // An invitation link shows the join page by itself; otherwise press "Join as a patient".
    if (!m_app->links()->opened())
        m_window->setProperty("joining", true);
    const QString step = onboarding->step();
    if (onboarding->busy())
        return false;
    if (m_options.onboarding == QLatin1String("contact"))
        return m_window->findChild<QObject *>(QStringLiteral("joinForm")) != nullptr;
    if (step == QLatin1String("contact")) {
        if (!onboarding->error().isEmpty())
            return true; // the screen says what went wrong: that is the picture
        if (onboarding->contact() != m_options.onboardingContact) {
            onboarding->setContact(m_options.onboardingContact);
            onboarding->requestCode();
        }
        return false;
    }
    if (m_options.onboarding == QLatin1String("code"))
        return step == QLatin1String("code");
    if (m_options.onboarding == QLatin1String("name")) {
        if (step == QLatin1String("name"))
            return true;
        if (!m_codeTyped)
            m_codeTyped = typeCodeFromFile(onboarding);
        return !onboarding->error().isEmpty(); // a refused code is the picture then
    }
    if (onboarding->errorKind().isEmpty()) {
        if (auto *field = m_window->findChild<QObject *>(QStringLiteral("codeField")))
            field->setProperty("text", QStringLiteral("000000"));
        onboarding->verify(QStringLiteral("000000"));
        return false;
    }
    return true;
}

bool StartupScript::typeCodeFromFile(larch::PatientOnboarding *onboarding)
{
    QFile file(m_options.onboardingCodeFile);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QString code = QString::fromLatin1(file.readAll()).trimmed();
    if (code.size() != 6)
        return false;
    if (auto *field = m_window->findChild<QObject *>(QStringLiteral("codeField")))
        field->setProperty("text", code);
    onboarding->verify(code);
    return true;
}

bool StartupScript::press(const QString &objectName, const char *method, const char *shownWhen)
{
    QObject *item = m_window->findChild<QObject *>(objectName);
    if (!item || (shownWhen && !item->property(shownWhen).toBool()))
        return false;
    QMetaObject::invokeMethod(item, method);
    return true;
}

bool StartupScript::showInviteScene()
{
    QObject *pane = m_window->findChild<QObject *>(QStringLiteral("conversationsPane"));
    if (!pane)
        return false;
    if (m_options.dialog == QLatin1String("new-conversation-menu"))
        return press(QStringLiteral("newConversationButton"), "openMenu");
    // "Edit contact" on the open conversation's invitation banner, pressed as a person would.
    if (m_options.dialog == QLatin1String("edit-contact"))
        return press(QStringLiteral("editContactButton"), "clicked", "visible");
    if (m_options.dialog == QLatin1String("invitation-text")
        || m_options.dialog == QLatin1String("invitation-region-error")) {
        QObject *dialog = m_window->findChild<QObject *>(QStringLiteral("invitationTextDialog"));
        if (!dialog)
            return false;
        QMetaObject::invokeMethod(dialog, "open");
        if (m_options.dialog == QLatin1String("invitation-region-error")) {
            // A region the server does not know, typed and saved as a person would: its sentence shows.
            QTimer::singleShot(800, this, [this] {
                QObject *region = m_window->findChild<QObject *>(QStringLiteral("regionField"));
                QObject *save = m_window->findChild<QObject *>(QStringLiteral("saveInvitationTextButton"));
                if (!region || !save)
                    return;
                region->setProperty("text", QStringLiteral("ZZ"));
                QMetaObject::invokeMethod(save, "clicked");
            });
        }
        return true;
    }
    // The form as a person fills it: typed values, then "Create and invite" so every sentence shows.
    QObject *invite = m_app->property("invite").value<QObject *>();
    if (!invite)
        return false;
    const QStringList fields = m_options.inviteForm.split(u'|');
    invite->setProperty("patientName", fields.value(0));
    invite->setProperty("phone", fields.value(1));
    invite->setProperty("email", fields.value(2));
    QMetaObject::invokeMethod(pane, "showSecureConversation");
    QMetaObject::invokeMethod(invite, "checkNow");
    QTimer::singleShot(800, invite, [invite] { QMetaObject::invokeMethod(invite, "create"); });
    return true;
}

bool StartupScript::showPracticeLinks()
{
    // "Practice Links…" from the account menu; the picture waits for the list (its QR codes then settle).
    QObject *pane = m_window->findChild<QObject *>(QStringLiteral("conversationsPane"));
    QObject *links = m_app->property("practiceLinks").value<QObject *>();
    if (!pane || !links)
        return false;
    QMetaObject::invokeMethod(pane, "showPracticeLinks");
    return links->property("loaded").toBool() && !links->property("busy").toBool();
}

bool StartupScript::showStandardScene()
{
    if (m_options.dialog == QLatin1String("thread-menu"))
        return press(QStringLiteral("threadHeader"), "openMenu", "hasMenu");
    // "Record consent" on the open standard conversation's banner, pressed as a person would.
    if (m_options.dialog == QLatin1String("consent"))
        return press(QStringLiteral("consentStripButton"), "clicked", "visible");
    // '+' → "Text Message (SMS)" (or "Email" when only an address is given), typed as a person would,
    // then "Create conversation" so the server's answer shows.
    QObject *pane = m_window->findChild<QObject *>(QStringLiteral("conversationsPane"));
    QObject *form = m_app->property("standardForm").value<QObject *>();
    if (!pane || !form)
        return false;
    const QStringList fields = m_options.inviteForm.split(u'|');
    const bool email = fields.value(1).isEmpty() && !fields.value(2).isEmpty();
    QMetaObject::invokeMethod(pane, "showStandardConversation",
                              Q_ARG(QVariant, email ? QStringLiteral("email") : QStringLiteral("sms")));
    form->setProperty("name", fields.value(0));
    form->setProperty("contact", email ? fields.value(2) : fields.value(1));
    QMetaObject::invokeMethod(form, "checkNow");
    QTimer::singleShot(800, form, [form] { QMetaObject::invokeMethod(form, "create"); });
    return true;
}

bool StartupScript::showAttachmentScene()
{
    if (!m_attachmentScene)
        m_attachmentScene = std::make_unique<AttachmentScene>(m_app, m_window, m_options.dialog);
    if (m_attachmentScene->advance())
        return true;
    if (!m_attachmentScene->error().isEmpty())
        fail(m_attachmentScene->error());
    return false;
}

bool StartupScript::showDialog()
{
    if (AttachmentScene::names().contains(m_options.dialog))
        return showAttachmentScene();
    if (AuditScene::names().contains(m_options.dialog)) {
        if (!m_auditScene)
            m_auditScene = std::make_unique<AuditScene>(m_app, m_window, m_options.dialog);
        return m_auditScene->advance();
    }
    if (m_options.dialog == QLatin1String("standard-conversation") || m_options.dialog == QLatin1String("thread-menu")
        || m_options.dialog == QLatin1String("consent"))
        return showStandardScene();
    if (m_options.dialog == QLatin1String("practice-links"))
        return showPracticeLinks();
    // A patient's thread once the practice's identity changed: the warning is the picture, or the check dialog that
    // "Check the code" opens, pressed as a person would.
    if (m_options.dialog == QLatin1String("identity-warning")) {
        QObject *banner = m_window->findChild<QObject *>(QStringLiteral("identityWarningBanner"));
        return banner && banner->property("visible").toBool();
    }
    if (m_options.dialog == QLatin1String("identity-check"))
        return press(QStringLiteral("checkIdentityButton"), "clicked", "visible");
    if (m_options.dialog == QLatin1String("new-conversation-menu")
        || m_options.dialog == QLatin1String("secure-conversation")
        || m_options.dialog == QLatin1String("invitation-text")
        || m_options.dialog == QLatin1String("invitation-region-error")
        || m_options.dialog == QLatin1String("edit-contact"))
        return showInviteScene();
    if (m_options.dialog == QLatin1String("safety-codes")) {
        QObject *thread = m_window->findChild<QObject *>(QStringLiteral("threadPage"));
        if (!thread || !m_app->current()->property("secure").toBool())
            return false;
        QMetaObject::invokeMethod(thread, "showSafetyCodes");
        return true;
    }
    QObject *pane = m_window->findChild<QObject *>(QStringLiteral("conversationsPane"));
    if (!pane)
        return false;
    QMetaObject::invokeMethod(pane, "showRecoveryKey", Q_ARG(QVariant, QStringLiteral("intro")));
    if (m_options.dialog == QLatin1String("recovery-key-created")) {
        // Presses "Create recovery key" as a person would; the dialog then shows the new key once.
        QObject *dialog = m_window->findChild<QObject *>(QStringLiteral("recoveryKeyDialog"));
        if (!dialog)
            return false;
        QMetaObject::invokeMethod(dialog, "createRequested");
    }
    return true;
}

void StartupScript::settleThenCapture()
{
    m_step = Step::Settle;
    m_poll.stop();
    // Park the pointer outside the window so no control is pictured in its hover state.
    if (QScreen *screen = m_window->screen())
        QCursor::setPos(screen, screen->geometry().bottomRight());
    QTimer::singleShot(kSettleMs, this, &StartupScript::capture);
}

void StartupScript::capture()
{
    m_step = Step::Done;
    const QImage image = m_window->grabWindow();
    if (image.isNull() || !image.save(m_options.screenshotPath, "PNG")) {
        fail(QStringLiteral("could not save the screenshot to %1").arg(m_options.screenshotPath));
        return;
    }
    QTextStream(stdout) << "larch-shots: saved " << m_options.screenshotPath << " (" << image.width() << "x"
                        << image.height() << ")\n";
    emit finished(0);
}

void StartupScript::fail(const QString &why)
{
    m_step = Step::Done;
    m_poll.stop();
    QTextStream(stderr) << "larch-shots: screenshot failed: " << why << "\n";
    emit finished(1);
}
