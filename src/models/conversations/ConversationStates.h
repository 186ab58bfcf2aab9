// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What QML reads of a conversation as enums: how its messages travel, and where its patient's invitation stands.
#pragma once

#include <QObject>
#include <QString>
#include <QStringView>
#include <QtQml/qqmlregistration.h>

namespace larch {

/// How a conversation's messages travel: the list's channel role, App.standard.channel, App.standardForm.channel and
/// App.invitation.channel (an invitation goes by Sms or Email).
namespace Channel {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    None, ///< no conversation (App.standard while a secure one or none is open)
    Secure, ///< end-to-end encrypted, in Larch
    Sms, ///< a standard conversation by text message, not end-to-end encrypted
    Email, ///< a standard conversation by email, not end-to-end encrypted
};
Q_ENUM_NS(Value)
/// The conversation's kind on the wire and in the store: "secure", "sms" or "email"; "" for None.
QString name(Value value);
/// The value of such a word; None for one it does not know.
Value fromName(QStringView name);
} // namespace Channel

/// Where the invitation of a conversation's patient stands: the list's invitationState role.
namespace InvitationState {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    None, ///< the conversation has no invitation
    Pending, ///< sent; the patient has not created an account yet
    Paired, ///< the patient created the account
    Revoked, ///< the practice withdrew it
    Expired, ///< its link is too old to use
};
Q_ENUM_NS(Value)
/// The state on the wire and in the store: "pending", "paired", "revoked" or "expired"; "" for None.
QString name(Value value);
/// The value of such a word; None for one it does not know.
Value fromName(QStringView name);
} // namespace InvitationState

} // namespace larch
