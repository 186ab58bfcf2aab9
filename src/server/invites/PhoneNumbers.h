// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Phone numbers as the practice types them: parsed with libphonenumber in the practice's region.
#pragma once

#include <QString>

namespace larch::server {

/// A phone number understood, or the sentence that says why it is not.
struct PhoneNumber {
    bool valid = false;
    QString e164; ///< +15551234567
    QString display; ///< national format in the practice's region, international elsewhere
    QString type; ///< mobile, landline, fixedOrMobile, voip or other
    QString warning; ///< a sentence when SMS cannot reach it; empty otherwise
    QString error; ///< why it is not valid, as a sentence naming the field
};

/// Parses and formats phone numbers (thread-safe: libphonenumber's utility is a read-only singleton).
class PhoneNumbers {
public:
    /// text as typed; region: the practice's ISO 3166 region ("US") for numbers without a country code.
    static PhoneNumber parse(const QString &text, const QString &region);
    /// True for an upper-case ISO 3166 region libphonenumber has numbering data for ("US", "GB"; not "001").
    static bool isSupportedRegion(const QString &region);
};

} // namespace larch::server
