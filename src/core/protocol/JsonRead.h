// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Field readers the wire codecs share: each returns false when a field is absent or of the wrong type.
#pragma once

#include <cmath>
#include <optional>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace larch::json {

inline bool readString(const QJsonObject &o, const char *key, QString &out)
{
    const auto v = o.value(QLatin1String(key));
    if (!v.isString())
        return false;
    out = v.toString();
    return true;
}

/// An optional string: absent or null reads as "".
inline bool readOptionalString(const QJsonObject &o, const char *key, QString &out)
{
    const auto v = o.value(QLatin1String(key));
    if (v.isNull() || v.isUndefined()) {
        out.clear();
        return true;
    }
    return readString(o, key, out);
}

/// A whole number (JSON numbers are doubles; a fraction is refused).
inline bool readInt(const QJsonObject &o, const char *key, qint64 &out)
{
    const auto v = o.value(QLatin1String(key));
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    // Outside qint64's range (2^63 and beyond) converting is undefined behaviour: such a number is refused before.
    constexpr double Bound = 9223372036854775808.0;
    if (!(d >= -Bound && d < Bound) || d != std::trunc(d))
        return false;
    out = static_cast<qint64>(d);
    return true;
}

/// An optional object field: absent or null is none; anything else must decode as T.
template<typename T>
bool readOptionalObject(const QJsonObject &o, const char *key, std::optional<T> &out)
{
    const auto v = o.value(QLatin1String(key));
    if (v.isNull() || v.isUndefined())
        return true;
    if (!v.isObject())
        return false;
    out = T::fromJson(v.toObject());
    return out.has_value();
}

} // namespace larch::json
