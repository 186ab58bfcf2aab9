// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "DemoFiles.h"

#include "DemoAccount.h"

#include <QFileInfo>
#include <QImage>
#include <QImageWriter>
#include <QLinearGradient>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QProcess>
#include <QRadialGradient>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>

namespace demofiles {

namespace {

// A soft round patch: colour at the centre fading to nothing, the way out-of-focus light or a blush looks.
void softSpot(QPainter &p, QPointF centre, qreal radius, QColor colour)
{
    QRadialGradient g(centre, radius);
    g.setColorAt(0, colour);
    QColor mid = colour;
    mid.setAlphaF(colour.alphaF() * 0.45);
    g.setColorAt(0.55, mid);
    g.setColorAt(1, Qt::transparent);
    p.setPen(Qt::NoPen);
    p.setBrush(g);
    p.drawEllipse(centre, radius, radius);
}

// Sensor grain: without it flat gradients read as a drawing, not a photo.
void addGrain(QImage &image, int amount)
{
    QRandomGenerator rng(7);
    for (int y = 0; y < image.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            const int n = int(rng.bounded(2 * amount + 1)) - amount;
            const QRgb c = line[x];
            line[x] = qRgb(std::clamp(qRed(c) + n, 0, 255), std::clamp(qGreen(c) + n, 0, 255),
                           std::clamp(qBlue(c) + n, 0, 255));
        }
    }
}

// The scene of the photo, in its 1600x1200 frame: a forearm with a rash before an out-of-focus room. armAngle
// turns the arm about the middle of the frame (degrees; the photo has it at -11), as a wrist moving does.
void paintForearm(QPainter &p, qreal armAngle)
{
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF frame(0, 0, 1600, 1200);

    // An out-of-focus room behind the arm, lit from the upper left.
    QLinearGradient room(0, 0, 1600, 1200);
    room.setColorAt(0, QColor(0xdc, 0xd3, 0xc6));
    room.setColorAt(0.55, QColor(0x9c, 0x95, 0x8c));
    room.setColorAt(1, QColor(0x4f, 0x4c, 0x49));
    p.fillRect(frame, room);
    softSpot(p, {260, 180}, 260, QColor(255, 250, 236, 150));
    softSpot(p, {1380, 160}, 180, QColor(190, 214, 222, 90));
    softSpot(p, {1450, 1040}, 300, QColor(40, 52, 60, 120));

    // The forearm: a broad band across the frame, shaded like a cylinder, wrist towards the right.
    p.save();
    p.translate(820, 650);
    p.rotate(armAngle);
    QPainterPath arm;
    arm.moveTo(-1200, -330);
    arm.cubicTo(-300, -350, 500, -300, 1200, -250);
    arm.lineTo(1200, 250);
    arm.cubicTo(500, 300, -300, 350, -1200, 330);
    arm.closeSubpath();
    QLinearGradient skin(0, -340, 0, 340);
    skin.setColorAt(0, QColor(0x7a, 0x4e, 0x3b));
    skin.setColorAt(0.16, QColor(0xc2, 0x8a, 0x6c));
    skin.setColorAt(0.42, QColor(0xe6, 0xb9, 0x9c));
    skin.setColorAt(0.7, QColor(0xd3, 0x9a, 0x7c));
    skin.setColorAt(1, QColor(0x6e, 0x43, 0x32));
    p.fillPath(arm, skin);
    // A soft highlight where the light catches the top of the arm.
    p.setClipPath(arm);
    QLinearGradient sheen(0, -260, 0, -40);
    sheen.setColorAt(0, QColor(255, 244, 232, 0));
    sheen.setColorAt(0.5, QColor(255, 244, 232, 70));
    sheen.setColorAt(1, QColor(255, 244, 232, 0));
    p.fillRect(QRectF(-1200, -260, 2400, 220), sheen);

    // The rash: raised reddish patches clustered on the inner forearm, denser in the middle.
    QRandomGenerator rng(2041);
    for (int i = 0; i < 90; ++i) {
        const qreal angle = rng.generateDouble() * 2 * M_PI;
        const qreal spread = std::pow(rng.generateDouble(), 0.8);
        const QPointF centre(40 + std::cos(angle) * spread * 330, 10 + std::sin(angle) * spread * 150);
        const qreal radius = 14 + rng.generateDouble() * 40 * (1.2 - spread);
        softSpot(p, centre, radius, QColor(186, 58 + int(rng.bounded(30)), 58, 120 + int(rng.bounded(70))));
    }
    softSpot(p, {60, 0}, 300, QColor(200, 90, 80, 70)); // the redness around the patches
    p.restore();

    // A lens vignette darkens the corners.
    QRadialGradient vignette(QPointF(800, 600), 1000);
    vignette.setColorAt(0.55, Qt::transparent);
    vignette.setColorAt(1, QColor(0, 0, 0, 120));
    p.fillRect(frame, vignette);
}

} // namespace

