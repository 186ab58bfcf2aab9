// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The singleton Characters of Larch.Models: text lengths for QML counted as the limits count them.
#pragma once

#include <QObject>
#include <QQmlEngine>
#include <QString>

namespace larch {

/// Gives QML textLength, so a form's counter and its check against a limit count characters as a person does (an
/// emoji or a letter with its accents is one), as the models and the server do; a string's .length counts UTF-16
/// units.
class CharacterCount : public QObject {
    Q_OBJECT
    QML_NAMED_ELEMENT(Characters)
    QML_SINGLETON
public:
    using QObject::QObject;
    /// The characters of text as a person counts them (core/protocol/TextLength.h).
    Q_INVOKABLE static int count(const QString &text);
};

} // namespace larch
