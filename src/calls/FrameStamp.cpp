// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "calls/FrameStamp.h"

#include <array>
#include <chrono>

namespace larch::calls {
namespace {

constexpr quint8 Magic = 0xA5;
constexpr int PayloadBytes = 12; // magic, sender, frame (4), captured (6)
constexpr int StampBytes = PayloadBytes + 2;
constexpr int BlocksPerRow = 40;
constexpr int Rows = (StampBytes * 8 + BlocksPerRow - 1) / BlocksPerRow;
constexpr uchar Dark = 16;
constexpr uchar Light = 235;

quint16 crc16(const std::array<quint8, StampBytes> &bytes)
{
    quint16 crc = 0xFFFF; // CRC-16/CCITT-FALSE
    for (int i = 0; i < PayloadBytes; ++i) {
        crc ^= quint16(bytes[i]) << 8;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? quint16((crc << 1) ^ 0x1021) : quint16(crc << 1);
    }
    return crc;
}

bool fits(int width, int height) { return width >= 320 && height >= 120; }

} // namespace

qint64 FrameStamp::nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count() & ((qint64(1) << 48) - 1);
}

int frameStampBlock(int width) { return qMax(8, width / BlocksPerRow); }

void drawFrameStamp(uchar *luma, int stride, int width, int height, const FrameStamp &stamp)
{
    if (!fits(width, height))
        return;
    std::array<quint8, StampBytes> bytes{};
    bytes[0] = Magic;
    bytes[1] = stamp.sender;
    for (int i = 0; i < 4; ++i)
        bytes[2 + i] = quint8(stamp.frame >> (8 * (3 - i)));
    for (int i = 0; i < 6; ++i)
        bytes[6 + i] = quint8(quint64(stamp.capturedUs) >> (8 * (5 - i)));
    const quint16 check = crc16(bytes);
    bytes[12] = quint8(check >> 8);
    bytes[13] = quint8(check);

    const int block = frameStampBlock(width);
    for (int bit = 0; bit < BlocksPerRow * Rows; ++bit) {
        const bool set = bit < StampBytes * 8 && (bytes[bit / 8] >> (7 - bit % 8)) & 1;
        const int x0 = (bit % BlocksPerRow) * block;
        const int y0 = (bit / BlocksPerRow) * block;
        for (int y = y0; y < y0 + block && y < height; ++y)
            std::fill(luma + y * stride + x0, luma + y * stride + qMin(x0 + block, width), set ? Light : Dark);
    }
}

std::optional<FrameStamp> readFrameStamp(const uchar *luma, int stride, int width, int height)
{
    if (!fits(width, height))
        return std::nullopt;
    const int block = frameStampBlock(width);
    const int inner = block / 2; // the middle of each block, away from the codec's blur at its edges
    std::array<quint8, StampBytes> bytes{};
    for (int bit = 0; bit < StampBytes * 8; ++bit) {
        const int x0 = (bit % BlocksPerRow) * block + block / 4;
        const int y0 = (bit / BlocksPerRow) * block + block / 4;
        int sum = 0;
        for (int y = y0; y < y0 + inner; ++y)
            for (int x = x0; x < x0 + inner; ++x)
                sum += luma[y * stride + x];
        if (sum / (inner * inner) >= 128)
            bytes[bit / 8] |= quint8(1 << (7 - bit % 8));
    }
    if (bytes[0] != Magic || crc16(bytes) != quint16(bytes[12] << 8 | bytes[13]))
        return std::nullopt;
    FrameStamp stamp;
    stamp.sender = bytes[1];
    for (int i = 0; i < 4; ++i)
        stamp.frame = stamp.frame << 8 | bytes[2 + i];
    for (int i = 0; i < 6; ++i)
        stamp.capturedUs = stamp.capturedUs << 8 | bytes[6 + i];
    return stamp;
}

} // namespace larch::calls
