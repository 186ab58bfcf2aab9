// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/app/CharacterCount.h"

#include "core/protocol/TextLength.h"

namespace larch {

int CharacterCount::count(const QString &text) { return textLength(text); }

} // namespace larch
