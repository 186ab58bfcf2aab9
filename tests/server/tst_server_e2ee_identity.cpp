// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_e2ee: the practice identity: made by an administrator's device with a practice key version, its signatures
// checked, its rotations signed by the version before, its seed handed to new staff devices, and listed to patients.
#include "core/crypto/PracticeIdentity.h"
#include "tst_server_e2ee.h"

using larch::PracticeIdentityKey;
using larch::IdentityStatement::practiceKey;
using larch::IdentityStatement::rotation;

namespace {

/// The body of POST …/keys for key version `version` sealed to devices, signed by `signer`, with `identity` as the
/// new identity version when given (its rotation signed by `previous` when that is given too).
QJsonObject keyBody(const QString &practiceId, const larch::PracticeKey &key, const QList<const DeviceKeys *> &devices,
                    const PracticeIdentityKey &signer, const PracticeIdentityKey *identity = nullptr,
                    const PracticeIdentityKey *previous = nullptr)
{
    QJsonArray grants, identityGrants;
    for (const DeviceKeys *d : devices) {
        grants.append(deviceGrant(*d, key.boxSecret.bytes()));
        if (identity)
            identityGrants.append(deviceGrant(*d, identity->seed.bytes()));
    }
    QJsonObject body{
        {"version", key.version},
        {"publicKey", b64(key.boxPublic)},
        {"grants", grants},
        {"identityVersion", signer.version},
        {"signature", b64(signer.sign(practiceKey(practiceId, key.version, key.boxPublic, signer.version)))}};
    if (identity) {
        QJsonObject i{{"version", identity->version},
                      {"publicKey", b64(identity->signPublic)},
                      {"grants", identityGrants},
                      {"rotationSignature", QJsonValue()}};
        if (previous)
            i.insert("rotationSignature",
                     b64(previous->sign(
                         rotation(practiceId, identity->version, previous->signPublic, identity->signPublic))));
        body.insert("identity", i);
    }
    return body;
}

} // namespace

