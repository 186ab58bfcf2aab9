// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzz target: what a device parses from a secure message or a call's signalling after the crypto: the format-2
// plaintext (MessageContent::fromBytes), the format-1 UTF-8 check and the format-3 call signal (CallSignal::fromBytes),
// over any bytes.
// Input: one control byte, then the plaintext. Most inputs go to MessageContent::fromBytes and CallSignal::fromBytes
// directly; one in eight is also sealed as a genuine envelope (fixed test keys, the format from the control byte:
// text, content or call signal), written to JSON and read back, and opened with openMessage or openCallSignal, so the
// parse is also reached the way a received envelope reaches it.
// Beyond "no crash, no read outside the input" it checks: content and signals that read stay within their limits and
// write back as bytes that read back the same, openMessage and openCallSignal accept a genuine envelope exactly when
// its plaintext parses, with what the plaintext holds, and neither opens the other's format.
#include "core/attachments/AttachmentRef.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/MessageEnvelope.h"
#include "core/protocol/TextLength.h"
#include "core/protocol/Validation.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <QtEndian>
#include <sodium.h>

using larch::MessageCheck;
using larch::MessageContent;
using larch::MessageEnvelope;

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_envelope: %s\n", what);
    std::abort();
}

const QString ConversationId = QStringLiteral("0b9e2c4e-1f6a-4d3b-9a51-2c7d8e9f0a1b");
const QString ClientId = QStringLiteral("5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e");
const QString DeviceId = QStringLiteral("c0ffee00-1234-4abc-8def-0123456789ab");
constexpr qint64 Epoch = 3;

void appendFramed(QByteArray &out, const QByteArray &part)
{
    char length[4];
    qToBigEndian<quint32>(quint32(part.size()), length);
    out.append(length, sizeof length);
    out.append(part);
}

const unsigned char *bytes(const QByteArray &b) { return reinterpret_cast<const unsigned char *>(b.constData()); }

/// Seals any plaintext bytes as the sender would (MessageEnvelope.h describes the layout), so the receiving side
/// parses bytes no honest sender would have made.
MessageEnvelope seal(int format, const QByteArray &plain, const QByteArray &key, const QByteArray &signSecret)
{
    char epoch[8];
    qToBigEndian<quint64>(quint64(Epoch), epoch);
    QByteArray ad;
    appendFramed(ad,
                 format == MessageEnvelope::CallSignalFormat    ? "larch-call-v1"
                     : format == MessageEnvelope::ContentFormat ? "larch-message-v2"
                                                                : "larch-message-v1");
    appendFramed(ad, ConversationId.toUtf8());
    appendFramed(ad, QByteArray(epoch, sizeof epoch));
    appendFramed(ad, ClientId.toUtf8());
    appendFramed(ad, DeviceId.toUtf8());
    QByteArray ciphertext(MessageEnvelope::NonceBytes + plain.size() + MessageEnvelope::TagBytes, '\0');
    auto *out = reinterpret_cast<unsigned char *>(ciphertext.data());
    randombytes_buf(out, MessageEnvelope::NonceBytes);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + MessageEnvelope::NonceBytes, &written, bytes(plain), plain.size(),
                                               bytes(ad), ad.size(), nullptr, out, bytes(key));
    MessageEnvelope e;
    e.epoch = Epoch;
    e.format = format;
    e.senderDeviceId = DeviceId;
    e.ciphertext = ciphertext;
    e.signature = QByteArray(MessageEnvelope::SignatureBytes, '\0');
    const QByteArray signedBytes = ad + ciphertext;
    crypto_sign_detached(reinterpret_cast<unsigned char *>(e.signature.data()), nullptr, bytes(signedBytes),
                         signedBytes.size(), bytes(signSecret));
    return e;
}

void checkContent(const std::optional<MessageContent> &c)
{
    if (!c)
        return;
    if (c->attachments.size() > MessageContent::AttachmentsMax)
        broken("content with more attachments than allowed");
    if (larch::textLength(c->text) > larch::Limits::MessageBodyMax)
        broken("content with a text over the limit");
    if (c->text.isEmpty() && c->attachments.isEmpty())
        broken("content with neither text nor attachments");
    const auto again = MessageContent::fromBytes(c->toBytes());
    if (!again || !(*again == *c))
        broken("content written back read differently");
}

