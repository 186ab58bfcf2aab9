// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The invitation controllers: the "Secure Conversation" form, the thread's banner, patient onboarding, the
// invitation text, and the list's "Invited" role, against a canned HTTP server on loopback.
#include "client/net/ApiClient.h"
#include "models/app/AppController.h"
#include "models/conversations/ConversationListModel.h"
#include "models/invites/InvitationTextEditor.h"
#include "models/invites/InviteController.h"
#include "models/invites/LinkRouter.h"
#include "models/invites/PatientOnboarding.h"
#include "models/thread/InvitationBanner.h"
#include "StandInServer.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace larch;

namespace {
QJsonObject error(const char *code, const char *message)
{
    return QJsonObject{{"error", QJsonObject{{"code", code}, {"message", message}}}};
}

QJsonObject invitation(const char *state, const char *delivery, const char *conversationId = "c-1")
{
    return QJsonObject{{"id", "inv-1"},
                       {"conversationId", conversationId},
                       {"patientName", "Sam Lee"},
                       {"phone", "+12015550123"},
                       {"phoneDisplay", "(201) 555-0123"},
                       {"email", ""},
                       {"channel", "sms"},
                       {"state", state},
                       {"delivery", QJsonObject{{"state", delivery}, {"detail", ""}, {"updatedAt", 1}}}};
}
} // namespace

/// The invitation models and controllers, their requests answered by a StandInServer.
class TestInviteModels : public QObject {
    Q_OBJECT
private slots:
    void formNeedsANameAndAContact()
    {
        ApiClient api;
        InviteController form(&api, nullptr, [] { return QStringLiteral("p-1"); });
        QVERIFY(!form.canCreate());
        form.create();
        QVERIFY(form.nameError().contains(QLatin1String("name")));
        QVERIFY(form.phoneError().contains(QLatin1String("mobile phone number or an email")));
        form.setPatientName(QStringLiteral("Sam Lee"));
        QVERIFY(form.nameError().isEmpty());
        form.setEmail(QStringLiteral("sam@example.com"));
        QVERIFY(form.canCreate());
    }

    void liveCheckIsDebouncedAndShowsWarningsAndMatches()
    {
        StandInServer server;
        server.replies << std::pair{
            200,
            QJsonObject{
                {"phone",
                 QJsonObject{{"e164", "+12015550123"},
                             {"display", "(201) 555-0123"},
                             {"type", "landline"},
                             {"warning", "This number is a landline, so SMS can't reach it. Add an email address."}}},
                {"email", QJsonValue()},
                {"matches",
                 QJsonArray{QJsonObject{{"conversationId", "c-7"}, {"title", "Sam Lee"}, {"state", "invited"}}}}}};
        ApiClient api;
        api.setServerUrl(server.url());
        InviteController form(&api, nullptr, [] { return QStringLiteral("p-1"); });
        QSignalSpy checked(&form, &InviteController::checkChanged);
        form.setPhone(QStringLiteral("2"));
        form.setPhone(QStringLiteral("201 555 0123"));
        QVERIFY(checked.wait(3000));
        QCOMPARE(server.requests.size(), 1); // one check for the whole burst of typing
        QVERIFY(server.requests.first().contains("201 555 0123"));
        QVERIFY(server.requests.first().startsWith("POST /v1/practices/p-1/contacts/check"));
        QVERIFY(form.phoneWarning().contains(QLatin1String("landline")));
        QCOMPARE(form.phoneDisplay(), QStringLiteral("(201) 555-0123"));
        QCOMPARE(form.matches().size(), 1);
        QCOMPARE(form.matches().first().toMap().value("conversationId").toString(), QStringLiteral("c-7"));
        QCOMPARE(form.matches().first().toMap().value("state").value<ContactMatch::Value>(), ContactMatch::Invited);
    }

    void invalidFieldLandsOnItsField()
    {
        StandInServer server;
        server.replies << std::pair{
            400, error("invalid_field", "The email address needs an @ and a domain, like name@example.com.")};
        ApiClient api;
        api.setServerUrl(server.url());
        InviteController form(&api, nullptr, [] { return QStringLiteral("p-1"); });
        QSignalSpy errors(&form, &InviteController::errorsChanged);
        form.setEmail(QStringLiteral("sam@"));
        form.checkNow();
        QTRY_VERIFY(!form.emailError().isEmpty());
        QVERIFY(form.phoneError().isEmpty());
        QVERIFY(!form.canCreate());
        QCOMPARE(form.email(), QStringLiteral("sam@"));
    }

