// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Standard (SMS/email) conversations in the models: the list's channel, contact, tags, consent and opt-out roles
// (each change signalled with only its roles), the filters, the thread's notes and delivery states, plain sends
// through the outbox, App.standard and App.standardForm against a canned HTTP server on loopback.
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "client/sync/Outbox.h"
#include "client/sync/StandardText.h"
#include "client/sync/SyncEngine.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/ConversationFilterModel.h"
#include "models/conversations/ConversationListModel.h"
#include "models/invites/StandardConversationForm.h"
#include "models/thread/StandardThread.h"
#include "models/thread/ThreadModel.h"
#include "StandInServer.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;

namespace {
const QString Sms = QStringLiteral("c0000000-0000-4000-8000-00000000000a");
const QString Secure = QStringLiteral("c0000000-0000-4000-8000-00000000000b");
const QString Me = QStringLiteral("u-ben");
const QString Ana = QStringLiteral("u-ana");
const QString Patient = QStringLiteral("u-sam");
const qint64 Now = 1764000000000;

QJsonObject error(const char *code, const char *message)
{
    return QJsonObject{{"error", QJsonObject{{"code", code}, {"message", message}}}};
}

Consent consent(const QString &method, qint64 at)
{
    return Consent{method, QStringLiteral("Asked at the front desk"), Ana, QStringLiteral("Ana Ruiz"), at};
}

Conversation smsConversation(qint64 lastSeq, std::optional<Consent> given = std::nullopt, qint64 optedOutAt = 0)
{
    Conversation c;
    c.id = Sms;
    c.practiceId = QStringLiteral("p-1");
    c.patientId = Patient;
    c.title = QStringLiteral("Sam Lee");
    c.kind = QStringLiteral("sms");
    c.lastSeq = lastSeq;
    c.lastActivityAt = Now + lastSeq;
    c.members = {Member{Me, "Dr. Ben Okafor", "clinician", lastSeq}, Member{Ana, "Ana Ruiz", "admin", 0},
                 Member{Patient, "Sam Lee", "patient", 0}};
    c.standard =
        StandardContact{QStringLiteral("+12015550123"), QStringLiteral("(201) 555-0123"), given, optedOutAt, QString()};
    return c;
}

Conversation secureConversation()
{
    Conversation c;
    c.id = Secure;
    c.practiceId = QStringLiteral("p-1");
    c.patientId = Patient;
    c.title = QStringLiteral("Sam Lee");
    c.lastActivityAt = Now;
    c.members = {Member{Me, "Dr. Ben Okafor", "clinician", 0}};
    return c;
}

Message plain(qint64 seq, const QString &sender, const QString &body, const QString &delivery)
{
    Message m;
    m.id = QStringLiteral("m-%1").arg(seq);
    m.clientId = QStringLiteral("client-%1").arg(seq);
    m.conversationId = Sms;
    m.seq = seq;
    m.senderId = sender;
    m.senderName = sender == Me ? QStringLiteral("Dr. Ben Okafor") : QStringLiteral("Sam Lee");
    m.body = body;
    m.sentAt = Now + seq * 1000;
    m.delivery = MessageDelivery{delivery, QString(), m.sentAt};
    return m;
}

Message note(qint64 seq, const QString &kind, const QString &sender, const QString &link = {})
{
    Message m = plain(seq, sender, QString(), QString());
    m.delivery.reset();
    m.senderName = sender == Ana ? QStringLiteral("Ana Ruiz") : QStringLiteral("Sam Lee");
    m.note = MessageNote{kind, link};
    return m;
}

QJsonObject conversationJson(const Conversation &c) { return c.toJson(); }

void show(StandardThread &thread, const std::optional<ConversationSummary> &c)
{
    thread.setConversation(c ? &*c : nullptr);
}

/// The JSON body of a request StandInServer recorded ("POST /path HTTP/1.1 {…}").
QJsonObject requestBody(const QByteArray &request)
{
    return QJsonDocument::fromJson(request.mid(request.indexOf('{'))).object();
}

struct Store {
    QTemporaryDir dir;
    LocalStore store{dir.path()};
    Store()
    {
        QVERIFY(store.open());
        store.setStorageKey(SecretBytes::random(32));
    }
};

QString text(const QAbstractItemModel &m, int row, int role) { return m.index(row, 0).data(role).toString(); }
/// A role QML compares with an enum, as that enum.
template<typename Enum>
Enum roleValue(const QAbstractItemModel &m, int row, int role)
{
    return m.index(row, 0).data(role).value<Enum>();
}
int rowOf(const ThreadModel &m, const QString &messageId)
{
    for (int row = 0; row < m.rowCount(); ++row) {
        if (text(m, row, ThreadModel::MessageIdRole) == messageId)
            return row;
    }
    return -1;
}
} // namespace

