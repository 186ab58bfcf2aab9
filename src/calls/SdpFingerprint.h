// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The DTLS certificate fingerprint a call's offer or answer promises, and the one a peer really presents.
#pragma once

#include <optional>
#include <QByteArray>
#include <QString>

namespace larch::calls {

/// The SHA-256 fingerprint (32 bytes) every "a=fingerprint:" line of an SDP text names. nullopt when there is none,
/// when a line uses another hash or is malformed, or when two lines disagree: a description that does not pin one
/// certificate cannot be verified. sdp comes from the other side of a call: any text, of any size.
std::optional<QByteArray> sdpFingerprint(const QString &sdp);

/// The SHA-256 fingerprint of the first certificate in a PEM text (as GStreamer's DTLS transport reports the peer's
/// certificate); nullopt when it holds none.
std::optional<QByteArray> pemFingerprint(const QByteArray &pem);

/// A fingerprint as SDP writes it: "AB:CD:…", upper-case hex.
QString fingerprintText(const QByteArray &fingerprint);

} // namespace larch::calls
