// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Seeds for fuzz_form_data: SMS gateway webhook bodies as the courier tests and tests/server/sms_gateway.py post
// them (escapes, '+' for spaces, empty values, a flag without '=', malformed escapes).
#include "FuzzSeeds.h"

QList<QByteArray> fuzzSeeds()
{
    return {
        "MessageSid=SM1&Body=a+b%2Bc%26d&Empty=&Flag",
        "MessageSid=SM0123&MessageStatus=delivered&AccountSid=AC9&ErrorCode=",
        "From=%2B15551234567&To=%2B15557654321&Body=STOP&NumMedia=0",
        "a=%zz",
        "a=%4",
        "=value",
        "&&x=1&&x=2&",
        "",
    };
}