void writePhoto(const QString &path)
{
    QImage image(1600, 1200, QImage::Format_RGB32);
    QPainter p(&image);
    paintForearm(p, -11);
    p.end();

    addGrain(image, 5);
    QImageWriter writer(path, "jpeg");
    writer.setQuality(88);
    if (!writer.write(image))
        throw SeedError(QStringLiteral("cannot write the demo photo: %1").arg(writer.errorString()).toStdString());
}

void writeVideo(const QString &path)
{
    const QString launch = QStandardPaths::findExecutable(QStringLiteral("gst-launch-1.0"));
    if (launch.isEmpty())
        throw SeedError("gst-launch-1.0 is missing (Debian package gstreamer1.0-tools); it makes the demo video");
    const QString inspect = QStandardPaths::findExecutable(QStringLiteral("gst-inspect-1.0"));
    for (const char *element : {"vp8enc", "pngdec", "multifilesrc"}) {
        if (!inspect.isEmpty() && QProcess::execute(inspect, {QStringLiteral("--exists"), QLatin1String(element)}) != 0)
            throw SeedError(QStringLiteral("GStreamer's %1 is missing (Debian package gstreamer1.0-plugins-good); "
                                           "it makes the demo video")
                                .arg(QLatin1String(element))
                                .toStdString());
    }
    // The photo's arm, turning at the wrist and back over three seconds, drawn frame by frame.
    QTemporaryDir frames;
    if (!frames.isValid())
        throw SeedError("cannot make a folder for the demo video's frames");
    constexpr int FrameCount = 90;
    for (int i = 0; i < FrameCount; ++i) {
        QImage frame(640, 360, QImage::Format_RGB32);
        QPainter p(&frame);
        p.scale(0.4, 0.4);
        p.translate(0, -150); // the photo's middle 16:9 band
        paintForearm(p, -11 + 7 * std::sin(2 * M_PI * i / FrameCount));
        p.end();
        addGrain(frame, 3);
        if (!frame.save(frames.filePath(QStringLiteral("frame-%1.png").arg(i, 3, 10, QLatin1Char('0'))), "PNG"))
            throw SeedError("cannot write the demo video's frames");
    }
    QProcess gst;
    gst.setProcessChannelMode(QProcess::MergedChannels);
    gst.start(launch,
              {QStringLiteral("-q"), QStringLiteral("multifilesrc"),
               QStringLiteral("location=") + frames.filePath(QStringLiteral("frame-%03d.png")),
               QStringLiteral("index=0"), QStringLiteral("stop-index=%1").arg(FrameCount - 1),
               QStringLiteral("caps=image/png,framerate=30/1"), QStringLiteral("!"), QStringLiteral("pngdec"),
               QStringLiteral("!"), QStringLiteral("videoconvert"), QStringLiteral("!"), QStringLiteral("vp8enc"),
               QStringLiteral("target-bitrate=1000000"), QStringLiteral("!"), QStringLiteral("webmmux"),
               QStringLiteral("!"), QStringLiteral("filesink"), QStringLiteral("location=") + path});
    if (!gst.waitForFinished(60000) || gst.exitStatus() != QProcess::NormalExit || gst.exitCode() != 0
        || QFileInfo(path).size() == 0) {
        throw SeedError(QStringLiteral("gst-launch-1.0 could not make the demo video: %1")
                            .arg(QString::fromLocal8Bit(gst.readAll()).trimmed())
                            .toStdString());
    }
}

namespace {

// One page of the lab report, drawn in device pixels of a 144 dpi page.
struct Page {
    QPainter &p;
    int width;
    int height;