void TestServerE2ee::practiceIdentityIsMadeByAnAdministratorAndSignsKeys()
{
    const Scene s = makeScene(*m_http, QStringLiteral("ident"));
    TestKeyring ring(*m_http);
    const TestMember admin = ring.enroll(s.adminToken);
    const TestMember doc = ring.enroll(s.clinicianToken);
    const TestMember patient = ring.enroll(s.patientToken);
    QVERIFY(admin.keys && doc.keys && patient.keys);
    QCOMPARE(ring.ensureEpoch(admin, s.conversationId), 1);

    // A practice older than identities has none: the keys answer lists none, and the look-up too.
    QVERIFY(get(keysPath(s), s.adminToken).json.value("practiceIdentity").isNull());
    QVERIFY(get(QStringLiteral("/v1/conversations/%1/keys").arg(s.conversationId), s.patientToken)
                .json.value("practiceIdentity")
                .isNull());

    const PracticeIdentityKey v1 = PracticeIdentityKey::generate(1);
    const larch::PracticeKey k2 = larch::PracticeKey::generate(2);
    const QList<const DeviceKeys *> staff{admin.keys.get(), doc.keys.get()};
    // Only an administrator's device makes the first version.
    HttpReply r = post(keysPath(s), keyBody(s.practiceId, k2, staff, v1, &v1), s.clinicianToken);
    QCOMPARE(r.status, 403);
    QVERIFY(messageOf(r).contains(QStringLiteral("administrator")));
    // The key's signature must verify with the identity made with it.
    QJsonObject forged = keyBody(s.practiceId, k2, staff, v1, &v1);
    forged.insert("signature", b64(v1.sign(practiceKey(s.practiceId, 3, k2.boxPublic, 1))));
    r = post(keysPath(s), forged, s.adminToken);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
    // The identity's seed must reach every active staff device, as the key does.
    r = post(keysPath(s), keyBody(s.practiceId, k2, {admin.keys.get()}, v1, &v1), s.adminToken);
    QCOMPARE(r.status, 409);
    r = post(keysPath(s), keyBody(s.practiceId, k2, staff, v1, &v1), s.adminToken);
    QCOMPARE(r.status, 201);
    ring.addPracticeKey(s.practiceId, k2);
    const QJsonObject identity = r.json.value("practiceIdentity").toObject();
    QCOMPARE(identity.value("practiceId").toString(), s.practiceId);
    QCOMPARE(identity.value("versions").toArray().size(), 1);
    QCOMPARE(identity.value("versions")[0]["publicKey"].toString(), b64(v1.signPublic));
    QVERIFY(identity.value("versions")[0]["rotationSignature"].isNull());
    QCOMPARE(r.json.value("current")["identityVersion"].toInteger(), 1);
    // The seed sealed to the caller's device opens to the identity.
    const QJsonArray identityGrants = r.json.value("identityGrants").toArray();
    QCOMPARE(identityGrants.size(), 1);
    QCOMPARE(
        larch::openSealed(admin.keys->boxPublic, admin.keys->boxSecret.bytes(), unb64(identityGrants[0]["sealedKey"]))
            .value_or(QByteArray()),
        v1.seed.bytes());

    // Once there is an identity, a key version without its signature is refused.
    const larch::PracticeKey k3 = larch::PracticeKey::generate(3);
    QJsonObject unsignedKey = keyBody(s.practiceId, k3, staff, v1);
    unsignedKey.remove("signature");
    unsignedKey.remove("identityVersion");
    QCOMPARE(post(keysPath(s), unsignedKey, s.clinicianToken).errorCode(), QStringLiteral("missing_field"));

    // Patients see the identity, the practice's name and the signature of the current key with the conversation keys.
    const QJsonObject keys =
        get(QStringLiteral("/v1/conversations/%1/keys").arg(s.conversationId), s.patientToken).json;
    QCOMPARE(keys.value("practiceIdentity")["practiceName"].toString(), QStringLiteral("Practice ident"));
    QCOMPARE(keys.value("practiceIdentity")["versions"][0]["publicKey"].toString(), b64(v1.signPublic));
    const QJsonObject current = keys.value("practiceKey").toObject();
    QCOMPARE(current.value("version").toInteger(), 2);
    QVERIFY(larch::IdentityStatement::verify(v1.signPublic,
                                             practiceKey(s.practiceId, 2, unb64(current.value("publicKey")), 1),
                                             unb64(current.value("signature"))));
    // The public look-up of the practice's link names the identity, so a scanned fingerprint can be checked.
    const QString code = get(QStringLiteral("/v1/practices/%1/practice-links").arg(s.practiceId), s.adminToken)
                             .json.value("links")[0]["code"]
                             .toString();
    QCOMPARE(m_http->get(QStringLiteral("/v1/practice-links/") + code).json.value("identityKey").toString(),
             b64(v1.signPublic));

    // Epochs keep their signer: staff name the identity version, patients sign with their device.
    QJsonObject epoch = epochBody(2, 2, k2.boxPublic, randomBytes(32), {deviceGrant(patient, randomBytes(32))});
    epoch.insert("identityVersion", 1);
    QCOMPARE(post(epochsPath(s), epoch, s.patientToken).errorCode(), QStringLiteral("invalid_field"));
    epoch.insert("identityVersion", 9);
    epoch.insert("signature", b64(randomBytes(64)));
    QCOMPARE(post(epochsPath(s), epoch, s.clinicianToken).status, 409);
    epoch.insert("identityVersion", 1);
    r = post(epochsPath(s), epoch, s.clinicianToken);
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value("identityVersion").toInteger(), 1);
    QCOMPARE(r.json.value("createdByDevice").toString(), doc.deviceId());
    QCOMPARE(r.json.value("signature").toString(), epoch.value("signature").toString());
    // The audit log names who made the identity.
    bool recorded = false;
    for (const QJsonValue &v : get(QStringLiteral("/v1/practices/%1/audit-log").arg(s.practiceId), s.adminToken)
                                   .json.value("records")
                                   .toArray())
        recorded = recorded
            || (v["action"].toString() == QStringLiteral("practice_identity_created")
                && v["deviceId"].toString() == admin.deviceId());
    QVERIFY(recorded);
}

