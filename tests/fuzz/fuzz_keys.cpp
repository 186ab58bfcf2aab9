// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzz target: the decoders of keys, grants and the recovery backup: what a device reads from its keychain, from what
// its user types and from the server (a sealed grant, the key backup, its entries and the payload they hold, the
// practice identity and its fingerprint, and the key routes' answers: device lists, the practice's keys and grants, a
// conversation's epochs, key requests, the stored backup), and what the server reads from devices (KeyInput).
// Input: one control byte, whose value modulo KeyDecoder::Count picks the decoder, then the bytes it reads.
// Beyond "no crash, no read outside the input" it checks, for each decoder, what the app relies on (the checks below
// say which), mostly that what a decoder accepts is well formed and writes back as the same bytes, and that what an
// honest party seals from the input opens back to it and to nobody else.
#include "FuzzKeys.h"

#include "core/crypto/Crypto.h"
#include "core/crypto/IdentityChain.h"
#include "core/crypto/KeyBackupPayload.h"
#include "core/crypto/KeySealing.h"
#include "core/crypto/PracticeIdentity.h"
#include "core/crypto/RecoveryKey.h"
#include "core/protocol/KeyListings.h"
#include "core/protocol/Validation.h"
#include "server/api/KeyInput.h"
#include "server/api/RequestError.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <sodium.h>

using namespace larch;

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_keys: %s\n", what);
    std::abort();
}

const RecoveryKey &recoveryKey()
{
    static const RecoveryKey key = *RecoveryKey::fromBytes(QByteArray(32, '\x5a'));
    return key;
}

const RecoveryKey &otherRecoveryKey()
{
    static const RecoveryKey key = *RecoveryKey::fromBytes(QByteArray(32, '\x5b'));
    return key;
}

// A backup payload (KeyBackupPayload::fromBytes, as KeyRing::importBackup reads it): every item kept is well formed
// and makes the key KeyRing makes of it, and the payload written again reads back equal and writes the same bytes.
void backupPayload(const QByteArray &in)
{
    const auto payload = KeyBackupPayload::fromBytes(in);
    if (!payload)
        return;
    for (const KeyBackupPayload::PracticeKeyItem &k : payload->practiceKeys) {
        if (k.version < 1 || k.secret.size() != KeyBackupPayload::KeyBytes)
            broken("a practice key of a backup was kept with a bad version or secret");
        if (!PracticeKey::fromSecret(k.version, k.secret.bytes()))
            broken("a practice key of a backup makes no practice key");
    }
    for (const KeyBackupPayload::IdentityKeyItem &k : payload->identityKeys) {
        if (k.version < 1 || k.seed.size() != KeyBackupPayload::KeyBytes)
            broken("an identity seed of a backup was kept with a bad version or seed");
        if (!PracticeIdentityKey::fromSeed(k.version, k.seed.bytes()))
            broken("an identity seed of a backup makes no identity key");
    }
    for (const KeyBackupPayload::EpochKeyItem &k : payload->epochKeys)
        if (k.conversationId.isEmpty() || k.epoch < 1 || k.key.size() != KeyBackupPayload::KeyBytes)
            broken("an epoch key of a backup was kept without a conversation, with a bad epoch or key");
    const QJsonObject o = QJsonDocument::fromJson(in).object();
    if (payload->practiceKeys.size() > o.value(QLatin1String("practiceKeys")).toArray().size()
        || payload->identityKeys.size() > o.value(QLatin1String("identityKeys")).toArray().size()
        || payload->epochKeys.size() > o.value(QLatin1String("epochKeys")).toArray().size())
        broken("a backup payload holds more keys than it lists");
    const QByteArray written = payload->toBytes();
    const auto again = KeyBackupPayload::fromBytes(written);
    if (!again || !(*again == *payload) || again->toBytes() != written)
        broken("a backup payload written again read back differently");
}

// The keychain entry (DeviceKeys::deserialize): what it accepts is consistent and serialises to the same bytes; a
// genuine entry with the input as its device id reads back exactly when that id is a protocol id.
void keychainEntry(const QByteArray &in)
{
    if (const auto keys = DeviceKeys::deserialize(in)) {
        if (!keys->isConsistent() || keys->serialize() != in)
            broken("a keychain entry read back is inconsistent or serialises differently");
    }
    static const DeviceKeys device = fuzzkeys::testDevice();
    QByteArray entry = device.serialize();
    const qsizetype idSize = quint8(entry.at(4));
    entry.replace(5, idSize, in);
    entry[4] = char(in.size());
    const auto read = DeviceKeys::deserialize(entry);
    const bool valid =
        in.size() >= 1 && in.size() <= 255 && QByteArrayView(in).isValidUtf8() && isValidId(QString::fromUtf8(in));
    if (read.has_value() != valid)
        broken("a genuine keychain entry was refused for a valid id, or read with an invalid one");
    if (read && (read->deviceId != QString::fromUtf8(in) || !(read->boxSecret == device.boxSecret)))
        broken("a genuine keychain entry read back other keys");
}