    void footer(int number, int count)
    {
        p.setPen(QColor(0x6b, 0x77, 0x7a));
        QFont f = p.font();
        f.setPointSizeF(8);
        p.setFont(f);
        p.drawLine(0, height - 40, width, height - 40);
        p.drawText(QRect(0, height - 34, width, 30), Qt::AlignLeft | Qt::AlignVCenter,
                   QStringLiteral("Birch Family Medicine · 12 Alder Street · Lab results for Sam Lee"));
        p.drawText(QRect(0, height - 34, width, 30), Qt::AlignRight | Qt::AlignVCenter,
                   QStringLiteral("Page %1 of %2").arg(number).arg(count));
    }
    int heading(int y, const QString &text, qreal points)
    {
        QFont f = p.font();
        f.setPointSizeF(points);
        f.setBold(true);
        p.setFont(f);
        p.setPen(QColor(0x1d, 0x2b, 0x2e));
        const QRect box = p.boundingRect(QRect(0, y, width, height), Qt::TextWordWrap, text);
        p.drawText(box, Qt::TextWordWrap, text);
        return box.bottom() + 18;
    }
    int paragraph(int y, const QString &text)
    {
        QFont f = p.font();
        f.setPointSizeF(10.5);
        f.setBold(false);
        p.setFont(f);
        p.setPen(QColor(0x26, 0x32, 0x35));
        const QRect box = p.boundingRect(QRect(0, y, width, height), Qt::TextWordWrap, text);
        p.drawText(box, Qt::TextWordWrap, text);
        return box.bottom() + 22;
    }
};

} // namespace

