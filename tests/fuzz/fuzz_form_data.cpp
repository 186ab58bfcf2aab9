// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzz target: the server's application/x-www-form-urlencoded reader (the SMS gateway's webhooks), over any bytes.
// Input: the body itself.
// Beyond "no crash, no read outside the input" it checks what the webhooks rely on: no field has an empty name,
// formValue finds each name's first value, and the fields encoded again read back the same.
#include "server/api/FormData.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <QHash>

using larch::server::FormFields;

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_form_data: %s\n", what);
    std::abort();
}

/// Percent-encodes every byte that is not unreserved; spaces as '+', as browsers and Twilio send them.
QByteArray encoded(const QByteArray &in)
{
    static const char Hex[] = "0123456789ABCDEF";
    QByteArray out;
    for (const char c : in) {
        const auto b = quint8(c);
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '.'
            || b == '_' || b == '~') {
            out += c;
        } else if (b == ' ') {
            out += '+';
        } else {
            out += '%';
            out += Hex[b >> 4];
            out += Hex[b & 15];
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto fields = larch::server::parseForm(body);
    if (!fields)
        return 0;
    QByteArray again;
    // formValue is asked for the first 64 names only: over all of thousands of fields the check would be quadratic
    // and the fuzzer would spend its time there rather than in the parser.
    QHash<QByteArray, QByteArray> first;
    for (qsizetype i = 0; i < fields->size(); ++i) {
        const auto &[name, value] = fields->at(i);
        if (name.isEmpty())
            broken("a field without a name");
        if (first.size() < 64 && !first.contains(name)) {
            first.insert(name, value);
            const auto found = larch::server::formValue(*fields, name);
            if (!found || *found != value)
                broken("formValue did not give the first value of its name");
        }
        again += (i ? "&" : "") + encoded(name) + '=' + encoded(value);
    }
    const auto reread = larch::server::parseForm(again);
    if (!reread || *reread != *fields)
        broken("the fields encoded again read back differently");
    // The gateway's signature is computed over the parsed fields: it must not depend on their order.
    if (fields->size() > 1) {
        FormFields reversed(fields->crbegin(), fields->crend());
        if (larch::server::gatewaySignature("token", "https://x/", *fields)
            != larch::server::gatewaySignature("token", "https://x/", reversed))
            broken("the gateway signature depends on the order of the fields");
    }
    return 0;
}
