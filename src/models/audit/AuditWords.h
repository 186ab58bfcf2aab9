// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// An audit record in the words an administrator reads: what was done, by whom, to what.
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace larch {

/// What the server's page of records says an id is (its "names"): a person, device, conversation, invitation,
/// Practice Link or the practice.
struct AuditName {
    QString kind; ///< "staff", "patient", "device", "conversation", "invitation", "practiceLink", "practice"
    QString name;
};

/// Sentences for the audit log screen; one place, so the list, the tests and the docs agree.
namespace AuditWords {
/// "Signed in", "Invitation resent", …; an action this app does not know reads as its words ("Role changed").
QString action(const QString &action);
/// True for the actions an auditor looks at first: failed or blocked sign-ins, exports, a shorter retention.
bool isWarning(const QString &action);
/// Who acted: their name, or for a record without a person, who that was ("Unknown account" for a failed
/// sign-in with an email no account has, "Server operator", "Larch server").
QString who(const QString &action, const QString &userId, const QHash<QString, AuditName> &names);
/// What the action touched, in words: "Dr. Doc", "Conversation with Sam Rivera", "Practice Link “Front desk”",
/// "Device “Laptop” of Ana Ruiz", "Kept for 10 years"; ids the screen cannot name are left out, and the acting
/// person and their device (shown beside the record) are not repeated. "" for none.
QString object(const QString &userId, const QString &deviceId, const QStringList &objectIds,
               const QHash<QString, AuditName> &names);
} // namespace AuditWords

} // namespace larch