/// The standard-conversation models and controllers over a real LocalStore and a StandInServer.
class TestStandardModels : public QObject {
    Q_OBJECT
private slots:
    void listRolesAndOnlyTheRolesThatChanged()
    {
        Store s;
        s.store.conversations().upsert(secureConversation());
        s.store.conversations().upsert(smsConversation(1));
        ConversationListModel list;
        QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::Fatal);
        list.reset(s.store.conversations().summaries());
        const int sms = list.rowOf(Sms), secure = list.rowOf(Secure);
        QCOMPARE(list.roleNames().value(ConversationListModel::ChannelRole), QByteArray("channel"));
        QCOMPARE(roleValue<Channel::Value>(list, sms, ConversationListModel::ChannelRole), Channel::Sms);
        QCOMPARE(roleValue<Channel::Value>(list, secure, ConversationListModel::ChannelRole), Channel::Secure);
        QCOMPARE(text(list, sms, ConversationListModel::ContactDisplayRole), QStringLiteral("(201) 555-0123"));
        QCOMPARE(text(list, secure, ConversationListModel::ContactDisplayRole), QString());
        QVERIFY(list.index(sms).data(ConversationListModel::NeedsConsentRole).toBool());
        QVERIFY(!list.index(secure).data(ConversationListModel::NeedsConsentRole).toBool());
        QVERIFY(!list.index(sms).data(ConversationListModel::OptedOutRole).toBool());
        QVERIFY(!list.index(sms).data(ConversationListModel::IsSecureRole).toBool());

        QSignalSpy changed(&list, &QAbstractItemModel::dataChanged);
        // Consent recorded (with its note, one message later): needsConsent alone among the standard roles.
        Conversation next = smsConversation(2, consent("verbal", Now + 2000));
        s.store.conversations().upsert(next);
        list.upsert(*s.store.conversations().summary(Sms));
        QCOMPARE(changed.size(), 1);
        QList<int> roles = changed.first().at(2).value<QList<int>>();
        QVERIFY(roles.contains(ConversationListModel::NeedsConsentRole));
        QVERIFY(!roles.contains(ConversationListModel::OptedOutRole));
        QVERIFY(!roles.contains(ConversationListModel::ContactDisplayRole));
        QVERIFY(!roles.contains(ConversationListModel::TagsRole));
        QVERIFY(!list.index(sms).data(ConversationListModel::NeedsConsentRole).toBool());

