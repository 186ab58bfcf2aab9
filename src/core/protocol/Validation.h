// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Checks of untrusted input against the protocol's limits; each failure names the field and the fix.
#pragma once

#include <optional>
#include <QJsonObject>
#include <QString>

namespace larch {

/// Protocol limits (docs/protocol.md, "Limits"). Lengths of text a person types are in characters as a person
/// counts them (textLength); the address and password limits are in UTF-16 units, as said beside them.
namespace Limits {
inline constexpr int MessageBodyMax = 20000;
/// A message body's UTF-8 bytes at most, a storage and transport bound beside MessageBodyMax: 20,000 characters of
/// four bytes. Characters of many code points (joined emoji, stacked accents) are heavier, and a body must still fit
/// an envelope (MessageEnvelope::PlaintextMax) with its thumbnails.
inline constexpr int MessageBodyBytesMax = 80000;
inline constexpr int NameMax = 200;
/// An address, not prose: the 254 octets SMTP allows in a path (RFC 5321), counted in UTF-16 units by isValidEmail.
inline constexpr int EmailMax = 254;
/// In UTF-16 units, as passwords were always measured: counting a password shorter than it was measured when it was
/// chosen would refuse its owner at sign-in. The maximum bounds the input hashed, not what a person types.
inline constexpr int PasswordMin = 10;
inline constexpr int PasswordMax = 1024;
inline constexpr int PageDefault = 50;
inline constexpr int PageMax = 200;
inline constexpr qint64 RequestBodyMax = 64 * 1024;
} // namespace Limits

/// The first problem found in a request: an error code of docs/protocol.md and a sentence.
struct FieldError {
    QString code; ///< "missing_field" or "invalid_field"
    QString message;
};

/// Reads fields of a JSON object, remembering the first error so a handler checks once at the end.
class FieldReader {
public:
    explicit FieldReader(const QJsonObject &object) : m_object(object) { }

    /// A required string of minLen..maxLen characters as a person counts them (textLength), after trimming when trim
    /// is set.
    QString string(const char *key, int minLen, int maxLen, bool trim = true);
    /// An optional string; empty when absent.
    QString optionalString(const char *key, int maxLen, bool trim = true);
    /// A required email address, lower-cased.
    QString email(const char *key);
    /// A required password within the protocol's length limits (UTF-16 units, Limits::PasswordMin).
    QString password(const char *key);
    /// A required non-negative integer.
    qint64 integer(const char *key, qint64 min, qint64 max);
    /// A required string that must be one of the given values.
    QString oneOf(const char *key, std::initializer_list<const char *> allowed);

    bool ok() const { return !m_error.has_value(); }
    const std::optional<FieldError> &error() const { return m_error; }

private:
    void fail(const QString &code, const QString &message);
    /// The string at key, trimmed when trim is set; nullopt (and the error noted) when absent or not a string.
    std::optional<QString> present(const char *key, bool trim);
    const QJsonObject m_object;
    std::optional<FieldError> m_error;
};

/// True for a plausible address: one '@', a non-empty local part, a dotted domain, no spaces.
bool isValidEmail(const QString &email);
/// True for a lower-case UUID without braces, as the protocol uses for ids and client ids.
bool isValidId(const QString &id);

} // namespace larch
