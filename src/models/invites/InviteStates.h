// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What QML reads of joining and inviting as enums: the onboarding step, why a code was refused, and what an
// existing conversation that reaches a contact is.
#pragma once

#include <QObject>
#include <QString>
#include <QStringView>
#include <QtQml/qqmlregistration.h>

namespace larch {

/// Where a patient joining stands: App.onboarding.step.
namespace OnboardingStep {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    Contact, ///< typing a phone number or email address
    Code, ///< typing the 6 digits sent there
    Name, ///< a new account needs the patient's name
    Done, ///< the code was accepted; the session is starting
};
Q_ENUM_NS(Value)
/// "contact", "code", "name" or "done".
QString name(Value value);
} // namespace OnboardingStep

/// Why a typed code was refused: App.onboarding.errorKind.
namespace CodeError {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    None, ///< no code refused (another error may still be shown)
    Wrong, ///< not the code that was sent
    Locked, ///< too many wrong codes: a new one can be asked for later
    Expired, ///< too old: "Send a new code" is offered
};
Q_ENUM_NS(Value)
/// "wrong", "locked" or "expired"; "" for None.
QString name(Value value);
} // namespace CodeError

/// What an existing conversation reaching a typed contact is: the state of each of App.invite.matches.
namespace ContactMatch {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    Joined, ///< a patient with that contact has an account and a conversation with the practice
    Invited, ///< an open invitation went to that contact
};
Q_ENUM_NS(Value)
/// The state on the wire: "joined" or "invited".
QString name(Value value);
/// The value of such a word; Joined for one it does not know.
Value fromName(QStringView name);
} // namespace ContactMatch

} // namespace larch