        // STOP: optedOut alone; tags: tags alone.
        changed.clear();
        next = smsConversation(3, consent("verbal", Now + 2000), Now + 3000);
        s.store.conversations().upsert(next);
        list.upsert(*s.store.conversations().summary(Sms));
        roles = changed.first().at(2).value<QList<int>>();
        QVERIFY(roles.contains(ConversationListModel::OptedOutRole));
        QVERIFY(!roles.contains(ConversationListModel::NeedsConsentRole));
        QVERIFY(list.index(sms).data(ConversationListModel::OptedOutRole).toBool());
        changed.clear();
        next.tags = QStringList{QStringLiteral("new-patient")};
        s.store.conversations().upsert(next);
        list.upsert(*s.store.conversations().summary(Sms));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(2).value<QList<int>>(), QList<int>{ConversationListModel::TagsRole});
        QCOMPARE(list.index(sms).data(ConversationListModel::TagsRole).toStringList(), next.tags);

        // A stale copy (older than the newest message) does not take consent or the opt-out away.
        changed.clear();
        s.store.conversations().upsert(smsConversation(1));
        QVERIFY(s.store.conversations().summary(Sms)->standard->consent.has_value());
        QCOMPARE(s.store.conversations().summary(Sms)->standard->optedOutAt, Now + 3000);
    }

    void kindNeverChangesAndTheContactIsNotStoredInTheClear()
    {
        Store s;
        s.store.conversations().upsert(secureConversation());
        Conversation claim = secureConversation();
        claim.kind = QStringLiteral("sms"); // a server claiming a secure thread became plain
        s.store.conversations().upsert(claim);
        QCOMPARE(s.store.conversations().kind(Secure), QStringLiteral("secure"));
        s.store.conversations().upsert(smsConversation(1));
        QCOMPARE(s.store.conversations().summary(Sms)->standard->display, QStringLiteral("(201) 555-0123"));
        QFile file(QDir(s.dir.path()).filePath(QStringLiteral("larch-client.sqlite")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(!bytes.contains("555-0123"));
        QVERIFY(!bytes.contains("+12015550123"));
    }

    void filtersAndSearchByContact()
    {
        Store s;
        s.store.conversations().upsert(secureConversation());
        s.store.conversations().upsert(smsConversation(1));
        ConversationListModel list;
        ConversationFilterModel filter;
        filter.setSourceModel(&list);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
        list.reset(s.store.conversations().summaries());
        QCOMPARE(filter.rowCount(), 2);
        filter.setFilter(ConversationFilterModel::Standard);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(text(filter, 0, ConversationListModel::ConversationIdRole), Sms);
        filter.setFilter(ConversationFilterModel::Secure);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(text(filter, 0, ConversationListModel::ConversationIdRole), Secure);
        filter.setFilter(ConversationFilterModel::All);
        filter.setSearchText(QStringLiteral("555-0123"));
        QCOMPARE(filter.rowCount(), 1);
    }

    void threadShowsNotesAndDeliveries()
    {
        Store s;
        s.store.conversations().upsert(smsConversation(6, consent("verbal", Now + 2000)));
        s.store.beginBatch();
        const QList<Message> messages{note(2, "consent_recorded", Ana), plain(3, Me, "See you at 3.", "queued"),
                                      plain(4, Patient, "Thanks!", "received"), note(5, "opted_out", Patient),
                                      note(6, "secure_invited", Ana, Secure)};
        for (const Message &m : messages)
            s.store.messages().applyMessage(StoredMessage{m, Verification::Verified, MessageCheck::Ok}, Me);
        s.store.endBatch();
        QCOMPARE(s.store.conversations().summary(Sms)->preview, QStringLiteral("Invited to a secure conversation."));

        ApiClient api;
        api.setServerUrl(QUrl("http://127.0.0.1:1"));
        ThreadModel thread(&s.store, &api);
        thread.setUser(Me, "Dr. Ben Okafor");
        QAbstractItemModelTester tester(&thread, QAbstractItemModelTester::FailureReportingMode::Fatal);
        thread.open(Sms);
        QCOMPARE(thread.roleNames().value(ThreadModel::LinkConversationIdRole), QByteArray("linkConversationId"));
        const int consentRow = rowOf(thread, "m-2"), mine = rowOf(thread, "m-3"), theirs = rowOf(thread, "m-4");
        const int stop = rowOf(thread, "m-5"), invited = rowOf(thread, "m-6");
        QCOMPARE(roleValue<MessageKind::Value>(thread, consentRow, ThreadModel::KindRole), MessageKind::Notice);
        QCOMPARE(text(thread, consentRow, ThreadModel::BodyRole),
                 QStringLiteral("Ana Ruiz recorded verbal consent to unencrypted messages."));
        QCOMPARE(text(thread, consentRow, ThreadModel::SenderNameRole), QString());
        QVERIFY(!thread.index(consentRow).data(ThreadModel::IsMineRole).toBool());
        QCOMPARE(text(thread, stop, ThreadModel::BodyRole),
                 QStringLiteral("This number replied STOP and is unsubscribed."));
        QCOMPARE(text(thread, invited, ThreadModel::BodyRole), QStringLiteral("Invited to a secure conversation."));
        QCOMPARE(text(thread, invited, ThreadModel::LinkConversationIdRole), Secure);
        QCOMPARE(text(thread, stop, ThreadModel::LinkConversationIdRole), QString());
        QCOMPARE(roleValue<MessageKind::Value>(thread, mine, ThreadModel::KindRole), MessageKind::Message);
        QCOMPARE(text(thread, mine, ThreadModel::BodyRole), QStringLiteral("See you at 3."));
        QCOMPARE(roleValue<DeliveryState::Value>(thread, mine, ThreadModel::DeliveryStateRole), DeliveryState::Queued);
        QCOMPARE(roleValue<DeliveryState::Value>(thread, theirs, ThreadModel::DeliveryStateRole),
                 DeliveryState::Received);
        QCOMPARE(roleValue<DeliveryState::Value>(thread, stop, ThreadModel::DeliveryStateRole), DeliveryState::None);

        // The gateway's reports move the delivery, with only the roles that changed.
        QSignalSpy changed(&thread, &QAbstractItemModel::dataChanged);
        Message sent = messages.at(1);
        sent.delivery = MessageDelivery{"delivered", QString(), Now + 10000};
        QVERIFY(s.store.messages().setMessageDelivery(sent.id, *sent.delivery));
        QVERIFY(!s.store.messages().setMessageDelivery(sent.id,
                                                       MessageDelivery{"sent", QString(), Now + 9000})); // late report
        thread.updateMessage(*s.store.messages().messageById(sent.id));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(2).value<QList<int>>(), QList<int>{ThreadModel::DeliveryStateRole});
        QCOMPARE(roleValue<DeliveryState::Value>(thread, mine, ThreadModel::DeliveryStateRole),
                 DeliveryState::Delivered);
        changed.clear();
        const QString reason =
            QStringLiteral("The number cannot receive text messages; it may be a landline. (error 30006)");
        sent.delivery = MessageDelivery{"failed", reason, Now + 11000};
        QVERIFY(s.store.messages().setMessageDelivery(sent.id, *sent.delivery));
        thread.updateMessage(*s.store.messages().messageById(sent.id));
        QCOMPARE(roleValue<DeliveryState::Value>(thread, mine, ThreadModel::DeliveryStateRole), DeliveryState::Failed);
        QCOMPARE(text(thread, mine, ThreadModel::FailureReasonRole), reason);
        const QList<int> roles = changed.first().at(2).value<QList<int>>();
        QVERIFY(roles.contains(ThreadModel::DeliveryStateRole) && roles.contains(ThreadModel::FailureReasonRole));
        QVERIFY(!roles.contains(ThreadModel::BodyRole));

        // A consent recorded again replaces the one on file: the earlier note no longer claims a method.
        changed.clear();
        auto replaced = *s.store.conversations().summary(Sms)->standard;
        replaced.consent = consent("written", Now + 60000);
        thread.setStandard(replaced);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(text(thread, consentRow, ThreadModel::BodyRole),
                 QStringLiteral("Ana Ruiz recorded consent to unencrypted messages."));
    }

    void plainTextOnlyWhereTheConversationIsStandard()
    {
        Store s;
        s.store.conversations().upsert(secureConversation());
        s.store.conversations().upsert(smsConversation(0));
        ApiClient api;
        api.setServerUrl(QUrl("http://127.0.0.1:1"));
        SyncEngine sync(&s.store, &api);
        const StoredMessage inSms = sync.storeFromServer(plain(1, Patient, "Running late", "received"));
        QCOMPARE(inSms.verification, Verification::Verified);
        QCOMPARE(s.store.messages().messageById("m-1")->message.body, QStringLiteral("Running late"));
        QCOMPARE(s.store.messages().messageById("m-1")->message.delivery->state, QStringLiteral("received"));
        Message forged = plain(1, Patient, "Trust me", "received");
        forged.id = QStringLiteral("m-forged");
        forged.conversationId = Secure;
        const StoredMessage inSecure = sync.storeFromServer(forged);
        QCOMPARE(inSecure.verification, Verification::Unverifiable); // no envelope in a secure thread: never genuine
        QVERIFY(s.store.messages().messageById("m-forged")->message.body.isEmpty());
    }

    void outboxSendsPlainAndKeepsTheServersRefusal()
    {
        Store s;
        s.store.conversations().upsert(smsConversation(0));
        StandInServer server;
        server.replies << std::pair{409,
                                    error("consent_required", StandardText::consentRequired().toUtf8().constData())};
        ApiClient api;
        api.setServerUrl(server.url());
        api.setToken("t");
        Outbox outbox(&s.store, &api);
        outbox.setSealer([](const OutboxEntry &, Outbox::SealDone) { QFAIL("a standard message is never sealed"); });
        QSignalSpy failed(&outbox, &Outbox::failed);
        outbox.resume();
        const OutboxEntry entry = outbox.enqueue(Sms, QStringLiteral("Your results are ready"));
        QVERIFY(failed.wait(5000));
        QCOMPARE(server.requests.size(), 1);
        const QJsonObject sentBody = requestBody(server.requests.first());
        QVERIFY(server.requests.first().startsWith("POST /v1/conversations/" + Sms.toUtf8() + "/messages"));
        QCOMPARE(sentBody.value("body").toString(), QStringLiteral("Your results are ready"));
        QVERIFY(!sentBody.contains("envelope"));
        QCOMPARE(failed.first().at(1).toString(), StandardText::consentRequired());
        QCOMPARE(s.store.outbox().entry(entry.clientId)->body, QStringLiteral("Your results are ready"));
    }

    void composeIsBlockedWithoutConsentAndKeepsTheText()
    {
        Store s;
        s.store.conversations().upsert(smsConversation(0));
        ApiClient api;
        api.setServerUrl(QUrl("http://127.0.0.1:1"));
        SyncEngine sync(&s.store, &api);
        StandardThread standard(&api, &sync);
        ComposeController compose(&s.store, &sync);
        compose.setSendCheck([&](const QString &id, const QString &body) { return standard.refusalFor(id, body); });
        show(standard, s.store.conversations().summary(Sms));
        QVERIFY(standard.isStandard());
        QCOMPARE(standard.channelValue(), Channel::Sms);
        QVERIFY(!standard.canSend());
        QCOMPARE(standard.blockedReason(), StandardText::consentRequired());
        compose.setConversation(Sms);
        compose.setText(QStringLiteral("Hello"));
        QVERIFY(!compose.canSend());
        QVERIFY(!compose.send());
        QCOMPARE(compose.text(), QStringLiteral("Hello"));
        QCOMPARE(compose.error(), StandardText::consentRequired());

        s.store.conversations().upsert(smsConversation(1, consent("verbal", Now)));
        show(standard, s.store.conversations().summary(Sms));
        compose.refreshSendCheck();
        QVERIFY(standard.canSend());
        QVERIFY(compose.canSend());
        QVERIFY(standard.consentText().startsWith(QLatin1String("Verbal consent recorded by Ana Ruiz on ")));
        QCOMPARE(standard.consentNote(), QStringLiteral("Asked at the front desk"));
        compose.setText(QString(StandardText::SmsBodyMax + 1, u'x'));
        QVERIFY(!compose.send());
        QCOMPARE(compose.error(), StandardText::smsTooLong());

        s.store.conversations().upsert(smsConversation(2, consent("verbal", Now), Now));
        show(standard, s.store.conversations().summary(Sms));
        QVERIFY(standard.optedOut());
        QVERIFY(standard.optedOutText().contains(QLatin1String("STOP")));
        QCOMPARE(standard.blockedReason(), StandardText::optedOut());

        // A refused message's text comes back into an empty draft, never over one being written.
        compose.setText(QString());
        compose.restoreRefused(Sms, QStringLiteral("Refused text"));
        QCOMPARE(compose.text(), QStringLiteral("Refused text"));
        compose.restoreRefused(Sms, QStringLiteral("Another"));
        QCOMPARE(compose.text(), QStringLiteral("Refused text"));

        standard.setConversation(nullptr);
        QVERIFY(!standard.isStandard());
        QVERIFY(standard.canSend());
        QCOMPARE(standard.channelValue(), Channel::None);
    }

    void recordConsentAndInviteToSecure()
    {
        Store s;
        s.store.conversations().upsert(smsConversation(0));
        StandInServer server;
        Conversation withConsent = smsConversation(1, consent("written", Now));
        server.replies << std::pair{200, conversationJson(withConsent)};
        Conversation secure = secureConversation();
        secure.invitationState = QStringLiteral("pending");
        server.replies << std::pair{
            201, QJsonObject{{"invitation", QJsonObject{{"id", "inv-1"}}}, {"conversation", conversationJson(secure)}}};
        QJsonObject duplicate = error("duplicate_contact", "Your practice already reaches this contact securely.");
        duplicate.insert("conversationId", Secure);
        server.replies << std::pair{409, duplicate};
        ApiClient api;
        api.setServerUrl(server.url());
        api.setToken("t");
        SyncEngine sync(&s.store, &api);
        StandardThread standard(&api, &sync);
        show(standard, s.store.conversations().summary(Sms));

        standard.recordConsent(QStringLiteral("telepathy"), QString());
        QVERIFY(!standard.error().isEmpty());
        QCOMPARE(server.requests.size(), 0);
        // The note's 500 characters are counted as a person counts them: 501 letters are refused, 480 emoji kept.
        standard.recordConsent(QStringLiteral("written"), QString(501, u'x'));
        QVERIFY(standard.error().contains(QStringLiteral("500 characters")));
        QCOMPARE(server.requests.size(), 0);
        QSignalSpy saved(&standard, &StandardThread::consentSaved);
        standard.recordConsent(QStringLiteral("written"),
                               QStringLiteral("Signed form on file ") + QStringLiteral(u"\U0001F44D").repeated(480));
        QVERIFY(standard.error().isEmpty());
        QVERIFY(standard.busy());
        QVERIFY(saved.wait(5000));
        QVERIFY(!standard.busy());
        QVERIFY(server.requests.at(0).startsWith("POST /v1/conversations/" + Sms.toUtf8() + "/consent"));
        QVERIFY(server.requests.at(0).contains("\"method\":\"written\""));
        QVERIFY(server.requests.at(0).contains("Signed form on file"));
        QCOMPARE(s.store.conversations().summary(Sms)->standard->consent->method, QStringLiteral("written"));

        QSignalSpy ready(&standard, &StandardThread::secureConversationReady);
        standard.inviteToSecure();
        QVERIFY(ready.wait(5000));
        QCOMPARE(ready.first().first().toString(), Secure);
        QVERIFY(server.requests.at(1).startsWith("POST /v1/conversations/" + Sms.toUtf8() + "/secure-invitation"));
        QCOMPARE(s.store.conversations().summary(Secure)->invitationState, QStringLiteral("pending"));
        // Asked again when the practice already reaches the contact securely: that conversation opens.
        standard.inviteToSecure();
        QVERIFY(ready.wait(5000));
        QCOMPARE(ready.last().first().toString(), Secure);
        QVERIFY(standard.error().isEmpty());
    }

    void formChecksLiveAndCreates()
    {
        Store s;
        StandInServer server;
        server.replies << std::pair{
            200,
            QJsonObject{{"phone",
                         QJsonObject{{"e164", "+12015550100"},
                                     {"display", "(201) 555-0100"},
                                     {"type", "landline"},
                                     {"warning", "This number is a landline, so SMS can't reach it."}}},
                        {"matches", QJsonArray{}}}};
        server.replies << std::pair{
            200,
            QJsonObject{
                {"phone",
                 QJsonObject{{"e164", "+12015550123"},
                             {"display", "(201) 555-0123"},
                             {"type", "mobile"},
                             {"warning", QJsonValue()}}},
                {"matches",
                 QJsonArray{QJsonObject{{"conversationId", Secure}, {"title", "Sam Lee"}, {"state", "joined"}}}}}};
        server.replies << std::pair{201, conversationJson(smsConversation(0))};
        QJsonObject duplicate = error("duplicate_contact", "Your practice already texts this number.");
        duplicate.insert("conversationId", Sms);
        server.replies << std::pair{409, duplicate};
        ApiClient api;
        api.setServerUrl(server.url());
        api.setToken("t");
        SyncEngine sync(&s.store, &api);
        StandardConversationForm form(&api, &sync, [] { return QStringLiteral("p-1"); });
        form.reset(QStringLiteral("sms"));
        QCOMPARE(form.channel(), Channel::Sms);
        QVERIFY(!form.canCreate());
        QSignalSpy checked(&form, &StandardConversationForm::checkChanged);
        form.setContact(QStringLiteral("2"));
        form.setContact(QStringLiteral("201 555 0100"));
        QVERIFY(checked.wait(3000));
        QCOMPARE(server.requests.size(), 1); // one check for the whole burst of typing
        QVERIFY(server.requests.first().startsWith("POST /v1/practices/p-1/contacts/check"));
        QVERIFY(form.contactError().contains(QLatin1String("landline")));
        QVERIFY(!form.canCreate());

        form.setContact(QStringLiteral("201 555 0123"));
        QVERIFY(form.contactError().isEmpty());
        QTRY_COMPARE(form.contactDisplay(), QStringLiteral("(201) 555-0123"));
        QVERIFY(form.warning().contains(QLatin1String("secure conversation")));
        QVERIFY(form.canCreate());
        form.setName(QStringLiteral("Sam Lee"));
        QSignalSpy created(&form, &StandardConversationForm::created);
        form.create();
        QVERIFY(created.wait(5000));
        QCOMPARE(created.first().first().toString(), Sms);
        const QJsonObject body = requestBody(server.requests.at(2));
        QVERIFY(server.requests.at(2).startsWith("POST /v1/practices/p-1/standard-conversations"));
        QCOMPARE(body, (QJsonObject{{"channel", "sms"}, {"phone", "201 555 0123"}, {"name", "Sam Lee"}}));
        QCOMPARE(s.store.conversations().kind(Sms), QStringLiteral("sms"));

        form.create();
        QTRY_COMPARE(form.duplicateConversationId(), Sms);
        QVERIFY(form.error().contains(QLatin1String("already texts")));
        QCOMPARE(form.contact(), QStringLiteral("201 555 0123")); // nothing typed is lost
        form.reset(QStringLiteral("email"));
        QCOMPARE(form.channel(), Channel::Email);
        QVERIFY(form.contact().isEmpty() && form.duplicateConversationId().isEmpty());
    }
};

QTEST_MAIN(TestStandardModels)
#include "tst_models_standard.moc"
