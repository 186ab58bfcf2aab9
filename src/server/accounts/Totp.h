// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Time-based one-time passwords (RFC 6238) for two-factor sign-in, computed by liboath.
#pragma once

#include <optional>
#include <QByteArray>
#include <QString>

namespace larch::server {

/// TOTP with the parameters every authenticator app assumes: HMAC-SHA1, 6 digits, 30-second steps. A code is
/// accepted one step early or late, for a phone whose clock is a little off.
class Totp {
public:
    static constexpr int SecretBytes = 20; ///< 160 bits, RFC 4226's recommended length
    static constexpr int StepSeconds = 30;
    static constexpr int Digits = 6;

    /// A new random secret.
    static QByteArray newSecret();
    /// The secret as an authenticator app's "enter a key" field takes it: RFC 4648 base32, no padding.
    static QString base32(const QByteArray &secret);
    /// The otpauth:// URI of the enrolment QR code. label names the account in the authenticator app.
    static QString uri(const QByteArray &secret, const QString &label);
    /// The time step of code when it is right for secret at nowSeconds (±1 step); nullopt when it is not.
    static std::optional<qint64> check(const QByteArray &secret, const QString &code, qint64 nowSeconds);
    /// The code for secret at nowSeconds (what an authenticator app shows; tests and the demo use it).
    static QString code(const QByteArray &secret, qint64 nowSeconds);
};

} // namespace larch::server
