// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Seeds for fuzz_protocol_json: the wire types as their own toJson writes them (the values of tests/core's round
// trips: a secure conversation with its last message and envelope, a standard one with consent, a session, an
// event, a Practice Link, an attachment), and a registration request for FieldReader.
#include "FuzzSeeds.h"

#include "core/attachments/AttachmentRef.h"
#include "core/protocol/Protocol.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace larch;

QList<QByteArray> fuzzSeeds()
{
    const QString a = QStringLiteral("0b9e2c4e-1f6a-4d3b-9a51-2c7d8e9f0a1b");
    const QString b = QStringLiteral("5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e");
    const QString c = QStringLiteral("c0ffee00-1234-4abc-8def-0123456789ab");
    Message m{a, b, c, 18, a, QStringLiteral("Sam Lee"), QString(), 1764000123999, {}};
    m.envelope = QJsonObject{{"epoch", 3},
                             {"senderDeviceId", b},
                             {"format", 2},
                             {"ciphertext", QString::fromLatin1(QByteArray(40, '\x07').toBase64())},
                             {"signature", QString::fromLatin1(QByteArray(64, '\x05').toBase64())}};
    Conversation secure;
    secure.id = c;
    secure.practiceId = a;
    secure.patientId = b;
    secure.title = QStringLiteral("Sam Lee");
    secure.lastMessage = m;
    secure.members = {Member{b, QStringLiteral("Sam Lee"), QStringLiteral("patient"), 4}};
    secure.invitationState = QStringLiteral("paired");
    Conversation sms = secure;
    sms.kind = QStringLiteral("sms");
    sms.lastMessage = Message{a,
                              b,
                              c,
                              9,
                              a,
                              QStringLiteral("x"),
                              QString(),
                              2,
                              {},
                              MessageDelivery{QStringLiteral("failed"), QStringLiteral("unreachable"), 3},
                              MessageNote{QStringLiteral("secure_invited"), c}};
    sms.standard = StandardContact{
        QStringLiteral("+12015550123"), QStringLiteral("(201) 555-0123"),
        Consent{QStringLiteral("verbal"), QStringLiteral("at the desk"), a, QStringLiteral("Ana"), 5}, 7, c};
    sms.tags = {QStringLiteral("flyer")};
    const User user{a, QStringLiteral("Dr. Ana Ruiz"), QStringLiteral("ana@example.org"), QStringLiteral("clinician"),
                    c};
    const Session session{QStringLiteral("tok"), 99, user};
    const Event event{4, QString::fromLatin1(EventType::MessageCreated), QJsonObject{{"message", m.toJson()}}};
    const PracticeLink link{a,
                            c,
                            QStringLiteral("AbC123"),
                            QStringLiteral("Front desk flyer"),
                            QStringLiteral("flyer"),
                            true,
                            QStringLiteral("https://clinic.example/p/AbC123"),
                            1,
                            2};
    AttachmentRef file;
    file.blobId = a;
    file.key = QByteArray(32, '\x01');
    file.blobSha256 = QByteArray(32, '\x02');
    file.size = 1234;
    file.mime = QStringLiteral("application/pdf");
    file.kind = QStringLiteral("pdf");
    file.name = QStringLiteral("lab results.pdf");
    file.pages = 2;
    const QJsonObject request{{"name", QStringLiteral(" Sam Lee ")},
                              {"title", QStringLiteral("Follow-up")},
                              {"email", QStringLiteral("Sam@Example.org")},
                              {"password", QStringLiteral("correct horse battery")},
                              {"seq", 12},
                              {"role", QStringLiteral("patient")}};

    const QList<QJsonObject> objects{m.toJson(),    secure.toJson(), sms.toJson(), session.toJson(), event.toJson(),
                                     link.toJson(), file.toJson(),   request,      *m.envelope,      user.toJson()};
    QList<QByteArray> seeds;
    for (const QJsonObject &o : objects)
        seeds << QJsonDocument(o).toJson(QJsonDocument::Compact);
    seeds << QJsonDocument(QJsonArray{secure.toJson(), sms.toJson()}).toJson(QJsonDocument::Compact);
    seeds << QByteArray("{\"envelope\":null,\"id\":1}") << QByteArray("[") << QByteArray();
    return seeds;
}
