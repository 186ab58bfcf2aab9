// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/protocol/TextLength.h"

#include <QTextBoundaryFinder>

namespace larch {

namespace {

/// The UTF-16 position after the first max characters of text, or -1 when text has no more than max.
qsizetype endOfCharacters(QStringView text, int max)
{
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text.data(), text.size());
    int counted = 0;
    for (qsizetype at = finder.toNextBoundary(); at != -1; at = finder.toNextBoundary())
        if (++counted == max)
            return at < text.size() ? at : -1;
    return -1;
}

} // namespace

int textLength(QStringView text)
{
    if (text.isEmpty())
        return 0;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text.data(), text.size());
    int counted = 0;
    while (finder.toNextBoundary() != -1)
        ++counted;
    return counted;
}

QString textLeft(const QString &text, int max)
{
    if (max <= 0)
        return {};
    const qsizetype end = endOfCharacters(text, max);
    return end == -1 ? text : text.left(end);
}

} // namespace larch
