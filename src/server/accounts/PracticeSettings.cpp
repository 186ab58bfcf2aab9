// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/accounts/PracticeSettings.h"

#include "server/api/RequestError.h"
#include "server/invites/PhoneNumbers.h"

#include <QRegularExpression>

namespace larch::server {
namespace {

void requireStaffOf(const User &caller, const QString &practiceId)
{
    if (!caller.isStaff() || caller.practiceId != practiceId)
        throw RequestError::notFound();
}

/// The region upper-cased, or 400 with a sentence when libphonenumber does not know it.
QString checkedRegion(const QString &text)
{
    const QString region = text.trimmed().toUpper();
    if (PhoneNumbers::isSupportedRegion(region))
        return region;
    // The value is named only when it is short and plain, so the sentence stays readable.
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9]{1,8}$"));
    const QString shown = plain.match(text.trimmed()).hasMatch() ? text.trimmed() : QStringLiteral("defaultRegion");
    throw RequestError(
        400, QStringLiteral("invalid_field"),
        QStringLiteral("%1 is not a country or region phone numbers are known for; use a code such as US, GB or CA.")
            .arg(shown));
}

} // namespace

QJsonObject PracticeSettings::get(const User &caller, const QString &practiceId)
{
    requireStaffOf(caller, practiceId);
    const QJsonObject text = m_invites.text(caller, practiceId);
    const PracticePolicy policy = m_storage.security().practicePolicy(practiceId);
    return {{"defaultRegion", m_storage.invitations().practiceRegion(practiceId)},
            {"invitationText", text.value(QLatin1String("text"))},
            {"invitationTextIsDefault", text.value(QLatin1String("isDefault"))},
            {"twoFactorRequired", policy.twoFactorRequired},
            {"idleLockMinutes", policy.idleLockMinutes},
            {"patientsMayCall", policy.patientsMayCall}};
}

QJsonObject PracticeSettings::update(const User &caller, const QString &practiceId, const Changes &changes)
{
    requireStaffOf(caller, practiceId);
    if (!caller.isAdmin())
        throw RequestError(403, QStringLiteral("forbidden"),
                           QStringLiteral("Only an administrator of the practice can change its settings."));
    if (changes.isEmpty())
        throw RequestError(400, QStringLiteral("missing_field"),
                           QStringLiteral("Give defaultRegion, invitationText, twoFactorRequired, idleLockMinutes or "
                                          "patientsMayCall, the settings to change."));
    if (changes.idleLockMinutes && (*changes.idleLockMinutes < 1 || *changes.idleLockMinutes > IdleLockMinutesMax))
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("idleLockMinutes must be from 1 to %1: the app locks after that many "
                                          "minutes without input.")
                               .arg(IdleLockMinutesMax));
    const QString region = changes.defaultRegion ? checkedRegion(*changes.defaultRegion) : QString();
    if (changes.invitationText)
        m_invites.setText(caller, practiceId, *changes.invitationText); // validates before it writes
    if (changes.defaultRegion) {
        m_storage.invitations().setPracticeRegion(practiceId, region);
        m_audit.record(AuditLog::of(caller), QStringLiteral("practice_settings_changed"), {practiceId});
    }
    if (changes.twoFactorRequired || changes.idleLockMinutes || changes.patientsMayCall) {
        const PracticePolicy before = m_storage.security().practicePolicy(practiceId);
        PracticePolicy after = before;
        after.twoFactorRequired = changes.twoFactorRequired.value_or(before.twoFactorRequired);
        after.idleLockMinutes = changes.idleLockMinutes.value_or(before.idleLockMinutes);
        after.patientsMayCall = changes.patientsMayCall.value_or(before.patientsMayCall);
        m_storage.security().setPracticePolicy(practiceId, after);
        if (after.twoFactorRequired != before.twoFactorRequired)
            m_audit.record(AuditLog::of(caller),
                           after.twoFactorRequired ? QStringLiteral("two_factor_required")
                                                   : QStringLiteral("two_factor_no_longer_required"),
                           {practiceId});
        if (after.idleLockMinutes != before.idleLockMinutes || after.patientsMayCall != before.patientsMayCall)
            m_audit.record(AuditLog::of(caller), QStringLiteral("practice_settings_changed"), {practiceId});
    }
    return get(caller, practiceId);
}

} // namespace larch::server
