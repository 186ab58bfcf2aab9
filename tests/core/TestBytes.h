// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Bytes for the core tests: the same for the same seed, so a failure can be run again exactly.
#pragma once

#include <QByteArray>
#include <QRandomGenerator>

namespace testbytes {

/// n pseudo-random bytes from seed.
inline QByteArray randomBytes(qsizetype n, quint32 seed)
{
    QRandomGenerator rng(seed);
    QByteArray b(n, '\0');
    for (char &c : b)
        c = char(rng.bounded(256));
    return b;
}

} // namespace testbytes