    void bothWrongFieldsGetTheirSentences()
    {
        StandInServer server;
        server.replies << std::pair{400, error("invalid_field", "Phone is not a valid phone number.")}
                       << std::pair{400, error("invalid_field", "Email is not a valid email address.")};
        ApiClient api;
        api.setServerUrl(server.url());
        InviteController form(&api, nullptr, [] { return QStringLiteral("p-1"); });
        form.setPhone(QStringLiteral("555 01"));
        form.setEmail(QStringLiteral("riley@"));
        form.checkNow();
        QTRY_VERIFY(!form.emailError().isEmpty());
        QVERIFY(form.phoneError().startsWith(QLatin1String("Phone")));
        QVERIFY(form.emailError().startsWith(QLatin1String("Email")));
        QCOMPARE(server.requests.size(), 2);
        QVERIFY(!server.requests.last().contains("phone"));
    }

    void duplicateOffersTheExistingConversation()
    {
        StandInServer server;
        QJsonObject body = error("duplicate_contact", "Sam Lee already has a conversation with your practice.");
        body.insert("conversationId", "c-9");
        server.replies << std::pair{409, body};
        ApiClient api;
        api.setServerUrl(server.url());
        InviteController form(&api, nullptr, [] { return QStringLiteral("p-1"); });
        form.setPatientName(QStringLiteral("Sam Lee"));
        form.setEmail(QStringLiteral("sam@example.com"));
        form.create();
        QTRY_COMPARE(form.duplicateConversationId(), QStringLiteral("c-9"));
        QVERIFY(form.error().contains(QLatin1String("already has a conversation")));
        QCOMPARE(form.patientName(), QStringLiteral("Sam Lee")); // nothing typed is lost
        QCOMPARE(form.email(), QStringLiteral("sam@example.com"));
    }

    void offlineCreateSaysSoAndKeepsTheForm()
    {
        ApiClient api;
        api.setServerUrl(QUrl(QStringLiteral("http://127.0.0.1:1")));
        InviteController form(&api, nullptr, [] { return QStringLiteral("p-1"); });
        form.setPatientName(QStringLiteral("Sam Lee"));
        form.setPhone(QStringLiteral("2015550123"));
        form.create();
        QTRY_VERIFY(!form.error().isEmpty());
        QVERIFY(form.error().contains(QLatin1String("What you typed is kept")));
        QCOMPARE(form.phone(), QStringLiteral("2015550123"));
        QVERIFY(!form.busy());
    }

    void bannerFetchesFollowsEventsAndHidesWhenPaired()
    {
        StandInServer server;
        server.replies << std::pair{200, invitation("pending", "queued")};
        ApiClient api;
        api.setServerUrl(server.url());
        InvitationBanner banner(&api);
        banner.setConversation(QStringLiteral("c-1"), QStringLiteral("pending"), true);
        QTRY_VERIFY(banner.shown());
        QCOMPARE(banner.stateLine(), QStringLiteral("Invitation queued by SMS to (201) 555-0123."));
        banner.applyInvitation(invitation("pending", "delivered", "c-other")); // another thread's: ignored
        QCOMPARE(banner.deliveryState(), DeliveryState::Queued);
        banner.applyInvitation(invitation("pending", "delivered"));
        QCOMPARE(banner.stateLine(), QStringLiteral("Invitation delivered by SMS to (201) 555-0123."));
        QJsonObject failed = invitation("pending", "failed");
        failed["delivery"] = QJsonObject{{"state", "failed"}, {"detail", "The number can't receive SMS"}};
        banner.applyInvitation(failed);
        QVERIFY(banner.stateLine().startsWith(QLatin1String("Invitation failed: The number can't receive SMS.")));
        banner.applyInvitation(invitation("paired", "delivered"));
        QVERIFY(!banner.shown());
    }

    void bannerIsForStaffOnly()
    {
        ApiClient api;
        InvitationBanner banner(&api);
        banner.setConversation(QStringLiteral("c-1"), QStringLiteral("pending"), false);
        QVERIFY(!banner.shown());
    }

    void bannerResendShowsTheNewState()
    {
        StandInServer server;
        server.replies << std::pair{200, invitation("pending", "failed")}
                       << std::pair{200, invitation("pending", "queued")};
        ApiClient api;
        api.setServerUrl(server.url());
        InvitationBanner banner(&api);
        banner.setConversation(QStringLiteral("c-1"), QStringLiteral("pending"), true);
        QTRY_COMPARE(banner.deliveryState(), DeliveryState::Failed);
        QSignalSpy saved(&banner, &InvitationBanner::saved);
        banner.resendInvite();
        QVERIFY(saved.wait(3000));
        QCOMPARE(banner.deliveryState(), DeliveryState::Queued);
        QVERIFY(server.requests.last().startsWith("POST /v1/invitations/inv-1/resend"));
    }

