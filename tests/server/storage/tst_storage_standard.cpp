// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// StandardStorage: one conversation per contact, look-ups, consent and opt-out gating sends, inbound de-duplication,
// delivery states that only move forward.
#include "core/crypto/Crypto.h"
#include "StorageBackend.h"
#include "StorageScene.h"

#include <QtTest>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

/// StandardStorage conformance, against the interface alone.
class TestStandardStorage : public QObject {
    Q_OBJECT

    /// A standard SMS conversation of the scene's practice with a new placeholder patient.
    static StandardWriteResult addContact(Storage &s, const Scene &sc, const QString &phone, qint64 at = 500)
    {
        UserRecord placeholder{
            User{newId(), QStringLiteral("Riley"), QString(), QStringLiteral("patient"), sc.practice.id}, {}, at};
        ConversationRecord c{
            newId(), sc.practice.id, placeholder.user.id, QStringLiteral("Riley"), QStringLiteral("standard"), at, at,
            0};
        StandardContactRecord contact{c.id, sc.practice.id, QStringLiteral("sms"), phone, newToken(), {}, 0, {}};
        return s.standard().createStandardConversation(placeholder, c, contact, {});
    }

    static NewMessage staffMessage(const Scene &sc, const QString &conversationId, const QString &body)
    {
        NewMessage m{newId(), newId(), conversationId, sc.clinician.id, sc.clinician.name, body, 600, {}, {}, {}};
        m.delivery = MessageDelivery{QStringLiteral("queued"), {}, 600};
        return m;
    }

    static StandardChange consentChange(const Scene &sc, const QString &conversationId)
    {
        StandardChange change;
        change.conversationId = conversationId;
        change.consent = Consent{QStringLiteral("verbal"), {}, sc.clinician.id, sc.clinician.name, 550};
        return change;
    }

private slots:
    void oneConversationPerContact()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const auto made = addContact(s, sc, QStringLiteral("+12015550150"));
        QCOMPARE(made.status, StandardWriteResult::Status::Done);
        const auto again = addContact(s, sc, QStringLiteral("+12015550150"));
        QCOMPARE(again.status, StandardWriteResult::Status::DuplicateContact);
        QCOMPARE(again.conversationId, made.conversationId);
        // Another practice may reach the same number.
        const Scene other = makeScene(s, QStringLiteral("b"));
        QCOMPARE(addContact(s, other, QStringLiteral("+12015550150"), 900).status, StandardWriteResult::Status::Done);

