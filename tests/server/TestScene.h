// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Small scenes for end-to-end encryption tests: a practice with an admin, a clinician and a patient
// signed in (no devices yet), and the helpers to post keys and read events.
#pragma once

#include "core/crypto/DeviceKeys.h"
#include "HttpClient.h"

#include <QJsonArray>
#include <QRandomGenerator>

/// Who a scene holds; every token is a fresh session with no device.
struct Scene {
    QString practiceId, adminId, adminToken, clinicianId, clinicianToken, patientId, patientToken, conversationId;
};

inline QString b64(const QByteArray &bytes) { return QString::fromLatin1(bytes.toBase64()); }
inline QByteArray unb64(const QJsonValue &v) { return QByteArray::fromBase64(v.toString().toLatin1()); }

inline QByteArray randomBytes(qsizetype n)
{
    QByteArray out(n, '\0');
    for (auto &c : out)
        c = char(QRandomGenerator::global()->bounded(256));
    return out;
}

/// The POST /v1/devices body of keys.
inline QJsonObject deviceBody(const larch::DeviceKeys &keys, const QString &name = QStringLiteral("Laptop"))
{
    return {{"deviceId", keys.deviceId},
            {"name", name},
            {"boxPublicKey", b64(keys.boxPublic)},
            {"signPublicKey", b64(keys.signPublic)}};
}

/// A practice "tag" with admin, clinician and patient signed in; empty ids when a step failed.
inline Scene makeScene(HttpClient &http, const QString &tag)
{
    Scene s;
    const QJsonObject p =
        http.createPractice(QStringLiteral("Practice ") + tag, QStringLiteral("admin@%1.example").arg(tag));
    s.practiceId = p.value("practice").toObject().value("id").toString();
    s.adminId = p.value("user").toObject().value("id").toString();
    s.adminToken = p.value("session").toObject().value("token").toString();
    s.clinicianId = http.post(QStringLiteral("/v1/practices/%1/staff").arg(s.practiceId),
                              {{"name", "Dr. " + tag},
                               {"email", QStringLiteral("doc@%1.example").arg(tag)},
                               {"password", "clinician password"},
                               {"role", "clinician"}},
                              s.adminToken)
                        .json.value("id")
                        .toString();
    s.clinicianToken = http.signIn(QStringLiteral("doc@%1.example").arg(tag), QStringLiteral("clinician password"));
    const HttpReply patient = http.post(QStringLiteral("/v1/practices/%1/patients").arg(s.practiceId),
                                        {{"name", "Pat " + tag},
                                         {"email", QStringLiteral("pat@%1.example").arg(tag)},
                                         {"password", "patient password"}},
                                        s.adminToken);
    s.patientId = patient.json.value("user").toObject().value("id").toString();
    s.conversationId = patient.json.value("conversation").toObject().value("id").toString();
    s.patientToken = http.signIn(QStringLiteral("pat@%1.example").arg(tag), QStringLiteral("patient password"));
    return s;
}

/// The data of the stored events of type for the token's user, oldest first.
inline QList<QJsonObject> storedEvents(HttpClient &http, const QString &token, const QString &type)
{
    QList<QJsonObject> out;
    for (const QJsonValue &e :
         http.get(QStringLiteral("/v1/events?since=0&limit=200"), token).json.value("events").toArray())
        if (e.toObject().value("type").toString() == type)
            out << e.toObject().value("data").toObject();
    return out;
}
