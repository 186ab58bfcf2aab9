// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What QML reads of a message's state, as enums: how far it got, what kind of row it is, whether it verified.
#pragma once

#include <QObject>
#include <QString>
#include <QStringView>
#include <QtQml/qqmlregistration.h>

namespace larch {

/// How far a message has got: the thread's deliveryState role, and App.invitation's delivery of an invitation.
namespace DeliveryState {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    None, ///< a notice; an invitation whose delivery is not known yet
    Pending, ///< on this device, the server does not have it yet
    Queued, ///< standard (SMS/email): the server has it, waiting for the gateway
    Sent, ///< secure: on the server, not read yet; standard: handed to the gateway
    Delivered, ///< standard: the gateway reports it arrived
    Read, ///< secure: another member read it
    Failed, ///< refused by the server, or the gateway could not deliver it
    Received, ///< someone else's message
};
Q_ENUM_NS(Value)
/// The word the server, the store and the logs use: "queued", "sent", …; "" for None.
QString name(Value value);
/// The value of such a word; None for one it does not know.
Value fromName(QStringView name);
} // namespace DeliveryState

/// What a row of the thread is: the kind role.
namespace MessageKind {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    Message, ///< what a person wrote
    Notice, ///< a line the app or the server wrote (a device added, consent recorded, an invitation)
};
Q_ENUM_NS(Value)
/// "message" or "notice".
QString name(Value value);
} // namespace MessageKind

/// Whether a message may be shown: the verification role (docs/security.md, "Messages").
namespace VerificationState {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    Verified, ///< its checks passed; the text is shown
    Unverifiable, ///< a check failed; verificationText says which, the text never shows
    KeyPending, ///< its key has not reached this device yet (or it is being opened)
};
Q_ENUM_NS(Value)
/// "verified", "unverifiable" or "keyPending".
QString name(Value value);
} // namespace VerificationState

} // namespace larch
