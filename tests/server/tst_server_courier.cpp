// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The courier in-process: the durable queue, retries, state reports, gateway statuses out of order, the body
// kept only by the development outbox; form decoding, the gateway signature and the e-mail message format.
#include "server/api/FormData.h"
#include "server/api/MultipartForm.h"
#include "server/delivery/DeliveryCourier.h"
#include "server/delivery/SmtpSender.h"
#include "server/storage/sqlite/SqliteStorage.h"

#include "core/crypto/Crypto.h"

#include <deque>
#include <mutex>
#include <QTemporaryDir>
#include <QtTest>

using namespace larch::server;

namespace {

/// A sender that answers from a script and counts its calls.
class ScriptedSender final : public DeliverySender {
public:
    explicit ScriptedSender(std::deque<SendOutcome> script) : m_script(std::move(script)) { }
    Transport transport() const override { return Transport::Gateway; }
    SendOutcome send(const OutboxRecord &, const std::atomic<bool> &) override
    {
        std::lock_guard lock(m_mutex);
        ++m_calls;
        if (m_script.empty())
            return SendOutcome::sent(QStringLiteral("SMdefault"));
        SendOutcome o = m_script.front();
        m_script.pop_front();
        return o;
    }
    int calls()
    {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }

private:
    std::mutex m_mutex;
    std::deque<SendOutcome> m_script;
    int m_calls = 0;
};

/// Collects the updates the courier reports.
struct Reports {
    std::mutex mutex;
    QList<DeliveryUpdate> list;
    Courier::UpdateHandler handler()
    {
        return [this](const DeliveryUpdate &u, const OutboxRecord &) {
            std::lock_guard lock(mutex);
            list.append(u);
            return false; // recorded nothing: the courier writes its row alone
        };
    }
    QList<DeliveryState> states()
    {
        std::lock_guard lock(mutex);
        QList<DeliveryState> out;
        for (const auto &u : list)
            out.append(u.state);
        return out;
    }
    DeliveryUpdate last()
    {
        std::lock_guard lock(mutex);
        return list.isEmpty() ? DeliveryUpdate{} : list.last();
    }
};

Delivery invitationSms(const QString &invitationId = QStringLiteral("inv-1"))
{
    return Delivery{Channel::Sms, QStringLiteral("+12015550123"),
                    {},           QStringLiteral("Join here: https://x.example/i/abc"),
                    invitationId, {},
                    {},           {}};
}

} // namespace

class TestServerCourier : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SqliteStorage> m_storage;

    std::optional<OutboxRecord> only(Transport transport)
    {
        const auto list = m_storage->deliveries().recentDeliveries(transport, 10);
        return list.size() == 1 ? std::optional(list.first()) : std::nullopt;
    }