    void codeErrorsSayWhatToDo()
    {
        StandInServer server;
        server.replies
            << std::pair{202, QJsonObject{{"contactHint", "•••• ••• 0123"}, {"expiresAt", 1}}}
            << std::pair{400, error("wrong_code", "That code is not right. 4 tries left.")}
            << std::pair{423,
                         error(
                             "code_locked",
                             "Too many wrong codes. Ask for a new code in 15 minutes, or call your practice for help.")}
            << std::pair{410, error("code_expired", "This code has expired.")}
            << std::pair{400, error("missing_field", "name is required")};
        ApiClient api;
        api.setServerUrl(server.url());
        QJsonObject adopted;
        PatientOnboarding onboarding(&api, [&](const QJsonObject &body) { adopted = body; });
        onboarding.setContact(QStringLiteral("2015550123"));
        onboarding.requestCode();
        QTRY_COMPARE(onboarding.stepValue(), OnboardingStep::Code);
        QCOMPARE(onboarding.contactHint(), QStringLiteral("•••• ••• 0123"));
        QVERIFY(server.requests.last().contains("\"phone\":\"2015550123\""));
        onboarding.verify(QStringLiteral("12"));
        QCOMPARE(onboarding.errorKindValue(), CodeError::Wrong); // checked before asking the server
        onboarding.verify(QStringLiteral("111111"));
        QTRY_VERIFY(onboarding.error().contains(QLatin1String("4 tries left")));
        onboarding.verify(QStringLiteral("222222"));
        QTRY_COMPARE(onboarding.errorKindValue(), CodeError::Locked);
        QVERIFY(onboarding.error().contains(QLatin1String("call your practice")));
        onboarding.verify(QStringLiteral("333333"));
        QTRY_COMPARE(onboarding.errorKindValue(), CodeError::Expired);
        QVERIFY(onboarding.error().contains(QLatin1String("Send a new code")));
        onboarding.verify(QStringLiteral("444444"));
        QTRY_COMPARE(onboarding.stepValue(), OnboardingStep::Name);
        QVERIFY(adopted.isEmpty());
        QCOMPARE(onboarding.contact(), QStringLiteral("2015550123"));
    }

    void invitationTextIsCheckedBeforeSaving()
    {
        QVERIFY(InvitationTextEditor::problemWith(QStringLiteral("Join us on Larch, no link here at all"))
                    .contains("{link}"));
        QVERIFY(!InvitationTextEditor::problemWith(QStringLiteral("Join us {link} and {link}")).isEmpty());
        QVERIFY(!InvitationTextEditor::problemWith(QStringLiteral("Hello {name}, join here: {link}")).isEmpty());
        QVERIFY(!InvitationTextEditor::problemWith(QStringLiteral("{link}")).isEmpty());
        QVERIFY(!InvitationTextEditor::problemWith(QString(321, u'a') + QStringLiteral("{link}")).isEmpty());
        // 320 characters as a person counts them, however many UTF-16 units: 314 emoji or joined families and {link}.
        const QString family = QStringLiteral(u"\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466");
        QCOMPARE(
            InvitationTextEditor::problemWith(QStringLiteral(u"\U0001F44D").repeated(314) + QStringLiteral("{link}")),
            QString());
        QCOMPARE(InvitationTextEditor::problemWith(family.repeated(314) + QStringLiteral("{link}")), QString());
        QVERIFY(InvitationTextEditor::problemWith(family.repeated(315) + QStringLiteral("{link}"))
                    .contains(QStringLiteral("(it is 321 now)")));
        QVERIFY(InvitationTextEditor::problemWith(
                    QStringLiteral("You're invited to message your care team securely on Larch. Join here: {link}"))
                    .isEmpty());
    }

