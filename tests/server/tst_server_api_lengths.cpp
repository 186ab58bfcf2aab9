// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_api: limits in characters count what a person counts (emoji, joined emoji, stacked accents each one),
// on every field a person types: names, invitation text, Practice Link labels, consent notes, message bodies.
#include "tst_server_api.h"

#include <functional>

namespace {

const QString ThumbsUp = QStringLiteral(u"\U0001F44D"); ///< a surrogate pair
/// Man, woman, girl, boy joined by zero-width joiners: eleven UTF-16 units, one character.
const QString Family = QStringLiteral(u"\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466");
/// "e" with four combining marks stacked on it: five UTF-16 units, one character.
const QString StackedE = QStringLiteral(u"e\u0301\u0302\u0303\u0304");

/// A field limited in characters: its limit, and a request setting it to fill, which the route receives after
/// prefix (text of its own the field always holds, counted in its limit).
struct LimitedField {
    QString what;
    int limit = 0;
    QString prefix;
    std::function<HttpReply(const QString &)> set;
};

} // namespace

void TestServerApi::lengthsCountWhatAPersonCounts()
{
    int made = 0;
    const auto unique = [&made](const char *what) {
        return QStringLiteral("%1-%2@lengths.example").arg(what).arg(++made);
    };
    const QString practice = QStringLiteral("/v1/practices/%1").arg(m_practiceId);

    const HttpReply invitation = m_http->post(practice + QStringLiteral("/invitations"),
                                              {{"patientName", "Sam Lee"}, {"email", unique("invited")}}, m_adminToken);
    QCOMPARE(invitation.status, 201);
    const QString invitationId = invitation.json.value("invitation").toObject().value("id").toString();
    const HttpReply standard =
        m_http->post(practice + QStringLiteral("/standard-conversations"),
                     {{"channel", "email"}, {"email", unique("standard")}, {"name", "Robin"}}, m_adminToken);
    QCOMPARE(standard.status, 201);
    const QString standardId = standard.json.value("id").toString();
    const QString consent = QStringLiteral("/v1/conversations/%1/consent").arg(standardId);
    QCOMPARE(m_http->post(consent, {{"method", "verbal"}}, m_adminToken).status, 200);

    const QList<LimitedField> fields{
        {QStringLiteral("patient name"),
         200,
         {},
         [&](const QString &fill) {
             return m_http->post(practice + QStringLiteral("/patients"),
                                 {{"name", fill}, {"email", unique("patient")}, {"password", "patient password"}},
                                 m_adminToken);
         }},
        {QStringLiteral("invited patient's name"),
         200,
         {},
         [&](const QString &fill) {
             return m_http->request("PATCH", QStringLiteral("/v1/invitations/%1").arg(invitationId),
                                    {{"patientName", fill}}, m_adminToken);
         }},
        {QStringLiteral("standard conversation's name"),
         200,
         {},
         [&](const QString &fill) {
             return m_http->post(practice + QStringLiteral("/standard-conversations"),
                                 {{"channel", "email"}, {"email", unique("standard")}, {"name", fill}}, m_adminToken);
         }},
        {QStringLiteral("consent note"),
         500,
         {},
         [&](const QString &fill) {
             return m_http->post(consent, {{"method", "written"}, {"note", fill}}, m_adminToken);
         }},
        {QStringLiteral("Practice Link label"),
         60,
         {},
         [&](const QString &fill) {
             return m_http->post(practice + QStringLiteral("/practice-links"), {{"label", fill}}, m_adminToken);
         }},
        {QStringLiteral("invitation text"), 320, QStringLiteral("Join us: {link} "),
         [&](const QString &fill) {
             return m_http->request("PUT", practice + QStringLiteral("/invitation-text"),
                                    {{"text", QStringLiteral("Join us: {link} ") + fill}}, m_adminToken);
         }},
        {QStringLiteral("standard message body"),
         20000,
         {},
         [&](const QString &fill) {
             return m_http->post(QStringLiteral("/v1/conversations/%1/messages").arg(standardId),
                                 {{"clientId", uuid()}, {"body", fill}}, m_adminToken);
         }},
    };
    for (const LimitedField &f : fields) {
        const int room = f.limit - int(f.prefix.size()); // the prefixes are ASCII
        // Each as many characters as the limit allows, though far more UTF-16 units. Families stop at 2,000 (50 KB
        // of UTF-8), more units than any limit here yet within every request's byte bound.
        const QList<QPair<const char *, QString>> accepted{{"emoji", ThumbsUp.repeated(room)},
                                                           {"families", Family.repeated(std::min(room, 2000))},
                                                           {"stacked accents", StackedE.repeated(room)}};
        for (const auto &[kind, fill] : accepted) {
            const HttpReply r = f.set(fill);
            QVERIFY2(r.status == 200 || r.status == 201,
                     qPrintable(QStringLiteral("%1 of %2: %3 %4")
                                    .arg(f.what, QLatin1String(kind))
                                    .arg(r.status)
                                    .arg(QString::fromUtf8(r.body.left(300)))));
        }
        // One plain letter more than the limit is refused, the sentence giving the limit in characters.
        const HttpReply over = f.set(QString(room + 1, u'a'));
        QVERIFY2(over.status == 400, qPrintable(f.what));
        QCOMPARE(over.errorCode(), QStringLiteral("invalid_field"));
        const QString message = over.json.value("error").toObject().value("message").toString();
        QVERIFY2(message.contains(QStringLiteral("%1 characters").arg(f.limit)), qPrintable(f.what + ": " + message));
    }

    // A Practice Link's tag counts the same way: 30 Hangul syllables written in jamo (three UTF-16 units each, all
    // letters) are a full tag, 31 one too many.
    const QString syllable = QStringLiteral(u"\u1100\u1161\u11A8");
    const auto tagged = [&](const QString &tag) {
        return m_http->post(practice + QStringLiteral("/practice-links"), {{"label", "Tagged"}, {"tag", tag}},
                            m_adminToken);
    };
    QCOMPARE(tagged(syllable.repeated(30)).status, 201);
    const HttpReply longTag = tagged(syllable.repeated(31));
    QCOMPARE(longTag.status, 400);
    QVERIFY(
        longTag.json.value("error").toObject().value("message").toString().contains(QStringLiteral("30 characters")));

    // What was accepted is kept whole: the name of 200 families reads back as sent.
    const HttpReply patient = m_http->post(
        practice + QStringLiteral("/patients"),
        {{"name", Family.repeated(200)}, {"email", unique("patient")}, {"password", "patient password"}}, m_adminToken);
    QCOMPARE(patient.status, 201);
    QCOMPARE(patient.json.value("user").toObject().value("name").toString(), Family.repeated(200));
}