private slots:
    void initTestCase() { QVERIFY(larch::initCrypto()); }

    void init()
    {
        m_storage.reset();
        QFile::remove(m_dir.filePath(QStringLiteral("t.sqlite3")));
        m_storage = std::make_unique<SqliteStorage>(m_dir.filePath(QStringLiteral("t.sqlite3")));
    }

    void outboxKeepsTheBody()
    {
        Reports reports;
        DeliveryCourier courier(*m_storage, std::make_unique<OutboxSender>(), std::make_unique<OutboxSender>(), {30});
        courier.setUpdateHandler(reports.handler());
        courier.enqueue(invitationSms());
        // Stored and reported before the thread runs; nothing is sent until start().
        QCOMPARE(reports.states(), QList<DeliveryState>{DeliveryState::Queued});
        QTest::qWait(100);
        QCOMPARE(only(Transport::Outbox)->state, DeliveryState::Queued);
        courier.start();
        QTRY_COMPARE(reports.states(), (QList<DeliveryState>{DeliveryState::Queued, DeliveryState::Sent}));
        const auto row = only(Transport::Outbox);
        QCOMPARE(row->state, DeliveryState::Sent);
        QCOMPARE(row->body, QStringLiteral("Join here: https://x.example/i/abc"));
        QCOMPARE(reports.last().invitationId, QStringLiteral("inv-1"));
    }

    void retriesThenSent()
    {
        Reports reports;
        auto sender = std::make_unique<ScriptedSender>(std::deque<SendOutcome>{
            SendOutcome::retry(QStringLiteral("Down.")), SendOutcome::retry(QStringLiteral("Down.")),
            SendOutcome::sent(QStringLiteral("SM1"))});
        ScriptedSender *s = sender.get();
        DeliveryCourier courier(*m_storage, std::move(sender), std::make_unique<OutboxSender>(), {0, 0, 0});
        courier.setUpdateHandler(reports.handler());
        courier.start();
        courier.enqueue(invitationSms());
        QTRY_COMPARE(reports.states(), (QList<DeliveryState>{DeliveryState::Queued, DeliveryState::Sent}));
        QCOMPARE(s->calls(), 3);
        const auto row = only(Transport::Gateway);
        QCOMPARE(row->attempts, 3);
        QCOMPARE(row->providerId, QStringLiteral("SM1"));
        QVERIFY(row->body.isEmpty()); // a real transport keeps no link once sent
        QVERIFY(row->detail.isEmpty());

        // Statuses from the gateway: forward only, unknown ids refused.
        QVERIFY(courier.applyGatewayStatus(QStringLiteral("SM1"), DeliveryState::Delivered, {}));
        QCOMPARE(reports.last().state, DeliveryState::Delivered);
        QVERIFY(courier.applyGatewayStatus(QStringLiteral("SM1"), DeliveryState::Sent, {}));
        QVERIFY(courier.applyGatewayStatus(QStringLiteral("SM1"), DeliveryState::Failed, QStringLiteral("Late.")));
        QCOMPARE(only(Transport::Gateway)->state, DeliveryState::Delivered);
        QCOMPARE(reports.states().size(), 3);
        QVERIFY(!courier.applyGatewayStatus(QStringLiteral("SM2"), DeliveryState::Delivered, {}));
        QVERIFY(!courier.applyGatewayStatus(QString(), DeliveryState::Delivered, {}));
    }

    void failsAfterLastRetry()
    {
        Reports reports;
        auto sender = std::make_unique<ScriptedSender>(
            std::deque<SendOutcome>(5, SendOutcome::retry(QStringLiteral("The SMS gateway could not be reached."))));
        ScriptedSender *s = sender.get();
        DeliveryCourier courier(*m_storage, std::move(sender), std::make_unique<OutboxSender>(), {0, 0});
        courier.setUpdateHandler(reports.handler());
        courier.start();
        courier.enqueue(invitationSms());
        QTRY_COMPARE(reports.states(), (QList<DeliveryState>{DeliveryState::Queued, DeliveryState::Failed}));
        QCOMPARE(s->calls(), 3);
        QCOMPARE(reports.last().detail,
                 QStringLiteral("The SMS gateway could not be reached. Gave up after 3 attempts."));
        QVERIFY(only(Transport::Gateway)->body.isEmpty());
    }

    void refusedFailsAtOnce()
    {
        Reports reports;
        auto sender =
            std::make_unique<ScriptedSender>(std::deque<SendOutcome>{SendOutcome::failed(QStringLiteral("Refused."))});
        DeliveryCourier courier(*m_storage, std::move(sender), std::make_unique<OutboxSender>(), {0, 0});
        courier.setUpdateHandler(reports.handler());
        courier.start();
        courier.enqueue(invitationSms());
        QTRY_COMPARE(reports.states(), (QList<DeliveryState>{DeliveryState::Queued, DeliveryState::Failed}));
        QCOMPARE(reports.last().detail, QStringLiteral("Refused."));
        QCOMPARE(only(Transport::Gateway)->attempts, 1);
    }

    void codesAreNotReported()
    {
        Reports reports;
        DeliveryCourier courier(*m_storage, std::make_unique<OutboxSender>(), std::make_unique<OutboxSender>(), {});
        courier.setUpdateHandler(reports.handler());
        courier.start();
        courier.enqueue(Delivery{Channel::Email,
                                 QStringLiteral("a@b.example"),
                                 QStringLiteral("Your code"),
                                 QStringLiteral("123456"),
                                 {},
                                 {},
                                 {},
                                 {}});
        QTRY_COMPARE(only(Transport::Outbox)->state, DeliveryState::Sent);
        QVERIFY(reports.states().isEmpty());
        QCOMPARE(only(Transport::Outbox)->channel, Channel::Email);
    }

    void queueSurvivesRestart()
    {
        {
            DeliveryCourier courier(*m_storage, std::make_unique<ScriptedSender>(std::deque<SendOutcome>{}),
                                    std::make_unique<OutboxSender>(), {0});
            courier.enqueue(invitationSms());
        } // never started: the delivery stays queued in the table
        auto sender =
            std::make_unique<ScriptedSender>(std::deque<SendOutcome>{SendOutcome::sent(QStringLiteral("SM9"))});
        DeliveryCourier courier(*m_storage, std::move(sender), std::make_unique<OutboxSender>(), {0});
        courier.start();
        QTRY_COMPARE(only(Transport::Gateway)->state, DeliveryState::Sent);
        QCOMPARE(only(Transport::Gateway)->providerId, QStringLiteral("SM9"));
    }

    void pruneKeepsQueued()
    {
        DeliveryCourier courier(*m_storage, std::make_unique<OutboxSender>(), std::make_unique<OutboxSender>(), {});
        courier.enqueue(invitationSms(QStringLiteral("inv-a"))); // never started: stays queued
        OutboxRecord old = *only(Transport::Outbox);
        old.id = QStringLiteral("old");
        old.state = DeliveryState::Delivered;
        old.createdAt = old.updatedAt = 1000;
        m_storage->deliveries().addDelivery(old);
        QCOMPARE(m_storage->deliveries().pruneDeliveries(QDateTime::currentMSecsSinceEpoch() + 1000), 1);
        QCOMPARE(m_storage->deliveries().recentDeliveries(Transport::Outbox, 10).size(), 1);
        QVERIFY(!m_storage->deliveries().delivery(QStringLiteral("old")));
    }

    void formData()
    {
        const auto fields = parseForm("MessageSid=SM1&Body=a+b%2Bc%26d&Empty=&Flag");
        QVERIFY(fields);
        QCOMPARE(fields->size(), 4);
        QCOMPARE(formValue(*fields, "Body").value(), QByteArray("a b+c&d"));
        QCOMPARE(formValue(*fields, "Empty").value(), QByteArray());
        QCOMPARE(formValue(*fields, "Flag").value(), QByteArray());
        QVERIFY(!formValue(*fields, "Missing"));
        QVERIFY(!parseForm("a=%zz"));
        QVERIFY(!parseForm("a=%4"));
        QVERIFY(!parseForm("=value"));
        QVERIFY(parseForm("")->isEmpty());
    }

    void multipartForms()
    {
        // The boundary comes from the Content-Type, quoted or not; anything else is not multipart.
        QCOMPARE(multipartBoundary("multipart/form-data; boundary=xYz123"), QByteArray("xYz123"));
        QCOMPARE(multipartBoundary("multipart/form-data; charset=utf-8; boundary=\"a b'c\""), QByteArray("a b'c"));
        QVERIFY(multipartBoundary("application/x-www-form-urlencoded").isEmpty());
        QVERIFY(multipartBoundary("multipart/form-data").isEmpty());

        static const char raw[] = "--B\r\nContent-Disposition: form-data; name=\"sender\"\r\n\r\nsam@example.org\r\n"
                                  "--B\r\nContent-Disposition: form-data; name=\"body-plain\"\r\n"
                                  "Content-Type: text/plain; charset=utf-8\r\n\r\nline one\r\nline two\r\n"
                                  "--B\r\nContent-Disposition: form-data; name=\"attachment-1\"; filename=\"x.pdf\"\r\n"
                                  "Content-Type: application/pdf\r\n\r\n%PDF\x00\x01\r\n--B--\r\n";
        const auto parts = parseMultipart(QByteArray(raw, sizeof(raw) - 1), "B"); // binary file bytes kept
        QVERIFY(parts);
        QCOMPARE(parts->size(), 3);
        QCOMPARE(parts->at(1).data, QByteArray("line one\r\nline two"));
        QCOMPARE(parts->at(2).filename, QByteArray("x.pdf"));
        QCOMPARE(parts->at(2).contentType, QByteArray("application/pdf"));
        QCOMPARE(parts->at(2).data, QByteArray("%PDF\x00\x01", 6));
        const FormFields fields = multipartFields(*parts);
        QCOMPARE(fields.size(), 2); // the file is left out
        QCOMPARE(formValue(fields, "sender").value_or(QByteArray()), QByteArray("sam@example.org"));

        // Malformed: no closing delimiter, no blank line after the headers, a part without a name, no opening.
        QVERIFY(!parseMultipart("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n", "B"));
        QVERIFY(!parseMultipart("--B\r\nContent-Disposition: form-data; name=\"a\"\r\nx\r\n--B--\r\n", "B"));
        QVERIFY(!parseMultipart("--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--\r\n", "B"));
        QVERIFY(!parseMultipart("garbage", "B"));

        // Limits: too many parts, headers too long.
        QByteArray many;
        for (int i = 0; i < 3; ++i)
            many += "--B\r\nContent-Disposition: form-data; name=\"f" + QByteArray::number(i) + "\"\r\n\r\nv\r\n";
        many += "--B--\r\n";
        QVERIFY(parseMultipart(many, "B", {3, 8192}));
        QVERIFY(!parseMultipart(many, "B", {2, 8192}));
        QVERIFY(!parseMultipart(many, "B", {100, 10}));
    }

    void gatewaySignatureMatchesTwilios()
    {
        // Computed independently with Python's hmac module (see tests/server/sms_gateway.py's sign()).
        const FormFields fields{
            {"MessageSid", "SM0123"}, {"MessageStatus", "delivered"}, {"AccountSid", "AC9"}, {"ErrorCode", ""}};
        const QByteArray signature =
            gatewaySignature("secret-token", "https://clinic.example/v1/webhooks/sms/status", fields);
        QCOMPARE(signature, QByteArray("WcRzoFkzChtYy1CyLovcTpDFL5s="));
        QVERIFY(signatureMatches(signature, "WcRzoFkzChtYy1CyLovcTpDFL5s="));
        QVERIFY(!signatureMatches(signature, "WcRzoFkzChtYy1CyLovcTpDFL5t="));
        QVERIFY(!signatureMatches(signature, ""));
        QVERIFY(gatewaySignature("other-token", "https://clinic.example/v1/webhooks/sms/status", fields) != signature);
    }

    void emailMessage()
    {
        const SmtpSettings settings{"smtp://127.0.0.1:25", {}, {}, "Larch <invites@clinic.example>", false, {}};
        OutboxRecord d;
        d.id = QStringLiteral("0f0e0d0c-0000-4000-8000-000000000001");
        d.to = QStringLiteral("pat@patient.example");
        d.subject = QStringLiteral("Your code\r\nBcc: evil@example.com");
        d.body = QStringLiteral("Line one\nLine two");
        const QByteArray ascii = SmtpSender::message(settings, d, 1795563217000);
        QVERIFY(ascii.startsWith("Date: Tue, 24 Nov 2026 "));
        QVERIFY(ascii.contains("\r\nFrom: Larch <invites@clinic.example>\r\n"));
        QVERIFY(ascii.contains("\r\nTo: <pat@patient.example>\r\n"));
        QVERIFY(ascii.contains("\r\nSubject: Your code  Bcc: evil@example.com\r\n")); // no second header line
        QVERIFY(!ascii.contains("\r\nBcc:"));
        QVERIFY(ascii.contains("\r\nMessage-ID: <0f0e0d0c-0000-4000-8000-000000000001@clinic.example>\r\n"));
        QVERIFY(ascii.contains("\r\nContent-Transfer-Encoding: 7bit\r\n\r\nLine one\r\nLine two\r\n"));
        QCOMPARE(SmtpSender::address("Larch <invites@clinic.example>"), std::string("invites@clinic.example"));
        QCOMPARE(SmtpSender::address("invites@clinic.example"), std::string("invites@clinic.example"));

        d.subject = QStringLiteral("Votre invitation à Larch");
        d.body = QStringLiteral("Équipe = soins ") + QString(100, QLatin1Char('x'));
        const QByteArray utf8 = SmtpSender::message(settings, d, 1795563217000);
        QVERIFY(utf8.contains("\r\nSubject: =?UTF-8?B?"));
        QVERIFY(utf8.contains("Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=89quipe =3D soins "));
        for (const QByteArray &line : utf8.split('\n'))
            QVERIFY2(line.size() <= 78, line.constData());
    }
};

QTEST_GUILESS_MAIN(TestServerCourier)
#include "tst_server_courier.moc"
