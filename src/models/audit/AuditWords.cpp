// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/audit/AuditWords.h"

#include <algorithm>
#include <iterator>
#include <QRegularExpression>

namespace larch::AuditWords {

namespace {
struct ActionWords {
    const char *action;
    const char *words;
};

// Every action docs/security.md lists, in the words of the screen.
constexpr ActionWords kActions[] = {
    {"practice_created", "Created the practice"},
    {"password_set_by_setup_link", "Chose a password with the setup link"},
    {"sign_in", "Signed in"},
    {"sign_in_failed", "Sign-in failed"},
    {"sign_in_limited", "Sign-in blocked after too many attempts"},
    {"sign_out", "Signed out"},
    {"sessions_revoked", "Signed out on every device"},
    {"staff_added", "Added a staff member"},
    {"staff_deactivated", "Deactivated a staff member"},
    {"staff_role_changed", "Changed a staff member's role"},
    {"staff_setup_link_sent", "Sent a staff member a new setup link"},
    {"two_factor_enabled", "Turned on two-factor sign-in"},
    {"two_factor_disabled", "Turned off two-factor sign-in"},
    {"two_factor_failed", "Two-factor code was wrong"},
    {"two_factor_reset", "Reset a staff member's two-factor sign-in"},
    {"two_factor_required", "Required two-factor sign-in for all staff"},
    {"two_factor_no_longer_required", "Stopped requiring two-factor sign-in"},
    {"recovery_code_used", "Signed in with a recovery code"},
    {"recovery_codes_renewed", "Made new recovery codes"},
    {"practice_identity_created", "Created the practice's security identity"},
    {"practice_identity_rotated", "Renewed the practice's security identity"},
    {"practice_identity_replaced", "Replaced the practice's security identity"},
    {"patient_added", "Added a patient"},
    {"device_registered", "Registered a device"},
    {"device_approved", "Approved a device"},
    {"device_removed", "Removed a device"},
    {"invitation_created", "Invited a patient"},
    {"invitation_resent", "Invitation resent"},
    {"invitation_edited", "Invitation changed"},
    {"invitation_revoked", "Invitation withdrawn"},
    {"practice_settings_changed", "Changed the practice's settings"},
    {"standard_conversation_created", "Started a text or email conversation"},
    {"consent_recorded", "Recorded consent to unencrypted messages"},
    {"standard_message_sent", "Sent a text or email message"},
    {"practice_link_created", "Added a Practice Link"},
    {"practice_link_changed", "Changed a Practice Link"},
    {"download_link_issued", "Downloaded a file"},
    {"audit_exported", "Exported the audit log"},
    {"audit_retention_changed", "Changed how long the audit log is kept"},
    {"audit_pruned", "Removed records past the retention period"},
    {"call_started", "Started a video call"},
    {"call_answered", "Answered a video call"},
    {"call_ended", "Video call ended"},
};

// How a call ended (call_ended's "outcome=…"), in the words of the thread's call lines.
constexpr ActionWords kCallOutcomes[] = {
    {"outcome=completed", "after it was answered"},
    {"outcome=missed", "missed"},
    {"outcome=declined", "declined"},
    {"outcome=busy", "busy"},
    {"outcome=cancelled", "cancelled before it was answered"},
    {"outcome=failed", "could not connect"},
};

const AuditName *named(const QHash<QString, AuditName> &names, const QString &id)
{
    const auto it = names.constFind(id);
    return it == names.constEnd() ? nullptr : &*it;
}
} // namespace

QString action(const QString &action)
{
    for (const ActionWords &a : kActions)
        if (action == QLatin1String(a.action))
            return QString::fromUtf8(a.words);
    QString words = QString(action).replace(u'_', u' ').trimmed();
    if (words.isEmpty())
        return QStringLiteral("Unknown action");
    words[0] = words[0].toUpper();
    return words;
}

bool isWarning(const QString &action)
{
    return action == QLatin1String("sign_in_failed") || action == QLatin1String("sign_in_limited")
        || action == QLatin1String("audit_exported") || action == QLatin1String("audit_retention_changed")
        || action == QLatin1String("sessions_revoked") || action == QLatin1String("staff_deactivated")
        || action == QLatin1String("staff_role_changed") || action == QLatin1String("two_factor_failed")
        || action == QLatin1String("two_factor_reset") || action == QLatin1String("two_factor_no_longer_required")
        || action == QLatin1String("practice_identity_replaced");
}

QString who(const QString &action, const QString &userId, const QHash<QString, AuditName> &names)
{
    if (const AuditName *person = named(names, userId))
        return person->name;
    if (!userId.isEmpty())
        return QStringLiteral("A former account");
    if (action == QLatin1String("sign_in_failed") || action == QLatin1String("sign_in_limited"))
        return QStringLiteral("Unknown account");
    if (action == QLatin1String("practice_created"))
        return QStringLiteral("Server operator");
    return QStringLiteral("Larch server");
}

QString object(const QString &userId, const QString &deviceId, const QStringList &objectIds,
               const QHash<QString, AuditName> &names)
{
    static const QRegularExpression years(QStringLiteral("^years=(\\d+)$"));
    QStringList parts;
    QStringList people; // an invitation and its conversation name one person: said once
    bool lastWasDevice = false;
    for (const QString &id : objectIds) {
        if (id == userId || id == deviceId)
            continue; // "Ana signed out on every device", not "… Ana"
        const QRegularExpressionMatch period = years.match(id);
        if (period.hasMatch()) {
            parts.append(QStringLiteral("Kept for %1 years").arg(period.captured(1)));
            continue;
        }
        const auto outcome = std::find_if(std::begin(kCallOutcomes), std::end(kCallOutcomes),
                                          [&](const ActionWords &o) { return id == QLatin1String(o.action); });
        if (outcome != std::end(kCallOutcomes)) {
            parts.append(QString::fromUtf8(outcome->words));
            continue;
        }
        if (id == QLatin1String("role=admin") || id == QLatin1String("role=clinician")) {
            parts.append(id.endsWith(QLatin1String("admin")) ? QStringLiteral("now an administrator")
                                                             : QStringLiteral("now a clinician"));
            continue;
        }
        const AuditName *n = named(names, id);
        if (!n || n->kind == QLatin1String("practice"))
            continue; // the practice is the page's own; a file or message has no name to show
        const bool aboutPerson = n->kind != QLatin1String("practiceLink") && n->kind != QLatin1String("device");
        if (aboutPerson && people.contains(n->name))
            continue;
        if (aboutPerson)
            people.append(n->name);
        // A device and then its owner (a device approved): one phrase.
        const bool person = n->kind == QLatin1String("staff") || n->kind == QLatin1String("patient");
        if (person && !parts.isEmpty() && lastWasDevice) {
            parts.last() += QStringLiteral(" of %1").arg(n->name);
            lastWasDevice = false;
            continue;
        }
        lastWasDevice = n->kind == QLatin1String("device");
        if (n->kind == QLatin1String("conversation"))
            parts.append(QStringLiteral("Conversation with %1").arg(n->name));
        else if (n->kind == QLatin1String("invitation"))
            parts.append(QStringLiteral("Invitation of %1").arg(n->name));
        else if (n->kind == QLatin1String("practiceLink"))
            parts.append(QStringLiteral("Practice Link \u201c%1\u201d").arg(n->name));
        else if (n->kind == QLatin1String("device"))
            parts.append(QStringLiteral("Device \u201c%1\u201d").arg(n->name));
        else
            parts.append(n->name);
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace larch::AuditWords
