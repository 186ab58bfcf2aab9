// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto/MessageEnvelope.h"

#include "core/protocol/Validation.h"

#include <cmath>
#include <cstring>
#include <QJsonValue>
#include <QtEndian>
#include <sodium.h>

namespace larch {

static_assert(MessageEnvelope::NonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(MessageEnvelope::TagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(MessageEnvelope::SignatureBytes == crypto_sign_BYTES);

namespace {

constexpr qsizetype kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr qsizetype kCiphertextMin = MessageEnvelope::NonceBytes + MessageEnvelope::TagBytes;
constexpr qsizetype kCiphertextMax = kCiphertextMin + MessageEnvelope::PlaintextMax;

const unsigned char *bytes(const QByteArray &b) { return reinterpret_cast<const unsigned char *>(b.constData()); }

void appendFramed(QByteArray &out, const QByteArray &part)
{
    char length[4];
    qToBigEndian<quint32>(static_cast<quint32>(part.size()), length);
    out.append(length, sizeof length);
    out.append(part);
}

QByteArray additionalData(int format, const QString &conversationId, qint64 epoch, const QString &clientId,
                          const QString &senderDeviceId)
{
    char epochBytes[8];
    qToBigEndian<quint64>(static_cast<quint64>(epoch), epochBytes);
    QByteArray ad;
    appendFramed(ad,
                 format == MessageEnvelope::CallSignalFormat    ? QByteArrayLiteral("larch-call-v1")
                     : format == MessageEnvelope::ContentFormat ? QByteArrayLiteral("larch-message-v2")
                                                                : QByteArrayLiteral("larch-message-v1"));
    appendFramed(ad, conversationId.toUtf8());
    appendFramed(ad, QByteArray(epochBytes, sizeof epochBytes));
    appendFramed(ad, clientId.toUtf8());
    appendFramed(ad, senderDeviceId.toUtf8());
    return ad;
}

/// Strict standard base64 of at most maxBytes decoded bytes; nullopt otherwise.
std::optional<QByteArray> decodeBase64(const QJsonValue &v, qsizetype maxBytes)
{
    if (!v.isString())
        return std::nullopt;
    const QString s = v.toString();
    if (s.size() > (maxBytes + 2) / 3 * 4)
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(s.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return std::nullopt;
    return decoded.decoded;
}

} // namespace

QJsonObject MessageEnvelope::toJson() const
{
    QJsonObject o{
        {QStringLiteral("epoch"), epoch},
        {QStringLiteral("senderDeviceId"), senderDeviceId},
        {QStringLiteral("ciphertext"), QString::fromLatin1(ciphertext.toBase64())},
        {QStringLiteral("signature"), QString::fromLatin1(signature.toBase64())},
    };
    if (format != TextFormat)
        o.insert(QStringLiteral("format"), format);
    return o;
}

std::optional<MessageEnvelope> MessageEnvelope::fromJson(const QJsonObject &o)
{
    const QJsonValue epochValue = o.value(QLatin1String("epoch"));
    const QJsonValue deviceValue = o.value(QLatin1String("senderDeviceId"));
    if (!epochValue.isDouble() || !deviceValue.isString())
        return std::nullopt;
    const double epochNumber = epochValue.toDouble();
    if (!(epochNumber >= 0) || epochNumber > static_cast<double>(EpochMax) || std::trunc(epochNumber) != epochNumber)
        return std::nullopt;

    MessageEnvelope e;
    e.epoch = static_cast<qint64>(epochNumber);
    if (const QJsonValue formatValue = o.value(QLatin1String("format")); !formatValue.isUndefined()) {
        if (formatValue != QJsonValue(TextFormat) && formatValue != QJsonValue(ContentFormat)
            && formatValue != QJsonValue(CallSignalFormat))
            return std::nullopt;
        e.format = formatValue.toInt();
    }
    e.senderDeviceId = deviceValue.toString();
    if (!isValidId(e.senderDeviceId))
        return std::nullopt;
    const auto ciphertext = decodeBase64(o.value(QLatin1String("ciphertext")), kCiphertextMax);
    const auto signature = decodeBase64(o.value(QLatin1String("signature")), SignatureBytes);
    if (!ciphertext || !signature || ciphertext->size() < kCiphertextMin || ciphertext->size() > kCiphertextMax
        || signature->size() != SignatureBytes)
        return std::nullopt;
    e.ciphertext = *ciphertext;
    e.signature = *signature;
    return e;
}

QString describe(MessageCheck check)
{
    switch (check) {
    case MessageCheck::Ok: return {};
    case MessageCheck::UnknownDevice:
        return QStringLiteral("This message could not be verified: it was sent from a device that is not "
                              "one of its sender's current devices.");
    case MessageCheck::BadSignature:
        return QStringLiteral("This message could not be verified: its signature does not match the sender's "
                              "device.");
    case MessageCheck::BadCiphertext:
        return QStringLiteral("This message could not be verified: its encrypted content is damaged.");
    case MessageCheck::WrongEpochKey:
        return QStringLiteral("This message could not be verified: the key this app holds for it does not "
                              "open it.");
    case MessageCheck::Replayed:
        return QStringLiteral("This message could not be verified: it repeats a message already received in "
                              "this conversation.");
    case MessageCheck::Malformed:
        return QStringLiteral("This message could not be verified: it is incomplete or not in a form this "
                              "app understands.");
    }
    return QStringLiteral("This message could not be verified.");
}

namespace {

MessageEnvelope sealPlaintext(int format, const QByteArray &conversationKey, const QString &conversationId,
                              qint64 epoch, const QString &clientId, const QString &senderDeviceId,
                              const QByteArray &signSecret, const QByteArray &plain, const QByteArray &nonce)
{
    if (conversationKey.size() != kKeyBytes || signSecret.size() != crypto_sign_SECRETKEYBYTES
        || nonce.size() != MessageEnvelope::NonceBytes || epoch < 0 || epoch > MessageEnvelope::EpochMax
        || !isValidId(senderDeviceId) || plain.size() > MessageEnvelope::PlaintextMax)
        return {};

    const QByteArray ad = additionalData(format, conversationId, epoch, clientId, senderDeviceId);
    // Signed bytes are AD || nonce || AEAD output; building them in one buffer lets the envelope's
    // ciphertext be its tail.
    QByteArray signedBytes(ad.size() + kCiphertextMin + plain.size(), '\0');
    auto *dst = reinterpret_cast<unsigned char *>(signedBytes.data());
    memcpy(dst, ad.constData(), static_cast<size_t>(ad.size()));
    unsigned char *noncePart = dst + ad.size();
    memcpy(noncePart, nonce.constData(), MessageEnvelope::NonceBytes);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        noncePart + MessageEnvelope::NonceBytes, &written, bytes(plain), static_cast<unsigned long long>(plain.size()),
        bytes(ad), static_cast<unsigned long long>(ad.size()), nullptr, noncePart, bytes(conversationKey));

    MessageEnvelope e;
    e.epoch = epoch;
    e.format = format;
    e.senderDeviceId = senderDeviceId;
    e.ciphertext = signedBytes.mid(ad.size());
    e.signature = QByteArray(MessageEnvelope::SignatureBytes, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char *>(e.signature.data()), nullptr, dst,
                         static_cast<unsigned long long>(signedBytes.size()), bytes(signSecret));
    return e;
}

QByteArray randomNonce()
{
    QByteArray nonce(MessageEnvelope::NonceBytes, '\0');
    randombytes_buf(nonce.data(), static_cast<size_t>(nonce.size()));
    return nonce;
}

} // namespace

MessageEnvelope sealMessageWithNonce(const QByteArray &conversationKey, const QString &conversationId, qint64 epoch,
                                     const QString &clientId, const QString &senderDeviceId,
                                     const QByteArray &signSecret, const QString &text, const QByteArray &nonce)
{
    return sealPlaintext(MessageEnvelope::TextFormat, conversationKey, conversationId, epoch, clientId, senderDeviceId,
                         signSecret, text.toUtf8(), nonce);
}

MessageEnvelope sealContent(const QByteArray &conversationKey, const QString &conversationId, qint64 epoch,
                            const QString &clientId, const QString &senderDeviceId, const QByteArray &signSecret,
                            const MessageContent &content)
{
    const QByteArray plain = content.toBytes();
    // What the receiver would refuse is not sent.
    if (!MessageContent::fromBytes(plain))
        return {};
    return sealPlaintext(MessageEnvelope::ContentFormat, conversationKey, conversationId, epoch, clientId,
                         senderDeviceId, signSecret, plain, randomNonce());
}

MessageEnvelope sealMessage(const QByteArray &conversationKey, const QString &conversationId, qint64 epoch,
                            const QString &clientId, const QString &senderDeviceId, const QByteArray &signSecret,
                            const QString &text)
{
    return sealMessageWithNonce(conversationKey, conversationId, epoch, clientId, senderDeviceId, signSecret, text,
                                randomNonce());
}

namespace {

/// The checks every envelope goes through, in order, up to its plaintext: shape, sender device, signature, key.
MessageCheck openPlaintext(const QByteArray &conversationKey, const QString &conversationId, const QString &clientId,
                           const QByteArray &senderSignPublic, const MessageEnvelope &e, QByteArray *plain)
{
    if (e.ciphertext.size() < kCiphertextMin || e.ciphertext.size() > kCiphertextMax
        || e.signature.size() != MessageEnvelope::SignatureBytes || e.epoch < 0 || e.epoch > MessageEnvelope::EpochMax
        || !isValidId(e.senderDeviceId))
        return MessageCheck::Malformed;
    if (senderSignPublic.size() != crypto_sign_PUBLICKEYBYTES)
        return MessageCheck::UnknownDevice;
    const QByteArray ad = additionalData(e.format, conversationId, e.epoch, clientId, e.senderDeviceId);
    const QByteArray signedBytes = ad + e.ciphertext;
    if (crypto_sign_verify_detached(bytes(e.signature), bytes(signedBytes),
                                    static_cast<unsigned long long>(signedBytes.size()), bytes(senderSignPublic))
        != 0)
        return MessageCheck::BadSignature;
    if (conversationKey.size() != kKeyBytes)
        return MessageCheck::WrongEpochKey;
    const unsigned char *noncePart = bytes(e.ciphertext);
    plain->resize(e.ciphertext.size() - kCiphertextMin);
    unsigned long long written = 0;
    // The signature already proved these are the sender's bytes, so a failing tag means the key held
    // for this epoch is not the one the sender used.
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char *>(plain->data()), &written, nullptr,
            noncePart + MessageEnvelope::NonceBytes,
            static_cast<unsigned long long>(e.ciphertext.size() - MessageEnvelope::NonceBytes), bytes(ad),
            static_cast<unsigned long long>(ad.size()), noncePart, bytes(conversationKey))
        != 0)
        return MessageCheck::WrongEpochKey;
    return MessageCheck::Ok;
}

} // namespace

MessageEnvelope sealCallSignal(const QByteArray &conversationKey, const QString &conversationId, qint64 epoch,
                               const QString &callId, const QString &senderDeviceId, const QByteArray &signSecret,
                               const CallSignal &signal)
{
    const QByteArray plain = signal.toBytes();
    if (!CallSignal::fromBytes(plain)) // what the receiver would refuse is not sent
        return {};
    return sealPlaintext(MessageEnvelope::CallSignalFormat, conversationKey, conversationId, epoch, callId,
                         senderDeviceId, signSecret, plain, randomNonce());
}

OpenedCallSignal openCallSignal(const QByteArray &conversationKey, const QString &conversationId, const QString &callId,
                                const QByteArray &senderSignPublic, const MessageEnvelope &e)
{
    if (e.format != MessageEnvelope::CallSignalFormat)
        return {MessageCheck::Malformed, std::nullopt};
    QByteArray plain;
    const MessageCheck check = openPlaintext(conversationKey, conversationId, callId, senderSignPublic, e, &plain);
    if (check != MessageCheck::Ok)
        return {check, std::nullopt};
    auto signal = CallSignal::fromBytes(plain);
    if (!signal)
        return {MessageCheck::BadCiphertext, std::nullopt};
    return {MessageCheck::Ok, std::move(signal)};
}

OpenedMessage openMessage(const QByteArray &conversationKey, const QString &conversationId, const QString &clientId,
                          const QByteArray &senderSignPublic, const MessageEnvelope &e)
{
    if (e.format != MessageEnvelope::TextFormat && e.format != MessageEnvelope::ContentFormat)
        return {MessageCheck::Malformed, {}};
    QByteArray plain;
    if (const MessageCheck check =
            openPlaintext(conversationKey, conversationId, clientId, senderSignPublic, e, &plain);
        check != MessageCheck::Ok)
        return {check, {}};
    if (e.format == MessageEnvelope::ContentFormat) {
        auto content = MessageContent::fromBytes(plain);
        if (!content)
            return {MessageCheck::BadCiphertext, {}};
        return {MessageCheck::Ok, content->text, content->attachments};
    }
    if (!QByteArrayView(plain).isValidUtf8())
        return {MessageCheck::BadCiphertext, {}};
    return {MessageCheck::Ok, QString::fromUtf8(plain)};
}

OpenedMessage openMessage(const QByteArray &conversationKey, const QString &conversationId, const QString &clientId,
                          const QByteArray &senderSignPublic, const MessageEnvelope &e,
                          const QSet<QString> &seenClientIds)
{
    OpenedMessage opened = openMessage(conversationKey, conversationId, clientId, senderSignPublic, e);
    if (opened.check == MessageCheck::Ok && seenClientIds.contains(clientId))
        return {MessageCheck::Replayed, {}};
    return opened;
}

} // namespace larch
