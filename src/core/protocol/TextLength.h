// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// How long a text is as a person counts it: the measure of every limit in characters (docs/protocol.md, "Limits").
#pragma once

#include <QString>
#include <QStringView>

namespace larch {

/// The number of characters a person sees in text: user-perceived characters (Unicode extended grapheme
/// clusters), so an emoji, a family of emoji joined by zero-width joiners, a flag or a letter with its accents each
/// count one, however many UTF-16 units they take. Every limit of the protocol and the app "in characters" counts
/// with this; limits about storage or transport are in bytes and say so.
int textLength(QStringView text);

/// The first max characters of text, as textLength counts them: never cuts a character in two.
QString textLeft(const QString &text, int max);

} // namespace larch
