// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzz target: the JSON codecs of the protocol's wire types (what the client reads from the server and the server
// from clients), the message envelope's and attachment reference's codecs, and FieldReader, over any bytes.
// Input: JSON text. The document (or each element of an array) and every object directly inside it go to every
// codec and to a FieldReader.
// Beyond "no crash, no read outside the input" it checks what both ends rely on: whatever a codec accepts it writes
// back as JSON that reads back the same, and what FieldReader accepts keeps the limits it was asked for.
#include "core/attachments/AttachmentRef.h"
#include "core/crypto/MessageEnvelope.h"
#include "core/protocol/Protocol.h"
#include "core/protocol/TextLength.h"
#include "core/protocol/Validation.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <QJsonArray>
#include <QJsonDocument>

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_protocol_json: %s\n", what);
    std::abort();
}

/// T read from o, when it reads, is written back as JSON that reads back the same.
template<typename T>
void roundTrip(const QJsonObject &o, const char *what)
{
    const auto read = T::fromJson(o);
    if (!read)
        return;
    const QJsonObject written = read->toJson();
    const auto again = T::fromJson(written);
    if (!again) {
        std::fprintf(stderr, "fuzz_protocol_json: %s\n", what);
        broken("a value read was written back as JSON its own reader refuses");
    }
    if constexpr (requires { *again == *read; }) {
        if (!(*again == *read))
            broken("a value written back read differently");
    } else {
        if (again->toJson() != written)
            broken("a value written back read differently");
    }
}

void fields(const QJsonObject &o)
{
    larch::FieldReader r(o);
    const QString name = r.string("name", 1, larch::Limits::NameMax);
    if (r.ok() && (name.isEmpty() || larch::textLength(name) > larch::Limits::NameMax || name != name.trimmed()))
        broken("FieldReader::string accepted a string outside its limits");
    const QString title = r.optionalString("title", 20, false);
    if (r.ok() && larch::textLength(title) > 20)
        broken("FieldReader::optionalString accepted a string longer than its limit");
    const QString email = r.email("email");
    if (r.ok() && (!larch::isValidEmail(email) || email != email.toLower()))
        broken("FieldReader::email accepted an address that is not valid or not lower-case");
    const QString password = r.password("password");
    if (r.ok() && (password.size() < larch::Limits::PasswordMin || password.size() > larch::Limits::PasswordMax))
        broken("FieldReader::password accepted a password outside its limits");
    const qint64 seq = r.integer("seq", 0, 1000);
    if (r.ok() && (seq < 0 || seq > 1000))
        broken("FieldReader::integer accepted a number outside its range");
    const QString role = r.oneOf("role", {"admin", "clinician", "patient"});
    if (r.ok() && role != QLatin1String("admin") && role != QLatin1String("clinician")
        && role != QLatin1String("patient"))
        broken("FieldReader::oneOf accepted a value it was not given");
    if (r.ok() == r.error().has_value())
        broken("FieldReader is ok and has an error, or neither");
}

void everyCodec(const QJsonObject &o)
{
    roundTrip<larch::User>(o, "User");
    roundTrip<larch::Message>(o, "Message");
    roundTrip<larch::Member>(o, "Member");
    roundTrip<larch::Conversation>(o, "Conversation");
    roundTrip<larch::Session>(o, "Session");
    roundTrip<larch::Event>(o, "Event");
    roundTrip<larch::Consent>(o, "Consent");
    roundTrip<larch::StandardContact>(o, "StandardContact");
    roundTrip<larch::MessageDelivery>(o, "MessageDelivery");
    roundTrip<larch::MessageNote>(o, "MessageNote");
    roundTrip<larch::PracticeLink>(o, "PracticeLink");
    roundTrip<larch::MessageEnvelope>(o, "MessageEnvelope");
    roundTrip<larch::AttachmentRef>(o, "AttachmentRef");
    fields(o);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
    QList<QJsonObject> objects;
    if (doc.isObject())
        objects << doc.object();
    for (const QJsonValue &v : doc.array())
        if (v.isObject() && objects.size() < 16)
            objects << v.toObject();
    for (qsizetype i = 0, top = objects.size(); i < top; ++i)
        for (const QJsonValue &v : objects.at(i))
            if (v.isObject() && objects.size() < 64)
                objects << v.toObject();
    for (const QJsonObject &o : objects)
        everyCodec(o);
    return 0;
}
