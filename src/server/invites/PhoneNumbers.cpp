// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/invites/PhoneNumbers.h"

#include <phonenumbers/phonenumberutil.h>

#include <set>
#include <string>

namespace larch::server {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;

QString typeName(PhoneNumberUtil::PhoneNumberType t)
{
    switch (t) {
    case PhoneNumberUtil::MOBILE: return QStringLiteral("mobile");
    case PhoneNumberUtil::FIXED_LINE: return QStringLiteral("landline");
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: return QStringLiteral("fixedOrMobile");
    case PhoneNumberUtil::VOIP: return QStringLiteral("voip");
    default: return QStringLiteral("other");
    }
}

} // namespace

PhoneNumber PhoneNumbers::parse(const QString &text, const QString &region)
{
    PhoneNumber out;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 40) {
        out.error = QStringLiteral("phone must be a phone number such as +1 201 555 0123.");
        return out;
    }
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    i18n::phonenumbers::PhoneNumber number;
    const auto parsed = util->Parse(trimmed.toStdString(), region.toStdString(), &number);
    if (parsed != PhoneNumberUtil::NO_PARSING_ERROR || !util->IsValidNumber(number)) {
        out.error = QStringLiteral("phone is not a valid phone number: check the digits, or start it with + and the "
                                   "country code.");
        return out;
    }
    std::string e164, display;
    util->Format(number, PhoneNumberUtil::E164, &e164);
    std::string numberRegion;
    util->GetRegionCodeForNumber(number, &numberRegion);
    util->Format(number,
                 numberRegion == region.toStdString() ? PhoneNumberUtil::NATIONAL : PhoneNumberUtil::INTERNATIONAL,
                 &display);
    out.valid = true;
    out.e164 = QString::fromStdString(e164);
    out.display = QString::fromStdString(display);
    out.type = typeName(util->GetNumberType(number));
    if (out.type == QLatin1String("landline"))
        out.warning = QStringLiteral("This looks like a landline: text messages cannot reach it. Add a mobile number "
                                     "or an email address.");
    return out;
}

bool PhoneNumbers::isSupportedRegion(const QString &region)
{
    if (region.size() != 2)
        return false;
    std::set<std::string> regions;
    PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
    return regions.count(region.toStdString()) > 0;
}

} // namespace larch::server