// What a user types as their recovery key (RecoveryKey::parse): accepted only when every character is of the alphabet
// (any case, O for 0, I and L for 1) or a space or dash, and then it is the key its display form shows.
void typedRecoveryKey(const QByteArray &in)
{
    const QString typed = QString::fromUtf8(in);
    const auto key = RecoveryKey::parse(typed);
    if (!key)
        return;
    QString canonical;
    for (const QChar c : typed) {
        if (c.isSpace() || c == QLatin1Char('-'))
            continue;
        if (c.unicode() >= 0x80)
            broken("a recovery key with a character outside the alphabet was accepted");
        const char upper = char(std::toupper(c.unicode()));
        canonical += QLatin1Char(upper == 'O' ? '0' : upper == 'I' || upper == 'L' ? '1' : upper);
    }
    const QString shown = key->display();
    static const QRegularExpression Form(QStringLiteral("^[0-9A-HJKMNP-TV-Z]{4}( [0-9A-HJKMNP-TV-Z]{4}){12}$"));
    if (!Form.match(shown).hasMatch())
        broken("a recovery key's display form is not 13 groups of 4 characters of the alphabet");
    if (QString(shown).remove(QLatin1Char(' ')) != canonical)
        broken("a typed recovery key read as another key than the one typed");
    const auto again = RecoveryKey::parse(shown.toLower());
    if (!again || !(*again == *key))
        broken("a recovery key's display form does not read back as the same key");
}

// The key backup (RecoveryKey::decryptBackup): any bytes from the server, and what opens is a payload; the input
// encrypted as a backup opens back to it with its recovery key only, and not once one byte of it changed.
void keyBackup(const QByteArray &in)
{
    if (const auto opened = recoveryKey().decryptBackup(in))
        backupPayload(*opened);
    const QByteArray backup = recoveryKey().encryptBackup(in);
    if (backup.size() != in.size() + 4 + 24 + 16 || !backup.startsWith("LKB\x01"))
        broken("a key backup is not magic, nonce and box");
    if (recoveryKey().decryptBackup(backup) != in)
        broken("a key backup did not open back to its payload");
    if (otherRecoveryKey().decryptBackup(backup))
        broken("a key backup opened under another recovery key");
    QByteArray damaged = backup;
    damaged[in.isEmpty() ? 4 : quint8(in.at(0)) % damaged.size()] ^= 1;
    if (recoveryKey().decryptBackup(damaged))
        broken("a damaged key backup opened");
}

// A key backup entry (RecoveryKey::openEntry): any bytes from the server, and what opens is a payload; the input
// sealed to the entry key opens back to it with the recovery key only.
void backupEntry(const QByteArray &in)
{
    if (const auto opened = recoveryKey().openEntry(in))
        backupPayload(*opened);
    static const QByteArray entryPublic = recoveryKey().entryPublicKey();
    const QByteArray entry = RecoveryKey::sealEntry(in, entryPublic);
    if (entry.size() != in.size() + 4 + crypto_box_SEALBYTES || !entry.startsWith("LKE\x01"))
        broken("a key backup entry is not magic and sealed box");
    if (recoveryKey().openEntry(entry) != in)
        broken("a key backup entry did not open back to its payload");
    if (otherRecoveryKey().openEntry(entry))
        broken("a key backup entry opened under another recovery key");
}

// A grant sealed to this device (openSealed, then PracticeKey::fromSecret as KeyRing does): any bytes; the input
// sealed to the device opens back to it, and makes a practice key exactly when it is 32 bytes.
void sealedGrant(const QByteArray &in)
{
    static const DeviceKeys device = fuzzkeys::testDevice();
    if (const auto opened = openSealed(device.boxPublic, device.boxSecret.bytes(), in))
        (void)PracticeKey::fromSecret(1, *opened);
    const QByteArray sealed = sealTo(device.boxPublic, in);
    const auto opened = openSealed(device.boxPublic, device.boxSecret.bytes(), sealed);
    if (!opened || *opened != in)
        broken("a grant did not open back to what was sealed");
    const auto key = PracticeKey::fromSecret(7, *opened);
    if (key.has_value() != (in.size() == 32))
        broken("a practice key was made from a secret that is not 32 bytes, or refused one that is");
    if (key && key->boxSecret.bytes() != in)
        broken("a practice key holds another secret than its grant");
}

