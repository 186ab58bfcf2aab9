// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A practice's settings on the real larch-server: GET and PATCH /v1/practices/{id}/settings, who may read and
// change them, bad input, and national phone numbers read in the practice's region once it changes.
#include "HttpClient.h"
#include "TestScene.h"
#include "TestServer.h"

#include <memory>
#include <QtTest>

namespace {

QString messageOf(const HttpReply &r) { return r.json.value("error").toObject().value("message").toString(); }

/// The first match of pattern in the body of the newest outbox delivery to a contact, or "".
QString fromOutbox(HttpClient &http, const QString &to, const QString &pattern)
{
    const QRegularExpression re(pattern);
    for (const QJsonValue &d : http.get(QStringLiteral("/dev/outbox.json")).json.value("deliveries").toArray())
        if (d.toObject().value("to").toString() == to)
            return re.match(d.toObject().value("body").toString()).captured(1);
    return {};
}

} // namespace

class TestServerSettings : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    std::unique_ptr<HttpClient> m_http;
    Scene m_a;
    Scene m_b;

    QString settingsPath(const Scene &s) const { return QStringLiteral("/v1/practices/%1/settings").arg(s.practiceId); }
    HttpReply patch(const Scene &s, const QJsonObject &body, const QString &token)
    {
        return m_http->request("PATCH", settingsPath(s), body, token);
    }
    HttpReply check(const QString &phone)
    {
        return m_http->post(QStringLiteral("/v1/practices/%1/contacts/check").arg(m_a.practiceId), {{"phone", phone}},
                            m_a.clinicianToken);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        m_http = std::make_unique<HttpClient>(m_server.baseUrl());
        m_a = makeScene(*m_http, QStringLiteral("seta"));
        m_b = makeScene(*m_http, QStringLiteral("setb"));
        QVERIFY(!m_a.clinicianToken.isEmpty() && !m_b.adminToken.isEmpty());
    }

    void staffReadTheDefaults()
    {
        const HttpReply r = m_http->get(settingsPath(m_a), m_a.clinicianToken);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("defaultRegion").toString(), QStringLiteral("US"));
        QVERIFY(r.json.value("invitationText").toString().contains(QStringLiteral("{link}")));
        QCOMPARE(r.json.value("invitationTextIsDefault").toBool(), true);
    }

    void othersGetNotFoundAndCliniciansForbidden()
    {
        HttpReply r = m_http->get(settingsPath(m_a), m_b.adminToken);
        QCOMPARE(r.status, 404);
        QCOMPARE(m_http->get(settingsPath(m_a), m_a.patientToken).status, 404);
        QCOMPARE(m_http->get(settingsPath(m_a)).status, 401);
        QCOMPARE(patch(m_a, {{"defaultRegion", "GB"}}, m_b.adminToken).status, 404);
        QCOMPARE(patch(m_a, {{"defaultRegion", "GB"}}, m_a.patientToken).status, 404);
        r = patch(m_a, {{"defaultRegion", "GB"}}, m_a.clinicianToken);
        QCOMPARE(r.status, 403);
        QVERIFY(messageOf(r).endsWith(QLatin1Char('.')));
        QCOMPARE(m_http->request("PUT", settingsPath(m_a), {{"defaultRegion", "GB"}}, m_a.adminToken).status, 405);
        QCOMPARE(m_http->get(settingsPath(m_a), m_a.adminToken).json.value("defaultRegion").toString(),
                 QStringLiteral("US"));
    }

    void badInputIsRefused()
    {
        HttpReply r = patch(m_a, {{"defaultRegion", "ZZ"}}, m_a.adminToken);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
        QCOMPARE(messageOf(r),
                 QStringLiteral(
                     "ZZ is not a country or region phone numbers are known for; use a code such as US, GB or CA."));
        for (const QJsonValue &bad : {QJsonValue("GBR"), QJsonValue("001"), QJsonValue(""), QJsonValue(44),
                                      QJsonValue(QJsonValue::Null), QJsonValue(QJsonArray{"GB"})}) {
            r = patch(m_a, {{"defaultRegion", bad}}, m_a.adminToken);
            QCOMPARE(r.status, 400);
            QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
            QVERIFY(messageOf(r).endsWith(QLatin1Char('.')));
        }
        r = patch(m_a, {}, m_a.adminToken);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("missing_field"));
        r = patch(m_a, {{"defaultRegion", "GB"}, {"region", "GB"}}, m_a.adminToken);
        QCOMPARE(r.status, 400);
        QVERIFY(messageOf(r).contains(QStringLiteral("region")));
        r = m_http->raw("PATCH", settingsPath(m_a), "not json", "application/json", m_a.adminToken);
        QCOMPARE(r.status, 400);
        QVERIFY(!messageOf(r).isEmpty());
        // A bad text with a good region changes neither.
        r = patch(m_a, {{"defaultRegion", "GB"}, {"invitationText", "no link"}}, m_a.adminToken);
        QCOMPARE(r.status, 400);
        QCOMPARE(m_http->get(settingsPath(m_a), m_a.adminToken).json.value("defaultRegion").toString(),
                 QStringLiteral("US"));
    }

    void regionReadsNationalNumbers()
    {
        // A UK mobile typed the British way is no US number.
        HttpReply r = check(QStringLiteral("07400 123456"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));

        r = patch(m_a, {{"defaultRegion", "GB"}}, m_a.adminToken);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("defaultRegion").toString(), QStringLiteral("GB"));
        QVERIFY(r.json.value("invitationText").toString().contains(QStringLiteral("{link}")));
        QCOMPARE(r.json.value("invitationTextIsDefault").toBool(), true);
        QCOMPARE(m_http->get(settingsPath(m_a), m_a.clinicianToken).json.value("defaultRegion").toString(),
                 QStringLiteral("GB"));
        // The other practice keeps its own.
        QCOMPARE(m_http->get(settingsPath(m_b), m_b.adminToken).json.value("defaultRegion").toString(),
                 QStringLiteral("US"));

        r = check(QStringLiteral("07400 123456"));
        QCOMPARE(r.status, 200);
        const QJsonObject phone = r.json.value("phone").toObject();
        QCOMPARE(phone.value("e164").toString(), QStringLiteral("+447400123456"));
        QCOMPARE(phone.value("display").toString(), QStringLiteral("07400 123456"));
        QCOMPARE(phone.value("type").toString(), QStringLiteral("mobile"));
        // A US number now needs its country code.
        QCOMPARE(check(QStringLiteral("+1 201 555 0123")).status, 200);

        // Invitations read national numbers in the region too.
        r = m_http->post(QStringLiteral("/v1/practices/%1/invitations").arg(m_a.practiceId),
                         {{"patientName", "Una Briton"}, {"phone", "07400 123457"}}, m_a.clinicianToken);
        QCOMPARE(r.status, 201);
        const QJsonObject invitation = r.json.value("invitation").toObject();
        QCOMPARE(invitation.value("phone").toString(), QStringLiteral("+447400123457"));
        QCOMPARE(invitation.value("phoneDisplay").toString(), QStringLiteral("07400 123457"));

        // The patient types the number as it is written in the UK: the link's practice region reads it.
        const QString token =
            fromOutbox(*m_http, QStringLiteral("+447400123457"), QStringLiteral("/i/([A-Za-z0-9_-]+)"));
        QVERIFY(!token.isEmpty());
        QCOMPARE(
            m_http->post(QStringLiteral("/v1/codes"), {{"phone", "07400 123457"}, {"invitationToken", token}}).status,
            202);
        const QString code = fromOutbox(*m_http, QStringLiteral("+447400123457"), QStringLiteral("\\b([0-9]{6})\\b"));
        QCOMPARE(code.size(), 6);
        QCOMPARE(
            m_http->post(QStringLiteral("/v1/codes/verify"), {{"phone", "07400 123457"}, {"code", code}}).errorCode(),
            QStringLiteral("invalid_field")); // without the link, a national number is read as a US one
        QCOMPARE(m_http
                     ->post(QStringLiteral("/v1/codes/verify"),
                            {{"phone", "07400 123457"}, {"code", code}, {"invitationToken", "unknown"}})
                     .status,
                 404);
        r = m_http->post(QStringLiteral("/v1/codes/verify"),
                         {{"phone", "07400 123457"}, {"code", code}, {"invitationToken", token}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("paired").toArray().size(), 1);

        // Lower case is understood; back to the US.
        r = patch(m_a, {{"defaultRegion", "us"}}, m_a.adminToken);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("defaultRegion").toString(), QStringLiteral("US"));
        QCOMPARE(check(QStringLiteral("07400 123456")).status, 400);
    }

    void invitationTextThroughBothRoutes()
    {
        const QString text = QStringLiteral("Your care team invites you to Larch: {link}");
        HttpReply r = patch(m_b, {{"invitationText", text}}, m_b.adminToken);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("invitationText").toString(), text);
        QCOMPARE(r.json.value("invitationTextIsDefault").toBool(), false);
        QCOMPARE(r.json.value("defaultRegion").toString(), QStringLiteral("US"));
        // The invitation-text route sees the same text and still changes it.
        const QString textPath = QStringLiteral("/v1/practices/%1/invitation-text").arg(m_b.practiceId);
        r = m_http->get(textPath, m_b.clinicianToken);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("text").toString(), text);
        QCOMPARE(r.json.value("isDefault").toBool(), false);
        const QString other = QStringLiteral("Join your care team securely on Larch: {link}");
        QCOMPARE(m_http->request("PUT", textPath, {{"text", other}}, m_b.adminToken).status, 200);
        QCOMPARE(m_http->get(settingsPath(m_b), m_b.clinicianToken).json.value("invitationText").toString(), other);
    }
};

QTEST_GUILESS_MAIN(TestServerSettings)
#include "tst_server_settings.moc"
