// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/protocol/Validation.h"

#include "core/protocol/TextLength.h"

#include <cmath>
#include <QRegularExpression>

namespace larch {

void FieldReader::fail(const QString &code, const QString &message)
{
    if (!m_error)
        m_error = FieldError{code, message};
}

std::optional<QString> FieldReader::present(const char *key, bool trim)
{
    const auto v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        fail(QStringLiteral("missing_field"), QStringLiteral("%1 is required").arg(QLatin1String(key)));
        return std::nullopt;
    }
    if (!v.isString()) {
        fail(QStringLiteral("invalid_field"), QStringLiteral("%1 must be a string").arg(QLatin1String(key)));
        return std::nullopt;
    }
    return trim ? v.toString().trimmed() : v.toString();
}

QString FieldReader::string(const char *key, int minLen, int maxLen, bool trim)
{
    const auto s = present(key, trim);
    if (!s)
        return {};
    const int length = textLength(*s);
    if (length < minLen || length > maxLen) {
        fail(QStringLiteral("invalid_field"),
             QStringLiteral("%1 must be %2 to %3 characters").arg(QLatin1String(key)).arg(minLen).arg(maxLen));
        return {};
    }
    return *s;
}

QString FieldReader::optionalString(const char *key, int maxLen, bool trim)
{
    const auto v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return {};
    return string(key, 0, maxLen, trim);
}

QString FieldReader::email(const char *key)
{
    const QString e = string(key, 3, Limits::EmailMax).toLower();
    if (ok() && !isValidEmail(e)) {
        fail(QStringLiteral("invalid_field"),
             QStringLiteral("%1 must be an email address like name@example.org").arg(QLatin1String(key)));
        return {};
    }
    return e;
}

QString FieldReader::password(const char *key)
{
    const auto s = present(key, false);
    if (!s)
        return {};
    if (s->size() < Limits::PasswordMin || s->size() > Limits::PasswordMax) {
        fail(QStringLiteral("invalid_field"),
             QStringLiteral("%1 must be %2 to %3 characters")
                 .arg(QLatin1String(key))
                 .arg(Limits::PasswordMin)
                 .arg(Limits::PasswordMax));
        return {};
    }
    return *s;
}

qint64 FieldReader::integer(const char *key, qint64 min, qint64 max)
{
    const auto v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        fail(QStringLiteral("missing_field"), QStringLiteral("%1 is required").arg(QLatin1String(key)));
        return 0;
    }
    const double d = v.toDouble(-1.5);
    // The range first, and no conversion to test wholeness: converting a double beyond qint64 is undefined behaviour.
    if (!v.isDouble() || !(d >= static_cast<double>(min) && d <= static_cast<double>(max)) || d >= 9223372036854775808.0
        || d != std::trunc(d)) {
        fail(QStringLiteral("invalid_field"),
             QStringLiteral("%1 must be a whole number from %2 to %3").arg(QLatin1String(key)).arg(min).arg(max));
        return 0;
    }
    return static_cast<qint64>(d);
}

QString FieldReader::oneOf(const char *key, std::initializer_list<const char *> allowed)
{
    const QString s = string(key, 1, 64);
    if (!ok())
        return {};
    QStringList names;
    for (const char *a : allowed) {
        if (s == QLatin1String(a))
            return s;
        names << QLatin1String(a);
    }
    fail(QStringLiteral("invalid_field"),
         QStringLiteral("%1 must be one of: %2").arg(QLatin1String(key), names.join(QStringLiteral(", "))));
    return {};
}

bool isValidEmail(const QString &email)
{
    static const QRegularExpression re(QStringLiteral("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$"));
    return email.size() <= Limits::EmailMax && re.match(email).hasMatch();
}

bool isValidId(const QString &id)
{
    static const QRegularExpression re(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
    return re.match(id).hasMatch();
}

} // namespace larch
