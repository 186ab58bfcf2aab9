// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The inputs a fuzz target starts from: real files of the formats it parses, made by the test helpers.
#pragma once

#include <QByteArray>
#include <QList>

/// Each seed is a whole fuzz input (the target's control byte included).
QList<QByteArray> fuzzSeeds();
