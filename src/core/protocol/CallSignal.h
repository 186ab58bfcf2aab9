// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What one side of a video call tells the other through the call's sealed signalling.
#pragma once

#include <optional>
#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace larch {

/// One signal of a call, the plaintext of a format-3 envelope (sealCallSignal): an offer or answer (a session
/// description, first or after a network change), a trickled ICE candidate, or the sender's microphone and camera
/// state. seq counts up from 1 for each sender in a call, so a receiver drops a signal it has seen or one the server
/// replays out of order. Encoded as compact JSON: {"kind", "seq", and "sdp" | "mediaLine", "candidate" |
/// "microphoneMuted", "cameraOff"}.
struct CallSignal {
    enum class Kind { Offer, Answer, Candidate, MediaState };
    static constexpr qsizetype SdpMax = 64 * 1024; ///< characters: webrtcbin's descriptions are about 1,500
    static constexpr qsizetype CandidateMax = 1024;
    static constexpr int MediaLineMax = 15;
    static constexpr qsizetype BytesMax = SdpMax * 4 + 1024; ///< the longest encoding read; longer is refused unread

    Kind kind = Kind::Offer;
    quint32 seq = 0; ///< 1 or more
    QString sdp; ///< Offer and Answer
    int mediaLine = 0; ///< Candidate: the m-line it belongs to, 0..MediaLineMax
    QString candidate; ///< Candidate: "candidate:…" as ICE writes it
    bool microphoneMuted = false; ///< MediaState
    bool cameraOff = false; ///< MediaState

    QByteArray toBytes() const;
    /// nullopt for anything that is not a well-formed signal within the limits (unknown fields are ignored).
    static std::optional<CallSignal> fromBytes(QByteArrayView bytes);

    bool operator==(const CallSignal &) const = default;
};

} // namespace larch
