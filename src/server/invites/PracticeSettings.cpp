// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/invites/PracticeSettings.h"

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
    return {{"defaultRegion", m_storage.invitations().practiceRegion(practiceId)},
            {"invitationText", text.value(QLatin1String("text"))},
            {"invitationTextIsDefault", text.value(QLatin1String("isDefault"))}};
}

QJsonObject PracticeSettings::update(const User &caller, const QString &practiceId,
                                     const std::optional<QString> &defaultRegion,
                                     const std::optional<QString> &invitationText)
{
    requireStaffOf(caller, practiceId);
    if (!caller.isAdmin())
        throw RequestError(403, QStringLiteral("forbidden"),
                           QStringLiteral("Only an administrator of the practice can change its settings."));
    if (!defaultRegion && !invitationText)
        throw RequestError(400, QStringLiteral("missing_field"),
                           QStringLiteral("Give defaultRegion or invitationText, the settings to change."));
    const QString region = defaultRegion ? checkedRegion(*defaultRegion) : QString();
    if (invitationText)
        m_invites.setText(caller, practiceId, *invitationText); // validates before it writes
    if (defaultRegion)
        m_storage.invitations().setPracticeRegion(practiceId, region);
    return get(caller, practiceId);
}

} // namespace larch::server
