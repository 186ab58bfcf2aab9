// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The storage conformance tests' starting practice.
#include "StorageScene.h"

#include "core/crypto/Crypto.h"

#include <QtTest>

namespace larch::server::conformance {

UserRecord userRecord(const QString &practiceId, const QString &email, const QString &role)
{
    return UserRecord{User{newId(), email.section(QLatin1Char('@'), 0, 0), email, role, practiceId},
                      QByteArray("$argon2id$not-a-real-hash"), 1000};
}

Scene makeScene(Storage &storage, const QString &tag)
{
    Scene scene;
    scene.practice = PracticeRecord{newId(), QStringLiteral("Practice ") + tag, 1000};
    const auto admin =
        userRecord(scene.practice.id, QStringLiteral("admin-%1@example.org").arg(tag), QStringLiteral("admin"));
    [&] { QVERIFY(storage.accounts().createPractice(scene.practice, admin)); }();
    scene.admin = admin.user;
    const auto clinician =
        userRecord(scene.practice.id, QStringLiteral("doc-%1@example.org").arg(tag), QStringLiteral("clinician"));
    [&] { QVERIFY(storage.accounts().createUser(clinician)); }();
    scene.clinician = clinician.user;
    const auto patient =
        userRecord(scene.practice.id, QStringLiteral("pat-%1@example.org").arg(tag), QStringLiteral("patient"));
    scene.conversation = ConversationRecord{
        newId(), scene.practice.id, patient.user.id, QStringLiteral("Pat"), QStringLiteral("secure"), 1000, 1000, 0};
    QList<StoredEvent> stored;
    [&] { QVERIFY(storage.accounts().createPatient(patient, scene.conversation, {}, &stored)); }();
    scene.patient = patient.user;
    scene.recipients = {scene.patient.id, scene.admin.id, scene.clinician.id};
    return scene;
}

NewMessage message(const Scene &scene, const User &from, const QString &body, const QString &clientId)
{
    return NewMessage{
        newId(), clientId.isEmpty() ? newId() : clientId, scene.conversation.id, from.id, from.name, body, 2000, {}, {},
        {}};
}

InvitationWriteResult invite(Storage &storage, const Scene &scene, const QString &phone, qint64 at)
{
    UserRecord placeholder{
        User{newId(), QStringLiteral("Invited"), QString(), QStringLiteral("patient"), scene.practice.id}, {}, at};
    ConversationRecord c{
        newId(), scene.practice.id, placeholder.user.id, QStringLiteral("Invited"), QStringLiteral("secure"), at, at,
        0};
    InvitationRecord i;
    i.id = newId();
    i.practiceId = scene.practice.id;
    i.conversationId = c.id;
    i.placeholderId = placeholder.user.id;
    i.patientName = QStringLiteral("Invited");
    i.phone = phone;
    i.channel = QStringLiteral("sms");
    i.state = QStringLiteral("pending");
    i.createdBy = scene.admin.id;
    i.createdAt = i.deliveryAt = at;
    i.expiresAt = at + 1000;
    return storage.invitations().createInvitation(placeholder, c, i, tokenDigest(newToken()), {}, std::nullopt);
}

QByteArray signIn(Storage &storage, const QString &userId)
{
    const QByteArray digest = tokenDigest(newToken());
    storage.accounts().createSession(digest, userId, 1, 9'999'999'999'999);
    return digest;
}

} // namespace larch::server::conformance
