// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/api/MultipartForm.h"

namespace larch::server {
namespace {

/// Splits a header value at ';' outside quoted strings: "form-data; name=\"a;b\"" → ["form-data", " name=\"a;b\""].
QList<QByteArray> splitParameters(const QByteArray &value)
{
    QList<QByteArray> out;
    QByteArray current;
    bool quoted = false;
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (quoted && c == '\\' && i + 1 < value.size()) {
            current += c;
            current += value[++i];
            continue;
        }
        if (c == '"')
            quoted = !quoted;
        if (c == ';' && !quoted) {
            out.append(current);
            current.clear();
            continue;
        }
        current += c;
    }
    out.append(current);
    return out;
}

/// A parameter's value without its quotes and escapes.
QByteArray unquoted(QByteArray v)
{
    v = v.trimmed();
    if (v.size() < 2 || !v.startsWith('"') || !v.endsWith('"'))
        return v;
    QByteArray out;
    for (qsizetype i = 1; i + 1 < v.size(); ++i) {
        if (v[i] == '\\' && i + 2 < v.size())
            ++i;
        out += v[i];
    }
    return out;
}

/// The value of parameter name (lower-case) in a header value, or nullopt.
std::optional<QByteArray> parameter(const QByteArray &value, const QByteArray &name)
{
    const QList<QByteArray> params = splitParameters(value);
    for (qsizetype i = 1; i < params.size(); ++i) {
        const qsizetype eq = params[i].indexOf('=');
        if (eq > 0 && params[i].left(eq).trimmed().toLower() == name)
            return unquoted(params[i].mid(eq + 1));
    }
    return std::nullopt;
}

/// Reads one part's header block; false when a line is not "Name: value" or the part is not form-data with a name.
bool readHeaders(const QByteArray &block, FormPart &part)
{
    bool disposition = false;
    for (QByteArray line : block.split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-disposition") {
            if (splitParameters(value).first().trimmed().toLower() != "form-data")
                return false;
            part.name = parameter(value, "name").value_or(QByteArray());
            part.filename = parameter(value, "filename").value_or(QByteArray());
            disposition = true;
        } else if (name == "content-type") {
            part.contentType = value;
        }
    }
    return disposition && !part.name.isEmpty();
}

} // namespace

QByteArray multipartBoundary(const std::string &contentType)
{
    const QByteArray value = QByteArray::fromStdString(contentType);
    if (splitParameters(value).first().trimmed().toLower() != "multipart/form-data")
        return {};
    const QByteArray boundary = parameter(value, "boundary").value_or(QByteArray());
    // RFC 2046: 1 to 70 characters, not ending in a space.
    if (boundary.isEmpty() || boundary.size() > 70 || boundary.endsWith(' ') || boundary.contains('\r')
        || boundary.contains('\n'))
        return {};
    return boundary;
}

std::optional<QList<FormPart>> parseMultipart(const QByteArray &body, const QByteArray &boundary,
                                              const MultipartLimits &limits)
{
    if (boundary.isEmpty())
        return std::nullopt;
    const QByteArray delimiter = "--" + boundary;
    // The first delimiter opens the body, or follows a preamble at the start of a line.
    qsizetype pos = 0;
    if (!body.startsWith(delimiter)) {
        pos = body.indexOf("\n" + delimiter);
        if (pos < 0)
            return std::nullopt;
        pos += 1;
    }
    pos += delimiter.size();
    QList<FormPart> parts;
    while (true) {
        if (body.mid(pos, 2) == "--")
            return parts; // the closing delimiter; an epilogue after it is ignored
        // Transport padding, then the line break ending the delimiter line.
        while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t'))
            ++pos;
        if (body.mid(pos, 2) == "\r\n")
            pos += 2;
        else if (body.mid(pos, 1) == "\n")
            pos += 1;
        else
            return std::nullopt;
        if (parts.size() >= limits.maxParts)
            return std::nullopt;

        FormPart part;
        qsizetype headersEnd = body.indexOf("\r\n\r\n", pos);
        qsizetype contentStart = headersEnd + 4;
        const qsizetype bare = body.indexOf("\n\n", pos);
        if (bare >= 0 && (headersEnd < 0 || bare < headersEnd)) {
            headersEnd = bare;
            contentStart = bare + 2;
        }
        if (headersEnd < 0 || headersEnd - pos > limits.maxHeaderBytes)
            return std::nullopt;
        if (!readHeaders(body.mid(pos, headersEnd - pos), part))
            return std::nullopt;

        // The content ends at the line break before the next delimiter.
        qsizetype next = body.indexOf("\r\n" + delimiter, contentStart);
        qsizetype breakSize = 2;
        const qsizetype bareNext = body.indexOf("\n" + delimiter, contentStart);
        if (bareNext >= 0 && (next < 0 || bareNext < next)) {
            next = bareNext;
            breakSize = 1;
        }
        if (next < 0)
            return std::nullopt;
        part.data = body.mid(contentStart, next - contentStart);
        parts.append(part);
        pos = next + breakSize + delimiter.size();
    }
}

FormFields multipartFields(const QList<FormPart> &parts)
{
    FormFields out;
    for (const FormPart &p : parts)
        if (p.filename.isEmpty())
            out.append({p.name, p.data});
    return out;
}

} // namespace larch::server