void TestServerE2ee::practiceIdentityRotationsAreSignedByThePreviousVersion()
{
    const Scene s = makeScene(*m_http, QStringLiteral("rotate"));
    TestKeyring ring(*m_http);
    const TestMember admin = ring.enroll(s.adminToken);
    const TestMember doc = ring.enroll(s.clinicianToken);
    QVERIFY(admin.keys && doc.keys);
    const QList<const DeviceKeys *> staff{admin.keys.get(), doc.keys.get()};
    const PracticeIdentityKey v1 = PracticeIdentityKey::generate(1);
    const PracticeIdentityKey v2 = PracticeIdentityKey::generate(2);
    const PracticeIdentityKey v3 = PracticeIdentityKey::generate(3);
    const larch::PracticeKey k2 = larch::PracticeKey::generate(2), k3 = larch::PracticeKey::generate(3),
                             k4 = larch::PracticeKey::generate(4);
    QCOMPARE(post(keysPath(s), keyBody(s.practiceId, k2, staff, v1, &v1), s.adminToken).status, 201);

    // A rotation whose signature is not the previous version's is refused, from anyone.
    QJsonObject bad = keyBody(s.practiceId, k3, staff, v2, &v2, &v2);
    HttpReply r = post(keysPath(s), bad, s.adminToken);
    QCOMPARE(r.status, 400);
    QVERIFY(messageOf(r).contains(QStringLiteral("rotationSignature")));
    // A clinician's device rotates with the previous version's signature (after a staff removal).
    r = post(keysPath(s), keyBody(s.practiceId, k3, staff, v2, &v2, &v1), s.clinicianToken);
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value("practiceIdentity")["versions"].toArray().size(), 2);
    QCOMPARE(r.json.value("identityGrants").toArray().size(), 2);
    // Replacing it without a signature is an administrator's decision only; patients are warned of it.
    QCOMPARE(post(keysPath(s), keyBody(s.practiceId, k4, staff, v3, &v3), s.clinicianToken).status, 403);
    r = post(keysPath(s), keyBody(s.practiceId, k4, staff, v3, &v3), s.adminToken);
    QCOMPARE(r.status, 201);
    const QJsonArray versions = r.json.value("practiceIdentity")["versions"].toArray();
    QCOMPARE(versions.size(), 3);
    QVERIFY(larch::IdentityStatement::verify(v1.signPublic, rotation(s.practiceId, 2, v1.signPublic, v2.signPublic),
                                             unb64(versions[1]["rotationSignature"])));
    QVERIFY(versions[2]["rotationSignature"].isNull());
    // A key signed by an identity version that is no longer current is refused.
    const larch::PracticeKey k5 = larch::PracticeKey::generate(5);
    QCOMPARE(post(keysPath(s), keyBody(s.practiceId, k5, staff, v2), s.adminToken).status, 409);

    QStringList actions;
    for (const QJsonValue &v : get(QStringLiteral("/v1/practices/%1/audit-log").arg(s.practiceId), s.adminToken)
                                   .json.value("records")
                                   .toArray())
        if (v["action"].toString().startsWith(QStringLiteral("practice_identity_")))
            actions.prepend(v["action"].toString());
    QCOMPARE(actions,
             (QStringList{QStringLiteral("practice_identity_created"), QStringLiteral("practice_identity_rotated"),
                          QStringLiteral("practice_identity_replaced")}));

    // A new staff device is approved with every identity version besides every key version.
    const QString secondSession =
        m_http->signIn(QStringLiteral("doc@rotate.example"), QStringLiteral("clinician password"));
    const DeviceKeys laptop = DeviceKeys::generate();
    QCOMPARE(post(QStringLiteral("/v1/devices"), deviceBody(laptop), secondSession).json.value("state").toString(),
             QStringLiteral("pending"));
    QJsonArray keyGrants;
    for (qint64 v = 1; v <= 4; ++v)
        keyGrants.append(
            QJsonObject{{"version", v}, {"sealedKey", b64(larch::sealTo(laptop.boxPublic, randomBytes(32)))}});
    const QString approve = QStringLiteral("/v1/devices/%1/approve").arg(laptop.deviceId);
    r = post(approve, {{"grants", keyGrants}}, s.adminToken);
    QCOMPARE(r.status, 409);
    QVERIFY(messageOf(r).contains(QStringLiteral("identityGrants")));
    QJsonArray identityGrants;
    for (const PracticeIdentityKey *k : {&v1, &v2, &v3})
        identityGrants.append(
            QJsonObject{{"version", k->version}, {"sealedKey", b64(larch::sealTo(laptop.boxPublic, k->seed.bytes()))}});
    QCOMPARE(post(approve, {{"grants", keyGrants}, {"identityGrants", identityGrants}}, s.adminToken).status, 200);
}
