// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The words of standard (SMS/email) conversations that the app, its previews and its tests share.
#pragma once

#include "core/protocol/Protocol.h"

#include <QString>

namespace larch::StandardText {

/// The longest text one SMS conversation message may hold (the server refuses more). In UTF-16 units, not what a
/// person counts: the SMS gateway's transport limit, as an SMS carries text beyond GSM's alphabet in UCS-2.
inline constexpr int SmsBodyMax = 1600;

/// The sentence a note message shows in the thread and as the list preview, e.g.
/// "Ana Ruiz recorded verbal consent to unencrypted messages.". consentMethod is the method the note recorded
/// ("" when unknown: the sentence then names no method).
QString noteSentence(const MessageNote &note, const QString &senderName, const QString &consentMethod = {});
/// The method a "consent_recorded" note recorded, when the conversation's current consent is the one it wrote
/// (same staff member, same moment); "" otherwise (an earlier consent that was replaced).
QString consentMethodOf(const Message &note, const std::optional<StandardContact> &standard);

/// Why sending is refused: no consent yet (the server's own words for consent_required).
QString consentRequired();
/// Why sending is refused: the number replied STOP.
QString optedOut();
/// Why sending is refused: the text is longer than one SMS conversation message may be.
QString smsTooLong();

} // namespace larch::StandardText