        const auto contact = s.standard().standardContact(made.conversationId);
        QVERIFY(contact);
        QCOMPARE(contact->address, QStringLiteral("+12015550150"));
        QVERIFY(!contact->consent);
        QCOMPARE(s.standard().standardByReplyToken(contact->replyToken)->conversationId, made.conversationId);
        QVERIFY(!s.standard().standardByReplyToken(newToken()));
        // By address: the most recently active conversation of any practice.
        QCOMPARE(s.standard().standardByAddress(QStringLiteral("sms"), QStringLiteral("+12015550150"))->practiceId,
                 other.practice.id);
        QVERIFY(!s.standard().standardByAddress(QStringLiteral("email"), QStringLiteral("+12015550150")));
        QCOMPARE(s.conversations().conversation(made.conversationId)->kind, QStringLiteral("standard"));
    }

    void sendsNeedConsentAndStopAtOptOut()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const QString id = addContact(s, sc, QStringLiteral("+12015550151")).conversationId;
        const NewMessage first = staffMessage(sc, id, QStringLiteral("Your results are in."));
        QCOMPARE(s.standard().sendStandardMessage(first, {sc.admin.id}, {}).status,
                 StandardSendResult::Status::ConsentRequired);
        QCOMPARE(s.standard().changeStandard(consentChange(sc, id)).status, StandardWriteResult::Status::Done);
        QCOMPARE(s.standard().standardContact(id)->consent->method, QStringLiteral("verbal"));
        const auto sent = s.standard().sendStandardMessage(first, {sc.admin.id, sc.clinician.id}, {});
        QCOMPARE(sent.status, StandardSendResult::Status::Created);
        QCOMPARE(sent.message.seq, 1);
        QCOMPARE(sent.message.delivery->state, QStringLiteral("queued"));
        QCOMPARE(sent.events.size(), 2);
        QCOMPARE(sent.contact.address, QStringLiteral("+12015550151"));
        QCOMPARE(s.standard().sendStandardMessage(first, {sc.admin.id}, {}).status,
                 StandardSendResult::Status::Duplicate);
        QCOMPARE(s.conversations().messageById(first.id)->body, QStringLiteral("Your results are in."));

        StandardChange stop;
        stop.conversationId = id;
        stop.optedOutAt = 700;
        QCOMPARE(s.standard().changeStandard(stop).status, StandardWriteResult::Status::Done);
        QCOMPARE(s.standard().sendStandardMessage(staffMessage(sc, id, QStringLiteral("Hello?")), {}, {}).status,
                 StandardSendResult::Status::OptedOut);
        stop.optedOutAt = 0;
        QCOMPARE(s.standard().changeStandard(stop).status, StandardWriteResult::Status::Done);
        QCOMPARE(s.standard().sendStandardMessage(staffMessage(sc, id, QStringLiteral("Hello?")), {}, {}).status,
                 StandardSendResult::Status::Created);
        NewMessage stray = staffMessage(sc, newId(), QStringLiteral("x"));
        QCOMPARE(s.standard().sendStandardMessage(stray, {}, {}).status, StandardSendResult::Status::NoConversation);
    }

    void inboundMessagesAreStoredOnce()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const auto made = addContact(s, sc, QStringLiteral("+12015550152"));
        StandardChange reply;
        reply.conversationId = made.conversationId;
        reply.inboundId = QStringLiteral("SM-inbound-1");
        const QString patientId = s.conversations().conversation(made.conversationId)->patientId;
        NewMessage in{newId(),
                      newId(),
                      made.conversationId,
                      patientId,
                      QStringLiteral("Riley"),
                      QStringLiteral("Thanks!"),
                      800,
                      {},
                      {},
                      {}};
        in.delivery = MessageDelivery{QStringLiteral("received"), {}, 800};
        reply.messages = {in};
        reply.eventsOf = [&](const QList<Message> &messages, const StandardContactRecord &) {
            return QList<NewEvent>{
                NewEvent{sc.admin.id, QStringLiteral("message.created"), messages.value(0).body.toUtf8()}};
        };
        const auto first = s.standard().changeStandard(reply);
        QCOMPARE(first.status, StandardWriteResult::Status::Done);
        QCOMPARE(first.messages.size(), 1);
        QCOMPARE(first.messages[0].seq, 1);
        QCOMPARE(first.events.size(), 1);
        QCOMPARE(first.events[0].data, QByteArray("Thanks!"));
        // The carrier retries its webhook: nothing is stored twice.
        in.id = newId();
        in.clientId = newId();
        reply.messages = {in};
        QCOMPARE(s.standard().changeStandard(reply).status, StandardWriteResult::Status::Duplicate);
        QCOMPARE(s.conversations().messages(made.conversationId, 1000, 10).size(), 1);
        StandardChange missing;
        missing.conversationId = newId();
        QCOMPARE(s.standard().changeStandard(missing).status, StandardWriteResult::Status::NotFound);
    }

    void deliveryStatesOnlyMoveForward()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const QString id = addContact(s, sc, QStringLiteral("+12015550153")).conversationId;
        QCOMPARE(s.standard().changeStandard(consentChange(sc, id)).status, StandardWriteResult::Status::Done);
        const NewMessage m = staffMessage(sc, id, QStringLiteral("See you Tuesday."));
        QCOMPARE(s.standard().sendStandardMessage(m, {}, {}).status, StandardSendResult::Status::Created);
        int calls = 0;
        auto eventsOf = [&](const Message &) {
            ++calls;
            return QList<NewEvent>{};
        };
        const auto delivered = s.standard().updateMessageDelivery(
            m.id, MessageDelivery{QStringLiteral("delivered"), {}, 900}, eventsOf, std::nullopt);
        QCOMPARE(delivered.status, StandardWriteResult::Status::Done);
        QCOMPARE(calls, 1);
        // A late "sent" report after "delivered" changes nothing.
        QCOMPARE(
            s.standard()
                .updateMessageDelivery(m.id, MessageDelivery{QStringLiteral("sent"), {}, 950}, eventsOf, std::nullopt)
                .status,
            StandardWriteResult::Status::Duplicate);
        QCOMPARE(calls, 1);
        QCOMPARE(s.conversations().messageById(m.id)->delivery->state, QStringLiteral("delivered"));
        QCOMPARE(s.conversations().messageById(m.id)->delivery->updatedAt, 900);
        QCOMPARE(s.standard()
                     .updateMessageDelivery(newId(), MessageDelivery{QStringLiteral("sent"), {}, 950}, eventsOf,
                                            std::nullopt)
                     .status,
                 StandardWriteResult::Status::NotFound);
    }

    void aMessageAndItsDeliveryAreOneWrite()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const QString id = addContact(s, sc, QStringLiteral("+12015550154")).conversationId;
        int made = 0;
        const StandardStorage::DeliveryOf deliveryOf = [&](const StandardContactRecord &contact, const Message &m) {
            ++made;
            OutboxRecord r;
            r.id = newId();
            r.to = contact.address;
            r.body = m.body;
            r.messageId = m.id;
            r.createdAt = r.updatedAt = r.nextAttemptAt = 100;
            return r;
        };
        const NewMessage m = staffMessage(sc, id, QStringLiteral("Your lab results are in."));
        // Refused sends store no delivery.
        QCOMPARE(s.standard().sendStandardMessage(m, {}, deliveryOf).status,
                 StandardSendResult::Status::ConsentRequired);
        QCOMPARE(made, 0);
        QCOMPARE(s.deliveries().dueDeliveries(1000, 10).size(), 0);
        QCOMPARE(s.standard().changeStandard(consentChange(sc, id)).status, StandardWriteResult::Status::Done);
        const auto sent = s.standard().sendStandardMessage(m, {}, deliveryOf);
        QCOMPARE(sent.status, StandardSendResult::Status::Created);
        QVERIFY(sent.delivery);
        const auto row = s.deliveries().delivery(sent.delivery->id);
        QVERIFY(row);
        QCOMPARE(row->messageId, m.id);
        QCOMPARE(row->to, QStringLiteral("+12015550154"));
        QCOMPARE(row->state, DeliveryState::Queued);
        // A retry with the same clientId finds the message, already on its way: no second delivery.
        const auto again = s.standard().sendStandardMessage(m, {}, deliveryOf);
        QCOMPARE(again.status, StandardSendResult::Status::Duplicate);
        QVERIFY(!again.delivery);
        QCOMPARE(made, 1);
        QCOMPARE(s.deliveries().dueDeliveries(1000, 10).size(), 1);

        // The courier's row and the message's state are written together, also when the message does not change.
        OutboxRecord done = *row;
        done.state = DeliveryState::Sent;
        done.attempts = 1;
        done.updatedAt = 200;
        QCOMPARE(
            s.standard().updateMessageDelivery(m.id, MessageDelivery{QStringLiteral("sent"), {}, 200}, {}, done).status,
            StandardWriteResult::Status::Done);
        QCOMPARE(s.deliveries().delivery(done.id)->state, DeliveryState::Sent);
        QCOMPARE(s.conversations().messageById(m.id)->delivery->state, QStringLiteral("sent"));
        done.state = DeliveryState::Delivered;
        done.updatedAt = 300;
        QCOMPARE(
            s.standard().updateMessageDelivery(m.id, MessageDelivery{QStringLiteral("sent"), {}, 300}, {}, done).status,
            StandardWriteResult::Status::Duplicate);
        QCOMPARE(s.deliveries().delivery(done.id)->state, DeliveryState::Delivered);
        QCOMPARE(s.deliveries().dueDeliveries(1000, 10).size(), 0);
    }

    void findsThePracticesPatientByContact()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        QVERIFY(!s.standard().practicePatientByContact(sc.practice.id, QStringLiteral("+12015550154"), {}));
        const auto invited = invite(s, sc, QStringLiteral("+12015550154"));
        QVERIFY(invited.ok);
        const QString conversationId =
            s.invitations().contactMatches(sc.practice.id, QStringLiteral("+12015550154"), {}).value(0).conversationId;
        const auto found = s.standard().practicePatientByContact(sc.practice.id, QStringLiteral("+12015550154"), {});
        QVERIFY(found);
        QCOMPARE(found->id, s.conversations().conversation(conversationId)->patientId);
        const Scene other = makeScene(s, QStringLiteral("b"));
        QVERIFY(!s.standard().practicePatientByContact(other.practice.id, QStringLiteral("+12015550154"), {}));
    }
};

LARCH_STORAGE_TEST(TestStandardStorage)
#include "tst_storage_standard.moc"
