// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/practicelinks/QrCode.h"

#include "models/app/SaveLocation.h"

#include <memory>
#include <QFileInfo>
#include <QImageWriter>
#include <qrencode.h>
#include <QSaveFile>
#include <QUrl>

namespace larch {

namespace {
struct FreeQrCode {
    void operator()(QRcode *code) const { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, FreeQrCode>;

QrCodePtr encode(const QString &text)
{
    if (text.isEmpty())
        return nullptr;
    // Level M survives a smudged or creased flyer; version 0 lets the library pick the smallest size that fits.
    return QrCodePtr(QRcode_encodeString(text.toUtf8().constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
}

QImage draw(const QRcode &code, int moduleSize)
{
    const int side = (code.width + 2 * QrCode::QuietZoneModules) * moduleSize;
    QImage image(side, side, QImage::Format_Grayscale8);
    image.fill(Qt::white);
    for (int y = 0; y < code.width; ++y) {
        for (int x = 0; x < code.width; ++x) {
            if (!(code.data[y * code.width + x] & 1)) // bit 0: a dark module
                continue;
            const int left = (x + QrCode::QuietZoneModules) * moduleSize;
            const int top = (y + QrCode::QuietZoneModules) * moduleSize;
            for (int row = top; row < top + moduleSize; ++row)
                std::fill_n(image.scanLine(row) + left, moduleSize, uchar(0));
        }
    }
    return image;
}
} // namespace

int QrCode::sideInModules(const QString &text)
{
    const QrCodePtr code = encode(text);
    return code ? code->width + 2 * QuietZoneModules : 0;
}

QImage QrCode::image(const QString &text, int moduleSize)
{
    const QrCodePtr code = encode(text);
    if (!code)
        return {};
    return draw(*code, qMax(1, moduleSize));
}

QImage QrCode::imageWithin(const QString &text, int maxPixels)
{
    const QrCodePtr code = encode(text);
    if (!code)
        return {};
    const int modules = code->width + 2 * QuietZoneModules;
    return draw(*code, qMax(1, maxPixels / modules));
}

QImage QrCode::imageAtLeast(const QString &text, int minPixels)
{
    const QrCodePtr code = encode(text);
    if (!code)
        return {};
    const int modules = code->width + 2 * QuietZoneModules;
    return draw(*code, qMax(1, (minPixels + modules - 1) / modules));
}

QString QrCode::savePng(const QString &text, const QString &path)
{
    const QImage image = imageAtLeast(text, FlyerPixels);
    if (image.isNull())
        return QStringLiteral("This link can't be drawn as a QR code.");
    // Written whole or not at all, so a failed save never leaves half a PNG on a flyer's way to the printer.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return saveFailureSentence(QStringLiteral("The QR code"), path, file.error(), file.errorString());
    QImageWriter writer(&file, "png");
    if (!writer.write(image)) {
        const QString sentence =
            saveFailureSentence(QStringLiteral("The QR code"), path, file.error(), writer.errorString());
        file.cancelWriting();
        return sentence;
    }
    if (!file.commit())
        return saveFailureSentence(QStringLiteral("The QR code"), path, file.error(), file.errorString());
    return {};
}

QrImageProvider::QrImageProvider() : QQuickImageProvider(QQuickImageProvider::Image) { }

QImage QrImageProvider::requestImage(const QString &id, QSize *size, const QSize &requestedSize)
{
    // The id arrives partly decoded (QUrl's pretty form); decoding again recovers the exact text.
    const QString text = QUrl::fromPercentEncoding(id.toUtf8());
    const int wanted = qMin(requestedSize.width() > 0 ? requestedSize.width() : requestedSize.height(),
                            requestedSize.height() > 0 ? requestedSize.height() : requestedSize.width());
    QImage image = wanted > 0 ? QrCode::imageWithin(text, wanted) : QrCode::image(text, 4);
    if (size)
        *size = image.size();
    return image;
}

} // namespace larch
