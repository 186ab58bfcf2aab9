// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzz target: the server's multipart/form-data reader (the e-mail provider's inbound webhook), over any bytes.
// Input: one control byte (the tight limits), the Content-Type up to the first '\n', then the body.
// Beyond "no crash, no read outside the input" it checks what the webhook relies on: the limits hold, every part
// has a name, a body that fits tight limits parses the same under the default ones, and the parts written out
// again as a body parse back to the same parts.
#include "server/api/MultipartForm.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

using larch::server::FormPart;

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_multipart_form: %s\n", what);
    std::abort();
}

bool same(const QList<FormPart> &a, const QList<FormPart> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].name != b[i].name || a[i].filename != b[i].filename || a[i].contentType != b[i].contentType
            || a[i].data != b[i].data)
            return false;
    return true;
}

QByteArray quoted(const QByteArray &value)
{
    QByteArray out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

/// The parts as a sender would write them: CRLF line breaks, quoted parameters.
QByteArray written(const QList<FormPart> &parts, const QByteArray &boundary)
{
    QByteArray body;
    for (const FormPart &p : parts) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=" + quoted(p.name);
        if (!p.filename.isEmpty())
            body += "; filename=" + quoted(p.filename);
        body += "\r\n";
        if (!p.contentType.isEmpty())
            body += "Content-Type: " + p.contentType + "\r\n";
        body += "\r\n" + p.data + "\r\n";
    }
    return body + "--" + boundary + "--\r\n";
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const quint8 control = data[0];
    const QByteArray input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const qsizetype eol = input.indexOf('\n');
    const QByteArray contentType = eol < 0 ? input : input.left(eol);
    const QByteArray body = eol < 0 ? QByteArray() : input.mid(eol + 1);

    const QByteArray boundary = larch::server::multipartBoundary(contentType.toStdString());
    if (!boundary.isEmpty() && (boundary.size() > 70 || boundary.contains('\r') || boundary.contains('\n')))
        broken("a boundary RFC 2046 forbids was accepted");
    // A boundary the Content-Type did not give is tried too: the reader must hold for any.
    const QByteArray tried = boundary.isEmpty() ? contentType.left(8) : boundary;

    const larch::server::MultipartLimits tight{1 + control % 8, 16 + 8 * (control >> 3)};
    const auto loose = larch::server::parseMultipart(body, tried);
    const auto parts = larch::server::parseMultipart(body, tried, tight);
    if (parts) {
        if (parts->size() > tight.maxParts)
            broken("more parts than the limit");
        if (!loose || !same(*parts, *loose))
            broken("a body within tight limits reads differently under the default ones");
    }
    if (!loose)
        return 0;
    for (const FormPart &p : *loose)
        if (p.name.isEmpty())
            broken("a part without a name");
    const auto fields = larch::server::multipartFields(*loose);
    if (fields.size() > loose->size())
        broken("more fields than parts");
    if (boundary.isEmpty())
        return 0;
    const auto again = larch::server::parseMultipart(written(*loose, boundary), boundary, {100, 1 << 20});
    if (!again || !same(*again, *loose))
        broken("the parts written out again read differently");
    return 0;
}