// A practice identity as GET …/keys lists it (decodeIdentityChain): what is accepted has consecutive versions and keys
// and signatures of their sizes, writes back to JSON that decodes to the same chain, and a pin of its current version
// is Unchanged while a pin of a key it does not list is Changed.
void identityChain(const QByteArray &in)
{
    const auto chain = decodeIdentityChain(in);
    if (!chain)
        return;
    if (chain->versions.isEmpty() || chain->versions.size() > IdentityChain::VersionsMax)
        broken("an identity chain was accepted with no versions or too many");
    for (qsizetype i = 0; i < chain->versions.size(); ++i) {
        const IdentityVersion &v = chain->versions[i];
        if (v.publicKey.size() != 32 || (!v.rotationSignature.isEmpty() && v.rotationSignature.size() != 64)
            || (i > 0 && v.version != chain->versions[i - 1].version + 1))
            broken("an identity version was accepted with a bad key, signature or number");
    }
    const auto again = IdentityChain::fromJson(chain->toJson());
    if (!again || again->toJson() != chain->toJson())
        broken("an identity chain written again read back differently");
    const IdentityVersion *current = chain->current();
    if (chain->check(IdentityPin{current->version, current->publicKey}) != ChainVerdict::Unchanged)
        broken("a pin of the current identity version is not Unchanged");
    if (chain->check(IdentityPin{current->version + 1, QByteArray(32, '\x7f')}) != ChainVerdict::Changed)
        broken("a pin of a key the chain does not list is not Changed");
}

// A fingerprint a link carries or a person types (IdentityFingerprint::parse): accepted only as 20 bytes, and then
// its text form reads back as the same bytes.
void identityFingerprint(const QByteArray &in)
{
    const QString text = QString::fromUtf8(in);
    const auto bytes = IdentityFingerprint::parse(text);
    if (!bytes)
        return;
    if (bytes->size() != IdentityFingerprint::Bytes)
        broken("a fingerprint was read as other than 20 bytes");
    const QString shown = IdentityFingerprint::textOf(*bytes);
    if (shown.size() != IdentityFingerprint::Symbols || IdentityFingerprint::parse(shown.toLower()) != bytes)
        broken("a fingerprint's text does not read back as the same bytes");
}

// Checks a grant list (KeyGrant) against the array it was read from: no more grants than items, each with a version
// of 1 or more and a sealed key; the first few are opened with the test device as KeyRing opens them.
template<typename MakeKey>
void checkGrants(const QList<KeyGrant> &grants, const QJsonValue &listed, MakeKey makeKey)
{
    static const DeviceKeys device = fuzzkeys::testDevice();
    if (grants.size() > listed.toArray().size())
        broken("more grants than the answer lists");
    for (qsizetype i = 0; i < grants.size(); ++i) {
        const KeyGrant &g = grants[i];
        if (g.version < 1 || g.sealedKey.isEmpty())
            broken("a grant without a version or a sealed key was kept");
        if (i >= 8)
            continue;
        if (auto secret = openSealed(device.boxPublic, device.boxSecret.bytes(), g.sealedKey)) {
            (void)makeKey(g.version, *secret);
            SecretBytes::wipe(*secret);
        }
    }
}

// GET or POST /v1/practices/{id}/keys (PracticeKeyListing): every grant kept has a version and a sealed key; a
// current key is read only from an object; the identity is the one IdentityChain reads from "practiceIdentity", and
// writes back as it read.
void practiceKeys(const QJsonObject &body)
{
    const PracticeKeyListing l = PracticeKeyListing::fromJson(body);
    checkGrants(l.grants, body.value(QLatin1String("grants")), PracticeKey::fromSecret);
    checkGrants(l.identityGrants, body.value(QLatin1String("identityGrants")), PracticeIdentityKey::fromSeed);
    if (!body.value(QLatin1String("current")).isObject() && (l.currentVersion != 0 || !l.currentPublic.isEmpty()))
        broken("a current practice key was read from what is not an object");
    const QJsonValue listed = body.value(QLatin1String("practiceIdentity"));
    if (l.identity.has_value() != (listed.isObject() && IdentityChain::fromJson(listed.toObject()).has_value()))
        broken("a practice identity was read differently from IdentityChain");
    if (l.identity) {
        const auto again = IdentityChain::fromJson(l.identity->toJson());
        if (!again || again->toJson() != l.identity->toJson())
            broken("a practice identity written again read back differently");
    }
}