    void invitationSettingsSaveRegionThenText()
    {
        StandInServer server;
        const QString text =
            QStringLiteral("You're invited to message your care team securely on Larch. Join here: {link}");
        const QJsonObject us{{"defaultRegion", "US"}, {"invitationText", text}, {"invitationTextIsDefault", true}};
        server.replies << std::pair{200, us};
        ApiClient api;
        api.setServerUrl(server.url());
        api.setToken(QStringLiteral("t"));
        InvitationTextEditor editor(&api, [] { return QStringLiteral("p-1"); });
        QSignalSpy saved(&editor, &InvitationTextEditor::saved);
        editor.load();
        QTRY_COMPARE(editor.region(), QStringLiteral("US"));
        QCOMPARE(editor.text(), text);
        QVERIFY(editor.isDefault());
        QVERIFY(server.requests.last().startsWith("GET /v1/practices/p-1/settings "));

        // The shape is checked here, without a request.
        QVERIFY(!InvitationTextEditor::problemWithRegion(QStringLiteral("U1")).isEmpty());
        QVERIFY(!InvitationTextEditor::problemWithRegion(QString()).isEmpty());
        QVERIFY(InvitationTextEditor::problemWithRegion(QStringLiteral("gb")).isEmpty());
        editor.saveSettings(text, QStringLiteral("U"));
        QVERIFY(editor.regionError().contains(QLatin1String("two letters")));
        QCOMPARE(server.requests.size(), 1);

        // The server knows which regions exist: its sentence shows under the region, the text is not sent.
        server.replies << std::pair{
            400,
            error("invalid_field",
                  "ZZ is not a country or region phone numbers are known for; use a code such as US, GB or CA.")};
        editor.saveSettings(text, QStringLiteral("zz"));
        QTRY_VERIFY(editor.regionError().contains(QLatin1String("ZZ is not a country or region")));
        QVERIFY(editor.error().isEmpty());
        QCOMPARE(server.requests.size(), 2);
        QVERIFY(server.requests.last().startsWith("PATCH /v1/practices/p-1/settings "));
        QVERIFY(server.requests.last().contains("defaultRegion"));
        QVERIFY(server.requests.last().contains("ZZ"));
        QVERIFY(!server.requests.last().contains("invitationText"));
        QCOMPARE(editor.region(), QStringLiteral("US"));
        QCOMPARE(saved.size(), 0);

        // A good region with the text unchanged: one request, the default text stays the default.
        QJsonObject gb = us;
        gb["defaultRegion"] = "GB";
        server.replies << std::pair{200, gb};
        editor.saveSettings(text, QStringLiteral(" gb"));
        QTRY_COMPARE(saved.size(), 1);
        QCOMPARE(editor.region(), QStringLiteral("GB"));
        QVERIFY(editor.regionError().isEmpty());
        QCOMPARE(server.requests.size(), 3);
        QVERIFY(editor.isDefault());

        // Only the text changed: only the text is sent.
        const QString ours = QStringLiteral("Birch Family Medicine invites you to Larch: {link}");
        QJsonObject changed = gb;
        changed["invitationText"] = ours;
        changed["invitationTextIsDefault"] = false;
        server.replies << std::pair{200, changed};
        editor.saveSettings(ours, QStringLiteral("GB"));
        QTRY_COMPARE(saved.size(), 2);
        QCOMPARE(server.requests.size(), 4);
        QVERIFY(server.requests.last().contains("\"invitationText\""));
        QVERIFY(!server.requests.last().contains("defaultRegion"));
        QVERIFY(!editor.isDefault());
    }

    void invitationLinks()
    {
        const QString token = QStringLiteral("AbCdEfGhIjKlMnOpQrStUvWxYz012345_-abcdefghi");
        QCOMPARE(LinkRouter::invitationToken("larch://invite/" + token), token);
        QCOMPARE(LinkRouter::invitationToken("https://larch.example/i/" + token), token);
        QCOMPARE(LinkRouter::invitationToken("larch://other/" + token), QString());
        QCOMPARE(LinkRouter::invitationToken(QStringLiteral("larch://invite/../../etc")), QString());
    }

    void listShowsInvitedRole()
    {
        ConversationListModel list;
        QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::Fatal);
        ConversationSummary c{
            QStringLiteral("c-1"),    QStringLiteral("Sam Lee"), QStringLiteral("secure"), {}, 100, 0, 0,
            QStringLiteral("pending")};
        list.reset({c});
        QVERIFY(list.index(0).data(ConversationListModel::IsInvitedRole).toBool());
        QSignalSpy changed(&list, &QAbstractItemModel::dataChanged);
        c.invitationState = QStringLiteral("paired");
        list.upsert(c);
        QCOMPARE(changed.size(), 1);
        const auto roles = changed.first().at(2).value<QList<int>>();
        QVERIFY(roles.contains(ConversationListModel::IsInvitedRole));
        QVERIFY(!roles.contains(ConversationListModel::TitleRole));
        QVERIFY(!list.index(0).data(ConversationListModel::IsInvitedRole).toBool());
        QCOMPARE(list.index(0).data(ConversationListModel::InvitationStateRole).value<InvitationState::Value>(),
                 InvitationState::Paired);
    }
};

QTEST_GUILESS_MAIN(TestInviteModels)
#include "tst_models_invites.moc"
