// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto/Crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define LARCH_CRC32C_X86 1
#elif defined(__ARM_FEATURE_CRC32)
#include <arm_acle.h>
#define LARCH_CRC32C_ARM 1
#endif

namespace larch {

namespace {

constexpr quint32 Polynomial = 0x82F63B78; // Castagnoli, reflected

/// Eight tables of 256 entries: slicing by 8 bytes.
using Tables = std::array<std::array<quint32, 256>, 8>;

Tables makeTables()
{
    Tables t{};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? (c >> 1) ^ Polynomial : c >> 1;
        t[0][i] = c;
    }
    for (quint32 i = 0; i < 256; ++i)
        for (int s = 1; s < 8; ++s)
            t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
    return t;
}

const Tables &tables()
{
    static const Tables t = makeTables();
    return t;
}

#if LARCH_CRC32C_X86
__attribute__((target("sse4.2"))) quint32 crc32cHardware(const unsigned char *p, qsizetype n, quint32 c)
{
    quint64 c64 = c;
    while (n >= 8) {
        quint64 word;
        std::memcpy(&word, p, 8);
        c64 = _mm_crc32_u64(c64, word);
        p += 8;
        n -= 8;
    }
    c = quint32(c64);
    while (n-- > 0)
        c = _mm_crc32_u8(c, *p++);
    return c;
}

bool hasHardware()
{
    static const bool has = __builtin_cpu_supports("sse4.2");
    return has;
}
#elif LARCH_CRC32C_ARM
quint32 crc32cHardware(const unsigned char *p, qsizetype n, quint32 c)
{
    while (n >= 8) {
        quint64 word;
        std::memcpy(&word, p, 8);
        c = __crc32cd(c, word);
        p += 8;
        n -= 8;
    }
    while (n-- > 0)
        c = __crc32cb(c, *p++);
    return c;
}

bool hasHardware() { return true; }
#endif

} // namespace

quint32 detail::crc32cPortable(QByteArrayView data, quint32 crc)
{
    const Tables &t = tables();
    const auto *p = reinterpret_cast<const unsigned char *>(data.data());
    qsizetype n = data.size();
    quint32 c = ~crc;
    while (n >= 8) {
        const quint32 lo = c ^ (quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24);
        c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^ t[3][p[4]]
            ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
        p += 8;
        n -= 8;
    }
    while (n-- > 0)
        c = t[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

quint32 crc32c(QByteArrayView data, quint32 crc)
{
#if LARCH_CRC32C_X86 || LARCH_CRC32C_ARM
    if (hasHardware())
        return ~crc32cHardware(reinterpret_cast<const unsigned char *>(data.data()), data.size(), ~crc);
#endif
    return detail::crc32cPortable(data, crc);
}

QByteArray crc32cHex(quint32 crc) { return QByteArray::number(crc, 16).rightJustified(8, '0'); }

} // namespace larch