// GET /v1/conversations/{id}/keys (ConversationKeyState), with the conversation's practice unknown, the one the answer
// names, and another: every epoch listed is kept, newest first; an identity kept names the conversation's practice,
// and the practice is the one known or, when none is, the identity's.
void conversationKeys(const QJsonObject &body)
{
    static const QString other = QStringLiteral("d15ea5e0-0000-4000-8000-000000000001");
    const QString named = body.value(QLatin1String("practiceIdentity"))[QLatin1String("practiceId")].toString();
    for (const QString &practice : {QString(), named, other}) {
        const ConversationKeyState s = ConversationKeyState::fromJson(body, practice);
        if (s.epochs.size() != body.value(QLatin1String("epochs")).toArray().size())
            broken("an epoch of the answer was lost or made up");
        for (qsizetype i = 1; i < s.epochs.size(); ++i)
            if (s.epochs[i - 1].epoch < s.epochs[i].epoch)
                broken("epochs are not newest first");
        if (s.identity && s.identity->practiceId != s.practiceId)
            broken("an identity was kept for another practice than the conversation's");
        if (!practice.isEmpty() ? s.practiceId != practice : (!s.identity && !s.practiceId.isEmpty()))
            broken("a conversation's practice is neither the one known nor its identity's");
        if (s.trust.state != IdentityTrust::State::Legacy)
            broken("the decoder judged an identity");
    }
}

// A device list (DeviceInfo::listFromJson): no more devices than items; each read has protocol ids, one of the three
// states and keys of 32 bytes.
void deviceList(const QJsonObject &body)
{
    const QList<DeviceInfo> list = DeviceInfo::listFromJson(body);
    if (list.size() > body.value(QLatin1String("devices")).toArray().size())
        broken("more devices than the answer lists");
    for (const DeviceInfo &d : list) {
        if (!isValidId(d.id) || !isValidId(d.userId) || d.boxPublic.size() != 32 || d.signPublic.size() != 32
            || (!d.isActive() && !d.isPending() && d.state != QLatin1String("revoked")))
            broken("a device was read with an invalid id, key or state");
    }
}

// GET /v1/key-requests (PendingKeyRequest): one request per item, in order, naming what the item names.
void keyRequests(const QJsonObject &body)
{
    const QList<PendingKeyRequest> requests = PendingKeyRequest::listFromJson(body);
    const QJsonArray items = body.value(QLatin1String("requests")).toArray();
    if (requests.size() != items.size())
        broken("a key request was lost or made up");
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const QJsonValue item = items.at(i);
        if (requests[i].conversationId != item[QLatin1String("conversationId")].toString()
            || requests[i].deviceId != item[QLatin1String("deviceId")].toString()
            || requests[i].userId != item[QLatin1String("userId")].toString())
            broken("a key request names other than its item");
    }
}

// GET /v1/me/key-backup (StoredKeyBackup), then opened as RecoveryBackup::restore opens it: one entry per item; a
// backup exists exactly when its text is not empty; what opens is a payload.
void storedBackup(const QJsonObject &body)
{
    const StoredKeyBackup stored = StoredKeyBackup::fromJson(body);
    if (stored.entries.size() != body.value(QLatin1String("entries")).toArray().size())
        broken("a key backup entry was lost or made up");
    if (stored.exists != !body.value(QLatin1String("backup")).toString().isEmpty())
        broken("a key backup exists other than when its text is not empty");
    if (const auto payload = recoveryKey().decryptBackup(stored.backup))
        backupPayload(*payload);
    for (qsizetype i = 0; i < stored.entries.size() && i < 8; ++i)
        if (const auto payload = recoveryKey().openEntry(stored.entries[i]))
            backupPayload(*payload);
}