void writeLabResults(const QString &path)
{
    QPdfWriter writer(path);
    writer.setTitle(QStringLiteral("Lab results"));
    writer.setCreator(QStringLiteral("Birch Family Medicine"));
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(144);
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout::Millimeter);
    QPainter p;
    if (!p.begin(&writer))
        throw SeedError("cannot write the demo PDF");
    p.setRenderHint(QPainter::Antialiasing);
    QFont base(QStringLiteral("DejaVu Sans"));
    p.setFont(base);
    Page page{p, writer.width(), writer.height()};
    const QColor accent(0x0f, 0x6e, 0x66);

    // Page 1: the practice, the patient and the table of values.
    p.fillRect(QRect(0, 0, page.width, 8), accent);
    QFont small = base;
    small.setPointSizeF(10);
    p.setFont(small);
    p.setPen(accent);
    p.drawText(QRect(0, 24, page.width, 30), Qt::AlignLeft, QStringLiteral("BIRCH FAMILY MEDICINE"));
    int y = page.heading(64, QStringLiteral("Lab results"), 24);
    p.setFont(small);
    p.setPen(QColor(0x45, 0x52, 0x55));
    const QStringList facts = {QStringLiteral("Patient: Sam Lee"), QStringLiteral("Date of birth: 14 March 1988"),
                               QStringLiteral("Collected: 3 June, 08:10 (fasting)"),
                               QStringLiteral("Ordered by: Dr. Ben Okafor")};
    for (int i = 0; i < facts.size(); ++i)
        p.drawText(QRect((i % 2) * page.width / 2, y + (i / 2) * 30, page.width / 2, 30), Qt::AlignLeft, facts.at(i));
    y += 86;

    struct Row {
        const char *test, *result, *units, *range;
        bool high;
    };
    const Row rows[] = {
        {"Total cholesterol", "182", "mg/dL", "below 200", false},
        {"HDL cholesterol", "58", "mg/dL", "40 or above", false},
        {"LDL cholesterol", "134", "mg/dL", "below 130", true},
        {"Triglycerides", "98", "mg/dL", "below 150", false},
        {"Glucose, fasting", "91", "mg/dL", "70 to 99", false},
        {"HbA1c", "5.4", "%", "below 5.7", false},
        {"TSH", "2.1", "mIU/L", "0.4 to 4.0", false},
        {"Hemoglobin", "14.2", "g/dL", "13.5 to 17.5", false},
        {"White blood cells", "6.3", "10^9/L", "4.0 to 11.0", false},
        {"Platelets", "245", "10^9/L", "150 to 400", false},
        {"Creatinine", "0.9", "mg/dL", "0.7 to 1.3", false},
        {"Vitamin D, 25-OH", "27", "ng/mL", "20 to 50", false},
    };
    const int columns[] = {0, int(page.width * 0.42), int(page.width * 0.56), int(page.width * 0.72),
                           int(page.width * 0.92)};
    const int rowHeight = 44;
    QFont cell = base;
    cell.setPointSizeF(10.5);
    QFont head = cell;
    head.setBold(true);
    p.fillRect(QRect(0, y, page.width, rowHeight), QColor(0xe3, 0xef, 0xed));
    p.setFont(head);
    p.setPen(QColor(0x1d, 0x2b, 0x2e));
    const char *titles[] = {"Test", "Result", "Units", "Reference range", ""};
    for (int c = 0; c < 4; ++c)
        p.drawText(QRect(columns[c] + 12, y, columns[c + 1] - columns[c], rowHeight), Qt::AlignVCenter,
                   QString::fromLatin1(titles[c]));
    y += rowHeight;
    for (int r = 0; r < int(std::size(rows)); ++r) {
        if (r % 2 == 1)
            p.fillRect(QRect(0, y, page.width, rowHeight), QColor(0xf5, 0xf8, 0xf7));
        const Row &row = rows[r];
        const QString values[] = {QString::fromLatin1(row.test), QString::fromLatin1(row.result),
                                  QString::fromLatin1(row.units), QString::fromLatin1(row.range)};
        for (int c = 0; c < 4; ++c) {
            p.setFont(c == 1 ? head : cell);
            p.setPen(c == 1 && row.high ? QColor(0xb0, 0x3a, 0x2e) : QColor(0x26, 0x32, 0x35));
            p.drawText(QRect(columns[c] + 12, y, columns[c + 1] - columns[c], rowHeight), Qt::AlignVCenter, values[c]);
        }
        if (row.high) {
            p.setFont(head);
            p.setPen(QColor(0xb0, 0x3a, 0x2e));
            p.drawText(QRect(columns[4], y, page.width - columns[4] - 12, rowHeight), Qt::AlignVCenter | Qt::AlignRight,
                       QStringLiteral("High"));
        }
        y += rowHeight;
    }
    p.setPen(QPen(QColor(0xc9, 0xd4, 0xd2), 2));
    p.drawLine(0, y, page.width, y);
    page.paragraph(y + 24,
                   QStringLiteral("Values outside the reference range are marked High or Low. Dr. Okafor's "
                                  "comments are on the next page."));
    page.footer(1, 3);

    // Page 2: what the values mean.
    writer.newPage();
    y = page.heading(0, QStringLiteral("Comments"), 18);
    y = page.paragraph(
        y,
        QStringLiteral(
            "Cholesterol: your total cholesterol (182 mg/dL) and HDL cholesterol (58 mg/dL) are in the healthy range. "
            "LDL cholesterol is slightly above the target at 134 mg/dL. No medicine is needed for this; more fibre "
            "(oats, beans, lentils), fewer fried foods and regular walks usually bring it down within a few months."));
    y = page.paragraph(
        y,
        QStringLiteral(
            "Blood sugar: your fasting glucose (91 mg/dL) and HbA1c (5.4 %) are normal, so there is no sign of "
            "diabetes or prediabetes."));
    y = page.paragraph(
        y,
        QStringLiteral(
            "Thyroid: TSH is normal. Blood count: hemoglobin, white cells and platelets are all normal. Kidneys: "
            "creatinine is normal."));
    y = page.paragraph(
        y,
        QStringLiteral(
            "Vitamin D is in the lower half of the normal range. A daily supplement of 1,000 IU through the winter "
            "months is reasonable."));
    page.paragraph(
        y,
        QStringLiteral(
            "Next steps: we suggest repeating the cholesterol panel in six months. Message us here if you have "
            "questions or would like to talk these results through at your next appointment."));
    page.footer(2, 3);

    // Page 3: about the tests.
    writer.newPage();
    y = page.heading(0, QStringLiteral("About these tests"), 18);
    y = page.paragraph(
        y,
        QStringLiteral("Samples were taken after an overnight fast of at least ten hours and analysed by Alder Valley "
                       "Laboratories on the day of collection."));
    y = page.paragraph(
        y,
        QStringLiteral(
            "Reference ranges are those of the laboratory for adults and may differ slightly from ranges used "
            "elsewhere. A single value just outside a range is common and is read together with your history."));
    page.paragraph(
        y,
        QStringLiteral(
            "LDL cholesterol was measured directly. HbA1c reflects the average blood sugar over the past two to "
            "three months."));
    page.footer(3, 3);
    if (!p.end())
        throw SeedError("cannot finish the demo PDF");
}

} // namespace demofiles