void checkSignal(const std::optional<larch::CallSignal> &s)
{
    if (!s)
        return;
    if (s->seq == 0 || s->sdp.size() > larch::CallSignal::SdpMax
        || s->candidate.size() > larch::CallSignal::CandidateMax || s->mediaLine < 0
        || s->mediaLine > larch::CallSignal::MediaLineMax)
        broken("a call signal outside its limits");
    const auto again = larch::CallSignal::fromBytes(s->toBytes());
    if (!again || !(*again == *s))
        broken("a call signal written back read differently");
}

void throughEnvelope(int format, const QByteArray &plain, const std::optional<MessageContent> &content,
                     const std::optional<larch::CallSignal> &signal)
{
    static const QByteArray key(32, '\x2a');
    static QByteArray signPublic(crypto_sign_PUBLICKEYBYTES, '\0');
    static QByteArray signSecret = [] {
        QByteArray secret(crypto_sign_SECRETKEYBYTES, '\0');
        const QByteArray seed(crypto_sign_SEEDBYTES, '\x11');
        crypto_sign_seed_keypair(reinterpret_cast<unsigned char *>(signPublic.data()),
                                 reinterpret_cast<unsigned char *>(secret.data()), bytes(seed));
        return secret;
    }();
    const MessageEnvelope sealed = seal(format, plain, key, signSecret);
    const auto read = MessageEnvelope::fromJson(sealed.toJson());
    const bool fits = plain.size() <= MessageEnvelope::PlaintextMax;
    if (!read != !fits || (read && !(*read == sealed)))
        broken("a genuine envelope did not read back from its JSON");
    if (!read)
        return;
    if (format == MessageEnvelope::CallSignalFormat) {
        const auto openedSignal = larch::openCallSignal(key, ConversationId, ClientId, signPublic, *read);
        if ((openedSignal.check == MessageCheck::Ok) != signal.has_value())
            broken("openCallSignal and CallSignal::fromBytes disagree on a genuine envelope");
        if (signal && !(*openedSignal.signal == *signal))
            broken("openCallSignal gave another signal than the plaintext holds");
        if (larch::openMessage(key, ConversationId, ClientId, signPublic, *read).check != MessageCheck::Malformed)
            broken("openMessage did not refuse a call signal");
        return;
    }
    if (larch::openCallSignal(key, ConversationId, ClientId, signPublic, *read).check != MessageCheck::Malformed)
        broken("openCallSignal did not refuse a message");
    const auto opened = larch::openMessage(key, ConversationId, ClientId, signPublic, *read);
    if (format == MessageEnvelope::ContentFormat) {
        if ((opened.check == MessageCheck::Ok) != content.has_value())
            broken("openMessage and MessageContent::fromBytes disagree on a genuine envelope");
        if (content && (opened.text != content->text || opened.attachments != content->attachments))
            broken("openMessage gave other content than the plaintext holds");
    } else {
        const bool utf8 = QByteArrayView(plain).isValidUtf8();
        if ((opened.check == MessageCheck::Ok) != utf8)
            broken("openMessage accepted text that is not UTF-8, or refused UTF-8");
        if (utf8 && opened.text != QString::fromUtf8(plain))
            broken("openMessage gave other text than the plaintext holds");
    }
    if (opened.check != MessageCheck::Ok && opened.check != MessageCheck::BadCiphertext)
        broken("a genuine envelope failed a check before its plaintext");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const bool ready = larch::initCrypto();
    if (!ready || size < 1)
        return 0;
    const quint8 control = data[0];
    const QByteArray plain(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const auto content = MessageContent::fromBytes(plain);
    checkContent(content);
    const auto signal = larch::CallSignal::fromBytes(plain);
    checkSignal(signal);
    if (control % 8 == 0) {
        // Bit 3: text; else bit 4: a call signal; else content.
        const int format = control & 8 ? MessageEnvelope::TextFormat
            : control & 16             ? MessageEnvelope::CallSignalFormat
                                       : MessageEnvelope::ContentFormat;
        throughEnvelope(format, plain, content, signal);
    }
    return 0;
}
