// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Safety codes: a fingerprint of a user's device signing keys that two people compare out of band.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace larch {

/// The safety code of a set of Ed25519 device public keys (docs/security.md, "Safety codes"), as
/// 12 groups of 5 decimal digits separated by spaces, e.g. "01234 56789 …".
///
/// Derivation: the keys are de-duplicated and sorted bytewise (so the order the server lists them in
/// does not matter), then SHA-256 runs over the label "larch-safety-code-v1" and each key, every one
/// of them preceded by its length as 4 bytes big-endian. The 32-byte digest, read as a big-endian
/// unsigned number, is reduced modulo 10^60 and written as 60 digits with leading zeros. 2^256 is
/// about 10^77, so the 60 digits (199 bits) are uniform to within 10^-17; adding, removing or changing
/// any key changes the code except with probability about 10^-60.
QString safetyCode(QList<QByteArray> signPublicKeys);

} // namespace larch