// What the server reads from devices (server/api/KeyInput.h), in the shapes the key routes read: a base64 field
// accepted is in its one canonical spelling and of a size within its bounds, an integer within its range, an id a
// protocol id, and an envelope's canonical form reads back as itself.
void serverKeyInput(const QJsonObject &body)
{
    using namespace larch::server;
    constexpr qint64 CounterMax = (qint64(1) << 53) - 1;
    const auto base64 = [&](const QJsonObject &o, const char *field, qsizetype min, qsizetype max) {
        const QString text = readBase64(o, field, min, max);
        const QByteArray decoded = QByteArray::fromBase64(text.toLatin1());
        if (decoded.toBase64() != text.toLatin1() || decoded.size() < min || decoded.size() > max)
            broken("KeyInput accepted base64 that is not canonical or of a size outside its bounds");
        return text;
    };
    const auto integer = [&](const QJsonObject &o, const char *field) {
        const qint64 v = readInteger(o, field, 1, CounterMax);
        if (v < 1 || v > CounterMax)
            broken("KeyInput accepted an integer outside its range");
        return v;
    };
    const auto grants = [&](const QJsonObject &o, const char *field) {
        for (const DeviceGrant &g : readDeviceGrants(o, field))
            if (!isValidId(g.deviceId) || QByteArray::fromBase64(g.sealedKey.toLatin1()).size() != KeySizes::SealedKey)
                broken("KeyInput accepted a device grant with a bad id or sealed key");
    };
    try { // POST /v1/devices
        if (!isValidId(readId(body, "deviceId")))
            broken("KeyInput accepted an id that is not a protocol id");
        base64(body, "boxPublicKey", KeySizes::PublicKey, KeySizes::PublicKey);
    } catch (const RequestError &) { }
    try { // POST /v1/practices/{id}/keys
        integer(body, "version");
        base64(body, "publicKey", KeySizes::PublicKey, KeySizes::PublicKey);
        grants(body, "grants");
    } catch (const RequestError &) { }
    try { // POST /v1/devices/{id}/approve and POST /v1/conversations/{id}/keys
        for (const QJsonValue &item : readArray(body, "grants", 10000)) {
            const QJsonObject g = item.toObject();
            integer(g, "epoch");
            base64(g, "sealedKey", KeySizes::SealedKey, KeySizes::SealedKey);
        }
    } catch (const RequestError &) { }
    try { // POST /v1/conversations/{id}/epochs
        integer(body, "practiceKeyVersion");
        base64(body, "practiceGrant", KeySizes::SealedKey, KeySizes::SealedKey);
        grants(body, "deviceGrants");
    } catch (const RequestError &) { }
    try { // PUT /v1/me/key-backup and POST /v1/me/key-backup/entries
        base64(body, "entryKeyId", KeySizes::EntryKeyId, KeySizes::EntryKeyId);
        base64(body, "backup", 1, KeySizes::BackupMax);
        base64(body, "entry", 1, KeySizes::BackupEntryMax);
    } catch (const RequestError &) { }
    EnvelopeInput envelope;
    try { // POST /v1/conversations/{id}/messages
        envelope = readEnvelope(body);
    } catch (const RequestError &) {
        return;
    }
    try {
        const QJsonObject again{{"envelope", QJsonDocument::fromJson(envelope.canonical).object()}};
        if (readEnvelope(again).canonical != envelope.canonical)
            broken("an envelope's canonical form read back differently");
    } catch (const RequestError &) {
        broken("an envelope's canonical form was refused");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const bool ready = initCrypto();
    if (!ready || size < 1)
        return 0;
    const auto decoder = fuzzkeys::KeyDecoder(data[0] % int(fuzzkeys::KeyDecoder::Count));
    const QByteArray in(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    using D = fuzzkeys::KeyDecoder;
    switch (decoder) {
    case D::KeychainEntry: keychainEntry(in); return 0;
    case D::TypedRecoveryKey: typedRecoveryKey(in); return 0;
    case D::KeyBackup: keyBackup(in); return 0;
    case D::BackupEntry: backupEntry(in); return 0;
    case D::IdentityChain: identityChain(in); return 0;
    case D::SealedGrant: sealedGrant(in); return 0;
    case D::IdentityFingerprint: identityFingerprint(in); return 0;
    case D::BackupPayload: backupPayload(in); return 0;
    default: break;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(in);
    if (!doc.isObject())
        return 0;
    const QJsonObject body = doc.object();
    switch (decoder) {
    case D::ServerKeyInput: serverKeyInput(body); break;
    case D::PracticeKeys: practiceKeys(body); break;
    case D::ConversationKeys: conversationKeys(body); break;
    case D::DeviceList: deviceList(body); break;
    case D::KeyRequests: keyRequests(body); break;
    case D::StoredBackup: storedBackup(body); break;
    default: break;
    }
    return 0;
}
